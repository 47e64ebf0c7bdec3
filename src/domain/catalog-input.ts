// What a shop sends to change its catalog and FAQ (API, CSV import and console share these), and the
// one-line text form of product attributes that spreadsheets and the console's form use.
import { z } from 'zod';

export const AttributeValues = z
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

export type AttributeValues = z.infer<typeof AttributeValues>;

/** "尺码=S|M|L; 颜色=白色|黑色; 材质=纯棉" → { 尺码: ['S','M','L'], 颜色: ['白色','黑色'], 材质: '纯棉' }. */
export function parseAttributeText(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of text.split(/[;；]/)) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    const values = part
      .slice(at + 1)
      .split('|')
      .map((v) => v.trim())
      .filter(Boolean);
    out[key] = values.length === 1 && !part.includes('|') ? (values[0] ?? '') : values;
  }
  return out;
}

/** The inverse of parseAttributeText, for editing. */
export function attributeText(attributes: Record<string, string | string[]>): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : value}`)
    .join('; ');
}
