// Ranked search over products and FAQs, held in memory and rebuilt whenever the catalog changes.
// Scoring is a weighted TF-IDF over character bigrams and words (see tokenize.ts); the confidence of a
// hit combines how much of the question it explains with how much of the product name / FAQ it matched,
// so a question about something the shop does not sell scores low instead of matching a stray word.
import { z } from 'zod';
import type { Faq, Product } from '../db/types.ts';
import { colorWords, parseAttributes, type ValueVocabulary, valueVocabulary } from './attributes.ts';
import { addWords, dictionaryVersion } from './segmenter.ts';
import { colloquial, deletions, latinWords, leansOnParticle, normalize, tokenize } from './tokenize.ts';

const Keywords = z.array(z.string());

export interface SynonymEntry {
  term: string;
  alternatives: string[];
}

/** Built-in equivalences (incl. frequent typos); shop synonyms from the Synonym table add to these. */
export const builtinSynonyms: SynonymEntry[] = [
  {
    term: '包邮',
    alternatives: [
      '包油',
      '免邮',
      '免运费',
      '邮费全免',
      'free shipping',
      'ship free',
      'ship for free',
      'free delivery',
      'free postage',
    ],
  },
  {
    term: '运费',
    alternatives: [
      '邮费',
      '油费',
      '快递费',
      'shipping fee',
      'postage',
      'shipping cost',
      'delivery fee',
      'delivery cost',
      'delivery charge',
      'how much is delivery',
      'how much for delivery',
      'how much is shipping',
    ],
  },
  { term: 'T恤', alternatives: ['t shirt', 't-shirt', 'tshirt', 'tee', '体恤', 'T血', 'T桖', '体桖', '短袖'] },
  { term: '卫衣', alternatives: ['hoodie', '帽衫'] },
  { term: '牛仔裤', alternatives: ['jeans', '牛仔', 'denim'] },
  { term: '羽绒服', alternatives: ['down jacket', 'puffer', '羽绒'] },
  { term: '连衣裙', alternatives: ['裙子', 'dress'] },
  { term: '跑鞋', alternatives: ['运动鞋', 'running shoe', 'sneaker'] },
  {
    term: '保温杯',
    alternatives: ['保温瓶', '保温壶', '水杯', 'water bottle', 'thermos', 'insulated bottle', 'flask'],
  },
  {
    term: '发货',
    alternatives: [
      '发出',
      '寄出',
      '出货',
      '当天发',
      '当日发',
      'dispatch',
      'ship out',
      'send out',
      'same day',
      'same-day',
    ],
  },
  {
    term: '多久能到',
    alternatives: [
      '几天能到',
      '几天到',
      '几天能收到',
      '几天收到',
      '多久收到',
      '多久能收到',
      '要几天',
      '多久到',
      '什么时候到',
      '什么时候能到',
      '几号到',
      '几号能到',
      '几号能收到',
      '哪天到',
      '哪天能到',
    ],
  },
  { term: 'delivery', alternatives: ['deliver', 'delivered', 'arrive', 'arrives', 'get here'] },
  { term: '快递', alternatives: ['哪家快递', '什么快递', '物流公司', '快递公司', 'courier', 'delivery company'] },
  {
    term: '优惠',
    alternatives: [
      '便宜点',
      '便宜',
      '打折',
      '砍价',
      '少点',
      '活动',
      '促销',
      '满减',
      'discount',
      'discounts',
      'cheaper',
      'better price',
      'lower price',
      'bargain',
      'deal',
      'deals',
      'promo',
    ],
  },
  { term: '付款', alternatives: ['支付', '付钱', 'pay', 'payment'] },
  { term: '银行卡', alternatives: ['bank card', 'bank cards', 'debit card', 'credit card', '信用卡', '储蓄卡'] },
  { term: '送礼', alternatives: ['礼物', 'as a gift', 'gift'] },
  { term: '改地址', alternatives: ['地址错了', '地址填错', '填错地址', '地址写错', '写错地址', '发错地址'] },
  {
    term: '货到付款',
    alternatives: ['先收货再付', '收到货再付', '收货再付', '收货后付', '到付', 'pay on delivery', 'cash on delivery'],
  },
  { term: '发票', alternatives: ['开票', 'fapiao', 'invoice'] },
  { term: '尺码', alternatives: ['码数', '尺寸', '号码', 'size'] },
  {
    term: '尺码推荐',
    alternatives: [
      '穿什么码',
      '穿多大',
      '选多大',
      '选什么码',
      '什么码合适',
      '哪个码',
      '穿哪个码',
      'which size',
      'what size',
      'size should',
      'size do i',
    ],
  },
  {
    term: '退货',
    alternatives: [
      '退换',
      '退回',
      '能退',
      '可以退',
      '退吗',
      '退不退',
      '能换',
      '可以换',
      '退掉',
      'return',
      'send it back',
      'send back',
    ],
  },
  { term: '退款', alternatives: ['退钱', '钱退回', '钱多久能退', 'money back'] },
  { term: '会员', alternatives: ['vip', '会员权益', 'member', 'members', 'membership'] },
  {
    term: '客服时间',
    alternatives: [
      '几点上班',
      '几点下班',
      '上班时间',
      '下班时间',
      '工作时间',
      '营业时间',
      'service hours',
      'opening hours',
      'business hours',
      'support hours',
      'support close',
      'support open',
      'you close',
      'you open',
      'closing time',
    ],
  },
  {
    term: '实体店',
    alternatives: [
      '门店',
      '线下店',
      '店里',
      '到店',
      '试穿',
      'physical store',
      'in person',
      'pick it up',
      'pick up',
      'store i can visit',
      'shop i can visit',
      'i can visit',
      'can i visit',
      'visit your shop',
      'visit your store',
      'offline store',
    ],
  },
  { term: '清洗', alternatives: ['怎么洗', '如何洗', '怎样洗', '咋洗', '洗涤'] },
  { term: 'wash', alternatives: ['washing machine', 'machine wash', 'washed', 'clean it'] },
  {
    term: 'delivery time',
    alternatives: [
      'how many days',
      'how long does delivery take',
      'how long does shipping take',
      'how long will it take',
    ],
  },
];

export interface Hit<T> {
  item: T;
  score: number;
  /** 0..1: how sure we are that this item answers the question. */
  confidence: number;
  /** Content words of the question this item does not contain ("碳酸饮料" for the bottle). */
  unexplained: string[];
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
  'print',
  'custom',
  'customize',
  'logo',
  'kid',
  'child',
  'children',
  'baby',
  'gift',
  'men',
  'women',
  'should',
  'could',
  'would',
  'wear',
  'fit',
  // Chat words: a word customers type in any question is never a typo of a product word ("show" ≠ shoe).
  ...'show tell know like look looking send sent thing something stuff thanks good really actually also just more item items which there their them they these those then than very been back right only other after before again even well make made come came give every same done sure okay maybe yeah yes please help tried wondering still much many from here some what your with will have does shop store buy bought pay paid scent smell fragrance material fabric capacity cotton wool silk linen leather cashmere polyester nylon down fill waterproof colour color sizes'.split(
    ' ',
  ),
];

/** "send something back", "send the dress back": the phrase the synonyms know is "send back". */
const sendBack = /\bsend (?:it|this|them|these|that|something|stuff|(?:the|my) \w+) back\b/g;

export class RetrievalIndex {
  private readonly productCollection: Collection<Product>;
  private readonly faqCollection: Collection<Faq>;
  private readonly rules: SynonymRules;
  /** Symmetric-delete map for Latin typos: a word and its one-deletion variants → vocabulary words. */
  private readonly typoIndex = new Map<string, string[]>();
  private readonly vocabulary = new Set<string>();
  /** Attribute value equivalences (built-in colours and sizes plus the shop's synonyms). */
  readonly values: ValueVocabulary;

  constructor(products: Product[], faqs: Faq[], synonyms: SynonymEntry[] = []) {
    this.rules = synonymRules([...builtinSynonyms, ...synonyms]);
    this.values = valueVocabulary(synonyms);
    // The shop's own words segment whole: product names, categories, synonym terms.
    addWords(products.flatMap((p) => [p.name, p.category ?? '']));
    addWords([...builtinSynonyms, ...synonyms].flatMap((entry) => [entry.term, ...entry.alternatives]));
    this.productCollection = new Collection(products);
    for (const p of products) {
      const terms = new Map<string, number>();
      const titles = [termMap(p.name), termMap(p.nameEn), termMap(p.sku)];
      for (const title of titles) addTerms(terms, title, 3);
      // The category names the product too ("有什么外套" is answered by every 外套).
      const category = termMap(p.category);
      addTerms(terms, category, 1.5);
      titles.push(category);
      addField(terms, p.description, 0.6);
      addField(terms, p.descriptionEn, 0.6);
      for (const [key, value] of Object.entries(parseAttributes(p.attributes))) {
        addField(terms, key, 0.4);
        addField(terms, Array.isArray(value) ? value.join(' ') : value, 0.5);
      }
      for (const value of Object.values(parseAttributes(p.attributesEn))) {
        const text = Array.isArray(value) ? value.join(' ') : value;
        addField(terms, text, 0.5);
        this.learn(text);
      }
      this.productCollection.add({ terms, titles });
      this.learn(`${p.name} ${p.nameEn ?? ''} ${p.category ?? ''} ${p.descriptionEn ?? ''}`);
    }
    this.faqCollection = new Collection(faqs);
    for (const f of faqs) {
      const keywords = Keywords.safeParse(f.keywords);
      const list = keywords.success ? keywords.data : [];
      const terms = new Map<string, number>();
      // The question and keywords also in the synonyms' words: a query says "多久能到" for "几天到",
      // so the FAQ that says "几天能到" must hold the same term.
      const titles = [f.question, f.questionEn ?? '', ...list].flatMap((text) => {
        const canonical = this.canonical(text);
        return canonical === normalize(text).trim() ? [termMap(text)] : [termMap(text), termMap(canonical)];
      });
      for (const title of titles) addTerms(terms, title, 2);
      for (const keyword of list) addField(terms, keyword, 2.5);
      addField(terms, f.answer, 0.3);
      addField(terms, f.answerEn, 0.3);
      this.faqCollection.add({ terms, titles });
      this.learn(`${f.questionEn ?? ''} ${list.join(' ')}`);
    }
    // Synonym phrases are words customers use: never "correct" them into something else.
    for (const entry of [...builtinSynonyms, ...synonyms]) this.learn([entry.term, ...entry.alternatives].join(' '));
    this.learn(commonWords.join(' '));
    // Colour names are words customers type (and mistype: "blak").
    this.learn(colorWords.join(' '));
  }

  get size(): { products: number; faqs: number } {
    return { products: this.productCollection.items.length, faqs: this.faqCollection.items.length };
  }

  /** The last texts spelt: a question is spelt for its aspects and again by `search` (the vocabulary is fixed). */
  private readonly spelt = new Map<string, string>();

  /** The text with its Latin typos corrected ("do u have the tee in blak" → "… black"), nothing else. */
  spell(text: string): string {
    const known = this.spelt.get(text);
    if (known !== undefined) return known;
    const query = this.correctTypos(text);
    if (this.spelt.size >= 64) this.spelt.clear();
    this.spelt.set(text, query);
    return query;
  }

  private correctTypos(text: string): string {
    let query = ` ${colloquial(normalize(text))} `;
    for (const word of new Set(latinWords(query))) {
      if (word.length < 4 || this.vocabulary.has(word)) continue;
      const fixed = this.correct(word);
      if (fixed) query = query.replace(new RegExp(`\\b${escapeRegex(word)}`, 'g'), fixed);
    }
    return query;
  }

  /** The text in the synonyms' canonical words (no typo correction). */
  private canonical(text: string): string {
    const { pattern, canonical } = this.rules;
    if (!pattern) return normalize(text).trim();
    return ` ${normalize(text)} `
      .replace(pattern, (found) => ` ${canonical.get(found) ?? found} `)
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** Applies synonyms and typo corrections: the text every later step sees. */
  normalizeQuery(text: string): string {
    // Typos first, so a misspelt phrase ("how long does shiping take") still meets its synonym.
    let query = this.spell(text).replace(sendBack, ' send back ');
    const { pattern, canonical } = this.rules;
    if (pattern) query = query.replace(pattern, (found) => ` ${canonical.get(found) ?? found} `);
    return query.replace(/\s+/g, ' ').trim();
  }

  /**
   * Recent searches: a question is searched once for its clause and the same questions come again
   * ("包邮吗"). The index never changes; the segmenter's dictionary can (another index adding its
   * words), which drops the memo. Bounded (cleared when full).
   */
  private readonly searched = new Map<string, SearchResult>();
  private searchedVersion = dictionaryVersion();

  search(text: string, options: { limit?: number; productText?: string } = {}): SearchResult {
    const version = dictionaryVersion();
    if (version !== this.searchedVersion) {
      this.searched.clear();
      this.searchedVersion = version;
    }
    const key = `${options.limit ?? ''}\u0000${options.productText ?? '\u0001'}\u0000${text}`;
    let result = this.searched.get(key);
    if (!result) {
      result = this.searchAfresh(text, options);
      if (this.searched.size >= 256) this.searched.clear();
      this.searched.set(key, result);
    }
    // Each caller gets its own lists (answer planning filters and merges them).
    const copy = <T>(hit: Hit<T>): Hit<T> => ({ ...hit, unexplained: [...hit.unexplained] });
    return { products: result.products.map(copy), faqs: result.faqs.map(copy), normalized: result.normalized };
  }

  private searchAfresh(text: string, options: { limit?: number; productText?: string }): SearchResult {
    const normalized = this.normalizeQuery(text);
    const productQuery = options.productText === undefined ? normalized : this.normalizeQuery(options.productText);
    const limit = options.limit ?? 5;
    return {
      products: rank(this.productCollection, queryTerms(productQuery), limit),
      faqs: rank(this.faqCollection, queryTerms(normalized), limit, FAQ_UNKNOWN_WORD_WEIGHT),
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

  /**
   * The vocabulary word one edit away (insert, delete, substitute, transpose) that fits best. On a tie
   * the longer word wins: a dropped letter ("blak" → black, not back) is the commoner slip on a phone.
   */
  private correct(word: string): string | undefined {
    const counts = new Map<string, number>();
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.typoIndex.get(key) ?? []) counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const [candidate, count] of counts) {
      if (count > bestCount || (count === bestCount && best !== undefined && candidate.length > best.length)) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }
}

function queryTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const { term, weight } of tokenize(text, { query: true }))
    terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  return terms;
}

function isBigramOrWord(term: string): boolean {
  return term.length > 1 || !/[\u3400-\u9fff]/.test(term);
}

/** Characters a matched term accounts for: a bigram's two, a head term's one ("#帽" covers 帽 of 帽子). */
function coveredChars(term: string): string[] {
  if (term.startsWith('#')) return [term.slice(1)];
  return term.length === 2 ? [...term] : [];
}

/** Terms in more than this share of documents do not pick candidates (they still count in confidence). */
const COMMON_SHARE = 0.2;

function rank<T>(collection: Collection<T>, query: Map<string, number>, limit: number, unknownWeight = 1): Hit<T>[] {
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
    hits.push({
      item,
      score: scores[docIndex] ?? 0,
      confidence: confidence(doc, query, idf, (term) => collection.postings.has(term), unknownWeight),
      unexplained: unexplained(doc, query),
    });
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

/**
 * An unmatched term the matched ones already account for: a bigram sharing a character with a matched
 * bigram ("恤多" beside "T恤"), or a longer word all of whose characters were matched ("多久能到" when
 * "多久" and "能到" were).
 */
function straddles(term: string, matchedChars: Set<string>): boolean {
  if (term.length === 2) return [...term].some((c) => matchedChars.has(c));
  return term.length > 2 && !term.startsWith('#') && [...term].every((c) => matchedChars.has(c));
}

/** The question's content terms (words, content bigrams) the document lacks, straddling noise left out. */
function unexplained(doc: DocTerms, query: Map<string, number>): string[] {
  const matchedChars = new Set<string>();
  for (const term of query.keys()) if (doc.terms.has(term)) for (const c of coveredChars(term)) matchedChars.add(c);
  const out: string[] = [];
  for (const [term, weight] of query) {
    // A product type the item is not ("羽绒裤" asked, a down jacket found) is unexplained too.
    if (weight < 0.8 || doc.terms.has(term)) continue;
    if (straddles(term, matchedChars)) continue;
    out.push(term);
  }
  return out;
}

/**
 * How much an unmatched question word the shop never uses counts against an FAQ: chat questions carry
 * words no FAQ has ("今天", "下单后", "啊"); specific subjects no FAQ covers (places, payment methods)
 * are caught by the subject check (subjects.ts), and products stay strict (a product that explains
 * only half the question is not the answer).
 */
const FAQ_UNKNOWN_WORD_WEIGHT = 0.25;

function confidence(
  doc: DocTerms,
  query: Map<string, number>,
  idf: Map<string, number>,
  known: (term: string) => boolean,
  unknownWeight: number,
): number {
  const matched = new Set<string>();
  let strong = false;
  for (const term of query.keys()) {
    if (!doc.terms.has(term)) continue;
    matched.add(term);
    // A bigram leaning on a particle ("货吗") does not make a match on its own.
    if (isBigramOrWord(term) && !leansOnParticle(term)) strong = true;
  }
  if (!strong) return 0;
  // Bigrams that straddle two words ("恤多" in "T恤多少钱") are noise: an unmatched bigram that shares
  // a character with a matched one does not count against the question's coverage.
  const matchedChars = new Set<string>();
  for (const term of matched) for (const c of coveredChars(term)) matchedChars.add(c);
  let total = 0;
  let hit = 0;
  for (const [term, weight] of query) {
    const mass = weight * (idf.get(term) ?? 0);
    if (matched.has(term)) {
      // A word found only in an FAQ answer or a description explains the question less than one in
      // the title or keywords.
      hit += mass * Math.min(1, doc.terms.get(term) ?? 0);
      total += mass;
    } else if (!straddles(term, matchedChars)) {
      total += known(term) ? mass : mass * unknownWeight;
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
  // Matched only in a description or an answer ("fits a 14-inch laptop" for "do you sell laptops"):
  // that item is not what the question is about.
  const aboutIt = titleCoverage > 0 ? 1 : 0.5;
  return questionCoverage * (0.55 + 0.45 * titleCoverage) * aboutIt;
}
