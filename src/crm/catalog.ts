// Products and FAQs: the knowledge the pre-sale answers are drawn from.
import { z } from 'zod';
import type { Faq, Product } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';

const AttributeValues = z
  .record(z.string().min(1).max(64), z.union([z.string().max(500), z.array(z.string().max(100)).max(100)]))
  .refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes');

export const ProductInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200).optional(),
    price: z.number().int('prices are integers in fen').min(0).max(1_000_000_000_00),
    stock: z.number().int().min(0).max(10_000_000),
    category: z.string().trim().min(1).max(64).optional(),
    description: z.string().trim().max(4000).optional(),
    descriptionEn: z.string().trim().max(4000).optional(),
    attributes: AttributeValues.optional(),
    /** English for attribute values, by the same keys ({ "颜色": ["white", "black"] }). */
    attributesEn: AttributeValues.optional(),
    returnable: z.boolean().optional(),
    url: z.url().max(500).optional(),
  })
  .strict()
  .refine((p) => !p.attributesEn || Object.keys(p.attributesEn).every((key) => p.attributes?.[key] !== undefined), {
    message: 'attributesEn may only translate keys that attributes has',
    path: ['attributesEn'],
  })
  .refine(
    (p) =>
      !p.attributesEn ||
      Object.entries(p.attributesEn).every(([key, value]) => {
        const original = p.attributes?.[key];
        return (
          Array.isArray(value) === Array.isArray(original) &&
          (!Array.isArray(value) || value.length === (Array.isArray(original) ? original.length : 0))
        );
      }),
    {
      message: 'attributesEn values must match attributes one for one (same keys, same number of values)',
      path: ['attributesEn'],
    },
  );
export type ProductInput = z.infer<typeof ProductInput>;

export const Sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'SKUs use A-Z, a-z, 0-9, _, . and -');

export const FaqInput = z
  .object({
    question: z.string().trim().min(1).max(500),
    answer: z.string().trim().min(1).max(4000),
    questionEn: z.string().trim().min(1).max(500).optional(),
    answerEn: z.string().trim().min(1).max(4000).optional(),
    keywords: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    category: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
export type FaqInput = z.infer<typeof FaqInput>;

export const SynonymInput = z
  .object({ alternatives: z.array(z.string().trim().min(1).max(50)).min(1).max(50) })
  .strict();
export const SynonymTerm = z.string().trim().min(1).max(50);

type CatalogListener = () => void;

export class CatalogService {
  private readonly listeners: CatalogListener[] = [];

  constructor(private readonly deps: ServiceDeps) {}

  /** Called after any product or FAQ change (the retrieval index rebuilds itself). */
  onChange(listener: CatalogListener): void {
    this.listeners.push(listener);
  }

  async upsertProduct(sku: string, input: ProductInput, actor: Actor): Promise<Product> {
    const data = ProductInput.parse(input);
    const cleanSku = Sku.parse(sku);
    const product = await this.deps.store.transaction(async (repos) => {
      const product = await repos.catalog.upsertProduct(cleanSku, data);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'product.upsert',
        entity: 'product',
        entityId: cleanSku,
      });
      return product;
    });
    this.changed();
    return product;
  }

  async createFaq(input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    const faq = await this.deps.store.transaction(async (repos) => {
      const faq = await repos.catalog.createFaq(data);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'faq.create',
        entity: 'faq',
        entityId: faq.id,
      });
      return faq;
    });
    this.changed();
    return faq;
  }

  /** Creates the FAQ, or updates the one with exactly this question (CSV re-imports stay idempotent). */
  async saveFaq(input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    const faq = await this.deps.store.transaction(async (repos) => {
      const existing = (await repos.catalog.faqs()).find((f) => f.question === data.question);
      const faq = existing ? await repos.catalog.updateFaq(existing.id, data) : await repos.catalog.createFaq(data);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: existing ? 'faq.update' : 'faq.create',
        entity: 'faq',
        entityId: faq.id,
      });
      return faq;
    });
    this.changed();
    return faq;
  }

  fingerprint(): Promise<string> {
    return this.deps.store.repos.catalog.fingerprint();
  }

  products(): Promise<Product[]> {
    return this.deps.store.repos.catalog.activeProducts();
  }

  faqs(): Promise<Faq[]> {
    return this.deps.store.repos.catalog.faqs();
  }

  async synonyms(): Promise<Array<{ term: string; alternatives: string[] }>> {
    const rows = await this.deps.store.repos.catalog.synonyms();
    return rows.map((row) => {
      const alternatives = z.array(z.string()).safeParse(row.alternatives);
      return { term: row.term, alternatives: alternatives.success ? alternatives.data : [] };
    });
  }

  /** Shop-editable synonyms: customers saying any alternative are understood as saying `term`. */
  async setSynonym(term: string, input: z.infer<typeof SynonymInput>, actor: Actor) {
    const cleanTerm = SynonymTerm.parse(term);
    const { alternatives } = SynonymInput.parse(input);
    await this.deps.store.transaction(async (repos) => {
      await repos.catalog.upsertSynonym(cleanTerm, alternatives);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'synonym.set',
        entity: 'synonym',
        entityId: cleanTerm,
        details: { alternatives },
      });
    });
    this.changed();
    return { term: cleanTerm, alternatives };
  }

  async deleteSynonym(term: string, actor: Actor): Promise<boolean> {
    const cleanTerm = SynonymTerm.parse(term);
    const deleted = await this.deps.store.transaction(async (repos) => {
      const result = await repos.catalog.deleteSynonym(cleanTerm);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'synonym.delete',
        entity: 'synonym',
        entityId: cleanTerm,
      });
      return result.count > 0;
    });
    this.changed();
    return deleted;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
