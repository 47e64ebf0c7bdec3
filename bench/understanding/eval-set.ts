// The understanding evaluation set (test/fixtures/understanding/*.jsonl) and its fixture shop
// (shop.json): customer utterances labelled with the language the answer must be in, the intents,
// the entities, and the facts the answer must and must not contain.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const EVAL_DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'understanding');

/** A fact: a text the answer must contain, or a list of which any one will do. */
const Fact = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const EvalItem = z
  .object({
    id: z.string().regex(/^[a-z]+-(zh|en)-\d+$/),
    /** Reporting category (price, stock, attribute, faq, multi, unknown, orders, handoff…). */
    cat: z.string().min(1),
    /** The language the answer must be written in. */
    lang: z.enum(['zh', 'en']),
    text: z.string().min(1),
    /**
     * What the message asks for: price, stock, size, color, spec, product, faq:<category>, orders,
     * aftersale, human, complaint, loyalty, menu, language, unsubscribe, smalltalk, or unknown (the
     * shop's data does not answer it: the bot must say it is not sure and offer a person).
     */
    intents: z.array(z.string().min(1)).min(1),
    entities: z
      .object({
        products: z.array(z.string()).optional(),
        values: z.array(z.string()).optional(),
        orderNo: z.string().optional(),
      })
      .strict()
      .optional(),
    must: z.array(Fact).optional(),
    mustNot: z.array(z.string().min(1)).optional(),
    /** Earlier turns of the same customer (not scored): text, or "!<button data>|<label>" for a press. */
    setup: z.array(z.string().min(1)).optional(),
    /** Fixture orders (by key) that belong to this customer. */
    orders: z.array(z.string()).optional(),
  })
  .strict();
export type EvalItem = z.infer<typeof EvalItem>;

const AttributeValues = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const FixtureShop = z
  .object({
    name: z.string(),
    products: z.array(
      z
        .object({
          sku: z.string(),
          name: z.string(),
          nameEn: z.string().optional(),
          price: z.number().int(),
          stock: z.number().int(),
          category: z.string().optional(),
          description: z.string().optional(),
          descriptionEn: z.string().optional(),
          attributes: AttributeValues.optional(),
          attributesEn: AttributeValues.optional(),
          returnable: z.boolean().optional(),
        })
        .strict(),
    ),
    faqs: z.array(
      z
        .object({
          key: z.string(),
          question: z.string(),
          answer: z.string(),
          questionEn: z.string().optional(),
          answerEn: z.string().optional(),
          keywords: z.array(z.string()).optional(),
          category: z.string(),
        })
        .strict(),
    ),
    synonyms: z.array(z.object({ term: z.string(), alternatives: z.array(z.string()) }).strict()),
    orders: z.array(
      z
        .object({
          key: z.string(),
          orderNo: z.string(),
          items: z.array(z.object({ sku: z.string(), name: z.string(), qty: z.number(), price: z.number() })),
          total: z.number(),
          status: z.string(),
          carrier: z.string().optional(),
          trackingNo: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type FixtureShop = z.infer<typeof FixtureShop>;

export function loadShop(dir = EVAL_DIR): FixtureShop {
  return FixtureShop.parse(JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8')));
}

/** Every item of every .jsonl file, files in name order; a malformed line names its file and line. */
export function loadEvalSet(dir = EVAL_DIR): EvalItem[] {
  const items: EvalItem[] = [];
  const ids = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const parsed = EvalItem.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      if (ids.has(parsed.data.id)) throw new Error(`${file}:${index + 1}: duplicate id ${parsed.data.id}`);
      ids.add(parsed.data.id);
      items.push(parsed.data);
    });
  }
  return items;
}

/** A fixed, spread-out slice (every k-th item) for the test suite. */
export function evalSlice(items: EvalItem[], size: number): EvalItem[] {
  const step = Math.max(1, Math.floor(items.length / size));
  return items.filter((_, index) => index % step === 0).slice(0, size);
}
