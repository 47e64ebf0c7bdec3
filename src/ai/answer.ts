// Understanding a pre-sale message: split it into its questions, find for each the product(s) it is
// about and what it asks (price, stock, a size or colour, a spec) or the FAQ that answers it, and give
// every part a calibrated confidence. Parts below the shop's threshold (ANSWER_MIN_CONFIDENCE) are not
// answered: the clause is reported as unanswered, so the reply says so and offers a person. An FAQ
// that does not speak about the specific place / payment method / courier / period a question names
// is not an answer to it (subjects.ts).
import type { Faq, Product } from '../db/types.ts';
import { type Aspect, type Aspects, detectAspects, mentionsMaterial } from './aspects.ts';
import { attributeList, normalizeValue, type ValueVocabulary } from './attributes.ts';
import { isQuestion, splitClauses, splitProductList } from './clauses.ts';
import type { Hit, SearchResult } from './retrieval.ts';
import { coversSubjects, statesAskedFact } from './subjects.ts';

/** What the planner needs from the catalogue (KnowledgeBase implements it). */
export interface CatalogueSearch {
  search(text: string, options?: { limit?: number; productText?: string }): Promise<SearchResult>;
  /** The text with its Latin typos corrected (so "in blak" asks about black). */
  spell(text: string): Promise<string>;
  values(): Promise<ValueVocabulary>;
}

/**
 * Raw retrieval confidences at which a hit was right about as often as wrong on the evaluation set:
 * they map to a calibrated 0.5, so one threshold serves products and FAQs alike.
 */
export const PRODUCT_EVEN = 0.3;
export const FAQ_EVEN = 0.4;
/** "这件": the product the customer discussed just before. */
export const CONTEXT_PRODUCT_CONFIDENCE = 0.8;
/** With a product answer in the same clause, an FAQ must be this sure to be added as well. */
const FAQ_BESIDE_PRODUCT = 0.75;

/** Raw retrieval confidence → calibrated score: `even` maps to 0.5, linear on both sides. */
export function calibrate(raw: number, even: number): number {
  const value = raw < even ? (0.5 * raw) / even : 0.5 + (0.5 * (raw - even)) / (1 - even);
  return Math.round(Math.max(0, Math.min(1, value)) * 1000) / 1000;
}

export interface ProductPart {
  kind: 'product';
  product: Product;
  aspects: Aspects;
  confidence: number;
}

export interface FaqPart {
  kind: 'faq';
  faq: Faq;
  confidence: number;
}

export type AnswerPart = ProductPart | FaqPart;

export interface AnswerPlan {
  parts: AnswerPart[];
  /** Questions of the message nothing answered confidently (the reply says so). */
  unanswered: string[];
  /** A product question with no product named or in context ("有M码吗"). */
  needsProduct: boolean;
  /** The least confident answered part, or the best rejected candidate when nothing was answered. */
  confidence: number;
  /** What was understood: price, stock, size, color, spec, product, faq:<category>. */
  asked: string[];
  /** Attribute value equivalences used (the reply needs them to say which value matched). */
  values: ValueVocabulary;
}

export interface PlanOptions {
  /** The shop's ANSWER_MIN_CONFIDENCE. */
  minConfidence: number;
  /** The product discussed last, for "这件" (looked up only when needed). */
  contextProduct: () => Promise<Product | undefined>;
}

interface Candidate {
  product: Product;
  confidence: number;
  /** Content words of the question the product's data lacks. */
  unexplained: string[];
}

const specAspects: Aspect[] = ['material', 'capacity', 'fill', 'scent'];

function pickProducts(hits: Hit<Product>[]): Candidate[] {
  const best = hits[0];
  if (!best) return [];
  return hits
    .filter((h) => h.confidence >= best.confidence * 0.8)
    .slice(0, 3)
    .map((h) => ({ product: h.item, confidence: calibrate(h.confidence, PRODUCT_EVEN), unexplained: h.unexplained }));
}

function faqText(faq: Faq): string {
  const keywords = Array.isArray(faq.keywords) ? faq.keywords.join(' ') : '';
  return [faq.question, faq.answer, faq.questionEn ?? '', faq.answerEn ?? '', keywords].join('\n');
}

/** Whether the product's data can answer every aspect asked (a spec it does not list cannot be). */
function answerable(product: Product, aspects: Aspects): boolean {
  const kinds = new Set<string>(attributeList(product).map((a) => a.kind));
  // What a product is made of may be told by its description ("90%白鸭绒") when no attribute lists it.
  if (!kinds.has('material') && product.description && mentionsMaterial(product.description)) kinds.add('material');
  return specAspects.every((aspect) => !aspects.asked.has(aspect) || kinds.has(aspect));
}

/**
 * "保温杯500的有吗": the one word the product does not explain is a bare number, and the product has a
 * measured attribute (capacity, fill): the number is a value of it, in the unit its values use.
 */
function bareNumberSpec(
  product: Product,
  unexplained: string[],
): { kind: 'capacity' | 'fill'; spec: string } | undefined {
  const [number] = unexplained;
  if (unexplained.length !== 1 || !number || !/^\d+(\.\d+)?$/.test(number)) return undefined;
  for (const attribute of attributeList(product)) {
    if (attribute.kind !== 'capacity' && attribute.kind !== 'fill') continue;
    const unit = normalizeValue(attribute.values[0] ?? '').match(/[a-z]+$/)?.[0];
    if (unit) return { kind: attribute.kind, spec: `${number}${unit}` };
  }
  return undefined;
}

function merge(into: Aspects, from: Aspects): Aspects {
  return {
    ...into,
    asked: new Set([...into.asked, ...from.asked]),
    sizes: [...new Set([...into.sizes, ...from.sizes])],
    size: into.size ?? from.size,
    colors: [...new Set([...into.colors, ...from.colors])],
    specs: [...new Set([...into.specs, ...from.specs])],
  };
}

/** "冲锋衣呢" / "what about the jeans": a product named after a question, asking the same again. */
const followUp = /呢[?？\s]*$|^(what|how) about\b|^and\b/i;

export function askedIntents(parts: AnswerPart[]): string[] {
  const asked = new Set<string>();
  for (const part of parts) {
    if (part.kind === 'faq') {
      asked.add(`faq:${part.faq.category ?? part.faq.id}`);
      continue;
    }
    if (part.aspects.asked.size === 0) asked.add('product');
    for (const aspect of part.aspects.asked) asked.add(specAspects.includes(aspect) ? 'spec' : aspect);
  }
  return [...asked];
}

export async function planAnswer(
  question: string,
  knowledge: CatalogueSearch,
  options: PlanOptions,
): Promise<AnswerPlan> {
  const values = await knowledge.values();
  const min = options.minConfidence;
  const parts: AnswerPart[] = [];
  const unanswered: string[] = [];
  let needsProduct = false;
  let bestRejected = 0;
  let previous: { products: Candidate[]; aspects: Aspects } | undefined;

  const addProduct = (candidate: Candidate, aspects: Aspects) => {
    const existing = parts.find((p): p is ProductPart => p.kind === 'product' && p.product.id === candidate.product.id);
    if (existing) {
      existing.aspects = merge(existing.aspects, aspects);
      existing.confidence = Math.min(existing.confidence, candidate.confidence);
    } else parts.push({ kind: 'product', product: candidate.product, aspects, confidence: candidate.confidence });
  };

  for (const clause of splitClauses(question)) {
    let aspects = detectAspects(await knowledge.spell(clause), values);
    const result = await knowledge.search(clause, { productText: aspects.productText });
    let candidates: Candidate[] = [];
    const names = aspects.namesSomething ? splitProductList(aspects.productText) : [];
    if (names.length > 1) {
      for (const name of names) {
        candidates.push(...pickProducts((await knowledge.search(name, { productText: name })).products).slice(0, 2));
      }
    } else if (aspects.namesSomething) {
      candidates = pickProducts(result.products);
    }
    const rejected = candidates.filter((c) => c.confidence < min);
    for (const c of rejected) bestRejected = Math.max(bestRejected, c.confidence);
    // Nothing scored 0 is an answer, whatever the threshold (a rejected subject scores 0).
    candidates = candidates.filter((c) => c.confidence > 0 && c.confidence >= min);
    const productQuestion = aspects.asked.size > 0 || aspects.deictic;
    const namesValue = aspects.sizes.length > 0 || aspects.colors.length > 0 || aspects.specs.length > 0;

    let faqHit = result.faqs[0];
    let faqConfidence = faqHit ? calibrate(faqHit.confidence, FAQ_EVEN) : 0;
    if (faqHit && !coversSubjects(clause, faqText(faqHit.item))) faqConfidence = 0;
    // "how much is delivery" wants an amount: an answer without one answers another question.
    if (faqHit && !statesAskedFact(clause, `${faqHit.item.answer}\n${faqHit.item.answerEn ?? ''}`)) {
      const next = result.faqs[1];
      const nextOk =
        next &&
        coversSubjects(clause, faqText(next.item)) &&
        statesAskedFact(clause, `${next.item.answer}\n${next.item.answerEn ?? ''}`);
      faqHit = nextOk ? next : undefined;
      faqConfidence = faqHit ? calibrate(faqHit.confidence, FAQ_EVEN) : 0;
    }
    if (faqConfidence < min) bestRejected = Math.max(bestRejected, faqConfidence);
    const faqOk = faqHit !== undefined && faqConfidence > 0 && faqConfidence >= min;

    // No product named: "这件有M码吗" is about the product discussed last; "还有货吗" after "跑鞋有42码吗"
    // is about the same shoes.
    if (candidates.length === 0 && !aspects.namesSomething && productQuestion) {
      if (previous && previous.products.length > 0) candidates = previous.products;
      else if (aspects.deictic || namesValue || !faqOk) {
        const product = await options.contextProduct();
        if (product) candidates = [{ product, confidence: CONTEXT_PRODUCT_CONFIDENCE, unexplained: [] }];
        else if (aspects.deictic || namesValue) needsProduct = true;
      }
    }
    if (candidates.length > 0 && aspects.asked.size === 0 && previous && followUp.test(clause)) {
      aspects = merge(aspects, previous.aspects);
    }
    const answered: Candidate[] = [];
    // A question about a product that asks none of the things its data holds ("保温杯能装碳酸饮料吗")
    // is not answered by the product card.
    const asksBeyond = aspects.asked.size === 0 && isQuestion(clause);
    let measuredAnswer = false;
    for (const candidate of candidates) {
      const measured = aspects.asked.size === 0 ? bareNumberSpec(candidate.product, candidate.unexplained) : undefined;
      if (measured) {
        answered.push(candidate);
        addProduct(candidate, { ...aspects, asked: new Set<Aspect>([measured.kind]), specs: [measured.spec] });
        measuredAnswer = true;
      } else if (answerable(candidate.product, aspects) && !(asksBeyond && candidate.unexplained.length > 0)) {
        answered.push(candidate);
        addProduct(candidate, aspects);
      } else bestRejected = Math.max(bestRejected, candidate.confidence);
    }

    const productAnswer = answered.length > 0 && (aspects.asked.size > 0 || measuredAnswer);
    const faqAllowed =
      faqOk &&
      faqHit &&
      (!productAnswer ||
        (faqConfidence >= FAQ_BESIDE_PRODUCT && !(aspects.asked.has('size') && faqHit.item.category === 'sizing')));
    if (faqAllowed && faqHit && !parts.some((p) => p.kind === 'faq' && p.faq.id === faqHit.item.id)) {
      parts.push({ kind: 'faq', faq: faqHit.item, confidence: faqConfidence });
    }
    if (answered.length > 0) previous = { products: answered, aspects };
    if (answered.length === 0 && !faqAllowed && isQuestion(clause) && clause.length > 1) unanswered.push(clause);
  }
  const confidence = parts.length > 0 ? Math.min(...parts.map((p) => p.confidence)) : bestRejected;
  return {
    parts,
    unanswered: parts.length > 0 ? unanswered : [],
    needsProduct: parts.length === 0 && needsProduct,
    confidence,
    asked: askedIntents(parts),
    values,
  };
}
