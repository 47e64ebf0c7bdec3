// Products, FAQs and synonyms as the console's catalog page reads and writes them.
import { z } from 'zod';
import { AttributeValues, FaqInput, ProductInput, Sku, SynonymInput } from '../../domain/catalog-input.ts';
import { Id } from './wire.ts';

export { FaqInput, ProductInput, Sku, SynonymInput };

export const ProductView = z.object({
  id: Id,
  sku: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  price: z.number().int(),
  stock: z.number().int(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  descriptionEn: z.string().nullable(),
  attributes: AttributeValues.nullable().catch(null),
  attributesEn: AttributeValues.nullable().catch(null),
  returnable: z.boolean(),
  url: z.string().nullable(),
  active: z.boolean(),
});
export type ProductView = z.infer<typeof ProductView>;
export const ProductsResponse = z.object({ products: z.array(ProductView) });

export const FaqView = z.object({
  id: Id,
  question: z.string(),
  answer: z.string(),
  questionEn: z.string().nullable(),
  answerEn: z.string().nullable(),
  keywords: z.array(z.string()).nullable().catch(null),
  category: z.string().nullable(),
});
export type FaqView = z.infer<typeof FaqView>;
export const FaqsResponse = z.object({ faqs: z.array(FaqView) });

export const SynonymsResponse = z.object({
  synonyms: z.array(z.object({ term: z.string(), alternatives: z.array(z.string()) })),
});
