// Ranked search over products and FAQs, held in memory and rebuilt whenever the catalog changes.
// Scoring is a weighted TF-IDF over character bigrams and words (see tokenize.ts); the confidence of a
// hit combines how much of the question it explains with how much of the product name / FAQ it matched,
// so a question about something the shop does not sell scores low instead of matching a stray word.
import { z } from 'zod';
import type { Faq, JsonValue, Product } from '../db/types.ts';
import { deletions, latinWords, normalize, tokenize } from './tokenize.ts';

export const Attributes = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type Attributes = z.infer<typeof Attributes>;
const Keywords = z.array(z.string());

export function productAttributes(value: JsonValue | null): Attributes {
  const parsed = Attributes.safeParse(value);
  return parsed.success ? parsed.data : {};
}

export interface SynonymEntry {
  term: string;
  alternatives: string[];
}

/** Built-in equivalences (incl. frequent typos); shop synonyms from the Synonym table add to these. */
export const builtinSynonyms: SynonymEntry[] = [
  { term: '包邮', alternatives: ['包油', '免邮', '免运费', '邮费全免', 'free shipping'] },
  { term: '运费', alternatives: ['邮费', '油费', '快递费', 'shipping fee', 'postage', 'shipping cost'] },
  { term: 'T恤', alternatives: ['t shirt', 'tshirt', 'tee', '体恤', 'T血', '短袖'] },
  { term: '卫衣', alternatives: ['hoodie', '帽衫'] },
  { term: '牛仔裤', alternatives: ['jeans', '牛仔', 'denim'] },
  { term: '羽绒服', alternatives: ['down jacket', 'puffer', '羽绒'] },
  { term: '连衣裙', alternatives: ['裙子', 'dress'] },
  { term: '跑鞋', alternatives: ['运动鞋', 'running shoe', 'sneaker'] },
  { term: '发货', alternatives: ['发出', '寄出', 'dispatch'] },
  { term: '优惠', alternatives: ['便宜点', '便宜', '打折', '砍价', '少点', 'discount', 'cheaper'] },
  { term: '付款', alternatives: ['支付', '付钱', 'pay', 'payment'] },
  { term: '发票', alternatives: ['开票', 'fapiao', 'invoice'] },
  { term: '尺码', alternatives: ['码数', '尺寸', '号码', 'size'] },
  { term: '退货', alternatives: ['退换', '退回', 'return'] },
];

export interface Hit<T> {
  item: T;
  score: number;
  /** 0..1: how sure we are that this item answers the question. */
  confidence: number;
}

export interface SearchResult {
  products: Hit<Product>[];
  faqs: Hit<Faq>[];
  /** The query after synonym and typo normalisation (what was actually scored). */
  normalized: string;
}

interface DocTerms {
  /** term → field weight (max over the fields it appears in). */
  terms: Map<string, number>;
  /** Term sets of the "title" fields whose coverage tells a specific match from a stray one. */
  titles: Array<Map<string, number>>;
}

/** Parallel arrays (not one object per posting): a 10,000-product index stays light on the GC. */
interface Postings {
  docs: number[];
  weights: number[];
}

class Collection<T> {
  readonly postings = new Map<string, Postings>();
  readonly docs: DocTerms[] = [];
  /** Reused score buffer; `rank` resets the entries it touched. */
  scores = new Float64Array(0);
  constructor(readonly items: T[]) {}

  add(doc: DocTerms): void {
    const index = this.docs.length;
    this.docs.push(doc);
    for (const [term, weight] of doc.terms) {
      let list = this.postings.get(term);
      if (!list) {
        list = { docs: [], weights: [] };
        this.postings.set(term, list);
      }
      list.docs.push(index);
      list.weights.push(weight);
    }
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.docs.length + 1) / (df + 0.5));
  }
}

function termMap(text: string | null | undefined): Map<string, number> {
  const map = new Map<string, number>();
  if (!text) return map;
  for (const { term, weight } of tokenize(text)) map.set(term, Math.max(map.get(term) ?? 0, weight));
  return map;
}

function addField(into: Map<string, number>, text: string | null | undefined, fieldWeight: number): void {
  addTerms(into, termMap(text), fieldWeight);
}

function addTerms(into: Map<string, number>, terms: Map<string, number>, fieldWeight: number): void {
  for (const [term, weight] of terms) into.set(term, Math.max(into.get(term) ?? 0, weight * fieldWeight));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One alternation of every synonym and canonical term, longest first: a canonical term matches itself,
 * so "羽绒" (an alternative of 羽绒服) never fires inside "羽绒服".
 */
interface SynonymRules {
  pattern: RegExp | null;
  canonical: Map<string, string>;
}

function synonymRules(entries: SynonymEntry[]): SynonymRules {
  const canonical = new Map<string, string>();
  for (const entry of entries) {
    const term = normalize(entry.term).trim();
    if (!term) continue;
    if (!canonical.has(term)) canonical.set(term, term);
    for (const alt of entry.alternatives) {
      const clean = normalize(alt).trim();
      if (clean && !canonical.has(clean)) canonical.set(clean, term);
    }
  }
  if (canonical.size === 0) return { pattern: null, canonical };
  const sources = [...canonical.keys()]
    .sort((a, b) => b.length - a.length)
    // Latin phrases match whole words only ("tee" must not fire inside "teeth").
    .map((key) => (/^[a-z0-9 ]+$/.test(key) ? `\\b${escapeRegex(key)}\\b` : escapeRegex(key)));
  return { pattern: new RegExp(sources.join('|'), 'g'), canonical };
}

/** Everyday shop words customers type in English, so typo correction never "fixes" them into product words. */
const commonWords = [
  'stock',
  'price',
  'size',
  'color',
  'colour',
  'available',
  'shipping',
  'delivery',
  'return',
  'refund',
  'exchange',
  'order',
  'invoice',
  'discount',
  'payment',
  'cost',
  'cheap',
  'free',
  'long',
  'take',
  'when',
  'where',
  'ship',
  'sell',
  'have',
  'does',
  'want',
  'need',
  'track',
  'tracking',
  'policy',
  'days',
  'sizes',
  'colors',
  'large',
  'small',
  'medium',
  'left',
  'still',
];

export class RetrievalIndex {
  private readonly productCollection: Collection<Product>;
  private readonly faqCollection: Collection<Faq>;
  private readonly rules: SynonymRules;
  /** Symmetric-delete map for Latin typos: a word and its one-deletion variants → vocabulary words. */
  private readonly typoIndex = new Map<string, string[]>();
  private readonly vocabulary = new Set<string>();

  constructor(products: Product[], faqs: Faq[], synonyms: SynonymEntry[] = []) {
    this.rules = synonymRules([...builtinSynonyms, ...synonyms]);
    this.productCollection = new Collection(products);
    for (const p of products) {
      const terms = new Map<string, number>();
      const titles = [termMap(p.name), termMap(p.nameEn), termMap(p.sku)];
      for (const title of titles) addTerms(terms, title, 3);
      addField(terms, p.category, 1.5);
      addField(terms, p.description, 0.6);
      addField(terms, p.descriptionEn, 0.6);
      for (const [key, value] of Object.entries(productAttributes(p.attributes))) {
        addField(terms, key, 0.4);
        addField(terms, Array.isArray(value) ? value.join(' ') : value, 0.5);
      }
      this.productCollection.add({ terms, titles });
      this.learn(`${p.name} ${p.nameEn ?? ''} ${p.category ?? ''} ${p.descriptionEn ?? ''}`);
    }
    this.faqCollection = new Collection(faqs);
    for (const f of faqs) {
      const keywords = Keywords.safeParse(f.keywords);
      const list = keywords.success ? keywords.data : [];
      const terms = new Map<string, number>();
      addField(terms, f.question, 2);
      addField(terms, f.questionEn, 2);
      for (const keyword of list) addField(terms, keyword, 2.5);
      addField(terms, f.answer, 0.3);
      addField(terms, f.answerEn, 0.3);
      this.faqCollection.add({ terms, titles: [termMap(f.question), termMap(f.questionEn), ...list.map(termMap)] });
      this.learn(`${f.questionEn ?? ''} ${list.join(' ')}`);
    }
    for (const entry of synonyms) this.learn(entry.term);
    this.learn(commonWords.join(' '));
  }

  get size(): { products: number; faqs: number } {
    return { products: this.productCollection.items.length, faqs: this.faqCollection.items.length };
  }

  /** Applies synonyms and typo corrections: the text every later step sees. */
  normalizeQuery(text: string): string {
    let query = ` ${normalize(text)} `;
    const { pattern, canonical } = this.rules;
    if (pattern) query = query.replace(pattern, (found) => ` ${canonical.get(found) ?? found} `);
    for (const word of new Set(latinWords(query))) {
      if (word.length < 4 || this.vocabulary.has(word)) continue;
      const fixed = this.correct(word);
      if (fixed) query = query.replace(new RegExp(`\\b${escapeRegex(word)}`, 'g'), fixed);
    }
    return query.replace(/\s+/g, ' ').trim();
  }

  search(text: string, options: { limit?: number; productText?: string } = {}): SearchResult {
    const normalized = this.normalizeQuery(text);
    const productQuery = options.productText === undefined ? normalized : this.normalizeQuery(options.productText);
    const limit = options.limit ?? 5;
    return {
      products: rank(this.productCollection, queryTerms(productQuery), limit),
      faqs: rank(this.faqCollection, queryTerms(normalized), limit),
      normalized,
    };
  }

  private learn(text: string): void {
    for (const word of latinWords(text)) {
      if (word.length < 3 || this.vocabulary.has(word)) continue;
      this.vocabulary.add(word);
      for (const key of [word, ...deletions(word)]) {
        const list = this.typoIndex.get(key);
        if (list) list.push(word);
        else this.typoIndex.set(key, [word]);
      }
    }
  }

  /** The vocabulary word one edit away (insert, delete, substitute, transpose), if exactly one fits best. */
  private correct(word: string): string | undefined {
    const counts = new Map<string, number>();
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.typoIndex.get(key) ?? []) counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const [candidate, count] of counts) {
      if (count > bestCount || (count === bestCount && best !== undefined && candidate.length < best.length)) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }
}

function queryTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const { term, weight } of tokenize(text)) terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  return terms;
}

function isBigramOrWord(term: string): boolean {
  return term.length > 1 || !/[\u3400-\u9fff]/.test(term);
}

/** Terms in more than this share of documents do not pick candidates (they still count in confidence). */
const COMMON_SHARE = 0.2;

function rank<T>(collection: Collection<T>, query: Map<string, number>, limit: number): Hit<T>[] {
  const n = collection.docs.length;
  if (query.size === 0 || n === 0) return [];
  const idf = new Map<string, number>();
  for (const term of query.keys()) idf.set(term, collection.idf(term));
  const seeds = [...query.keys()].filter((term) => {
    const df = collection.postings.get(term)?.docs.length ?? 0;
    return df > 0 && df <= Math.max(50, n * COMMON_SHARE);
  });
  // Only common terms ("T恤" in a T-shirt shop): the two rarest of them pick the candidates.
  const scoring =
    seeds.length > 0
      ? seeds
      : [...query.keys()]
          .filter((term) => collection.postings.has(term))
          .sort((a, b) => (idf.get(b) ?? 0) - (idf.get(a) ?? 0))
          .slice(0, 2);
  // A dense score array and the list of touched documents: no Map churn on long posting lists.
  if (collection.scores.length !== n) collection.scores = new Float64Array(n);
  const scores = collection.scores;
  const touched: number[] = [];
  for (const term of scoring) {
    const list = collection.postings.get(term);
    if (!list) continue;
    const factor = (query.get(term) ?? 0) * (idf.get(term) ?? 0);
    const { docs, weights } = list;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i] ?? 0;
      if (scores[doc] === 0) touched.push(doc);
      scores[doc] = (scores[doc] ?? 0) + factor * (weights[i] ?? 0);
    }
  }
  const keep = Math.max(limit * 3, 10);
  const top = topK(touched, scores, keep);
  const hits: Hit<T>[] = [];
  for (const docIndex of top) {
    const doc = collection.docs[docIndex];
    const item = collection.items[docIndex];
    if (!doc || item === undefined) continue;
    hits.push({ item, score: scores[docIndex] ?? 0, confidence: confidence(doc, query, idf) });
  }
  for (const doc of touched) scores[doc] = 0;
  return hits.sort((a, b) => b.confidence * 10 + b.score - (a.confidence * 10 + a.score)).slice(0, limit);
}

/** The k best-scoring documents, without sorting every touched one. */
function topK(docs: number[], scores: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (const doc of docs) {
    const score = scores[doc] ?? 0;
    if (best.length === k && score <= (scores[best[k - 1] ?? 0] ?? 0)) continue;
    let at = best.length;
    while (at > 0 && (scores[best[at - 1] ?? 0] ?? 0) < score) at--;
    best.splice(at, 0, doc);
    if (best.length > k) best.pop();
  }
  return best;
}

function confidence(doc: DocTerms, query: Map<string, number>, idf: Map<string, number>): number {
  const matched = new Set<string>();
  let strong = false;
  for (const term of query.keys()) {
    if (!doc.terms.has(term)) continue;
    matched.add(term);
    if (isBigramOrWord(term)) strong = true;
  }
  if (!strong) return 0;
  // Bigrams that straddle two words ("恤多" in "T恤多少钱") are noise: an unmatched bigram that shares
  // a character with a matched one does not count against the question's coverage.
  const matchedChars = new Set<string>();
  for (const term of matched) if (term.length === 2) for (const c of term) matchedChars.add(c);
  let total = 0;
  let hit = 0;
  for (const [term, weight] of query) {
    const mass = weight * (idf.get(term) ?? 0);
    if (matched.has(term)) {
      // A word found only in an FAQ answer or a description explains the question less than one in
      // the title or keywords.
      hit += mass * Math.min(1, doc.terms.get(term) ?? 0);
      total += mass;
    } else if (!(term.length === 2 && [...term].some((c) => matchedChars.has(c)))) {
      total += mass;
    }
  }
  const questionCoverage = total > 0 ? hit / total : 0;
  let titleCoverage = 0;
  for (const title of doc.titles) {
    let all = 0;
    let got = 0;
    for (const [term, weight] of title) {
      all += weight;
      if (query.has(term)) got += weight;
    }
    if (all > 0) titleCoverage = Math.max(titleCoverage, got / all);
  }
  return questionCoverage * (0.55 + 0.45 * titleCoverage);
}
