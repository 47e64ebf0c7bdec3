// What a product question asks (price, stock, size, colour, material, capacity, fill, scent) and
// which values it names ("XL", "白色", "500ml"), found by pattern so the product search sees only the
// words that name the product ("T恤有白色吗" → product "T恤", colour 白色).
import { type AttributeKind, colorWords, normalizeValue, type ValueVocabulary } from './attributes.ts';
import { dictionaryVersion } from './segmenter.ts';
import { colloquial, normalize, tokenize } from './tokenize.ts';

export type Aspect = 'price' | 'stock' | Exclude<AttributeKind, 'other'>;

export interface Aspects {
  asked: Set<Aspect>;
  /** Sizes the customer named ("M", "38", "大码"), as typed (upper-cased codes). */
  sizes: string[];
  /** The first of `sizes`. */
  size: string | undefined;
  /** Colours the customer named ("白色", "white", "军绿"). */
  colors: string[];
  /** Spec values with a unit ("500ml", "90g"). */
  specs: string[];
  /** The question with aspect words and values removed: what the product search scores. */
  productText: string;
  /** "这件", "it": the customer points at the product discussed before. */
  deictic: boolean;
  /** The product text still has content words: the customer names an item (maybe one we do not sell). */
  namesSomething: boolean;
}

/** Materials customers ask about by name. */
const materialWords =
  '纯棉|全棉|棉|羊毛|羊绒|真丝|桑蚕丝|亚麻|麻|涤纶|聚酯纤维|尼龙|锦纶|腈纶|氨纶|真皮|牛皮|皮|鹅绒|鸭绒|羽绒|雪纺|牛仔布|不锈钢|塑料|玻璃';
function materialQuestion(): RegExp {
  return new RegExp(
    `是(不是)?(纯|全|真)?(${materialWords})(的|做的|材质)?(吗|么|嘛|不|没|呢|\\?|？)|(纯|全|真)(${materialWords})(的)?(吗|么|嘛|不)|(\\b(is it|are they|is this|is that) |\\b100% |\\bpure |\\breal |\\bgenuine )(cotton|wool|silk|linen|leather|cashmere|polyester|nylon|goose down|duck down)\\b`,
    'gi',
  );
}

/** Whether a text (a product description) names what the product is made of. */
export function mentionsMaterial(text: string): boolean {
  return new RegExp(
    `${materialWords}|绒|\\b(cotton|wool|silk|linen|leather|cashmere|polyester|nylon|down|denim|chiffon)\\b`,
    'i',
  ).test(text);
}

const patterns: Array<[Aspect, RegExp]> = [
  ['price', /多少钱|多少米|多钱|啥价|什么价|价格|价钱|价位|几块钱?|售价|卖多少|怎么卖|贵不贵|\bprices?\b|\bcosts?\b/gi],
  [
    'stock',
    /有货|有现货|现货|库存|还有吗|还有没有|有没有货|还有么|缺货|卖完|卖光|断货|没货|补货|到货|还剩|剩几|售罄|能拍吗|(还)?能买(到)?吗|买得到吗|(还)?(能|可以)(下单|拍|买)(吗|么|不|嘛)|还卖吗|还在卖|有的卖|没了(吗|么|嘛)|卖没了|\bin stock\b|\bavailable\b|sold out|out of stock|\bstock\b|\bleft\b|\brestock|\bstill (have|got|available|selling)\b/gi,
  ],
  ['size', /尺码|尺寸|码数|码子|多大码|什么码|几码|哪些码|(最大|最小)(多少|什么|几)?码|\bsizes?\b/gi],
  ['color', /颜色|什么色|哪些色|几种色|几个色|啥色|\bcolou?rs?\b/gi],
  ['material', /材质|面料|成分|什么料|啥料|材料|用料|\bmade of\b|\bmaterials?\b|\bfabric\b/gi],
  // "是纯羊毛的吗", "是鹅绒的吗", "is it real leather": a material named in a yes/no question.
  ['material', materialQuestion()],
  ['capacity', /容量|几毫升|多少毫升|\bcapacity\b/gi],
  ['fill', /充绒量|含绒量|绒量|多少绒|\bhow much down\b|\bfill\b/gi],
  ['scent', /香型|香味|味道|什么味|哪些味|\bscents?\b|\bsmells?\b|\bfragrances?\b/gi],
];

const sizeCodes = '(?:xxxl|xxl|3xl|2xl|xl|xs|s|m|l)';
/** Sizes as customers write them: "M码", "38码", "29的", "size 25", "in XL", a bare "XXL". */
const sizePatterns: RegExp[] = [
  new RegExp(`(?<![a-z0-9])(${sizeCodes}|[2-4]\\d)\\s*(?:码|号)`, 'gi'),
  /(?<![a-z0-9])([2-4]\d)(?=\s*(?:的|吗|有|还有))/gi,
  new RegExp(`\\b(?:size|in an?|in)\\s+(${sizeCodes}|[2-4]\\d)\\b`, 'gi'),
  /(?<![a-z0-9'’])(xxxl|xxl|3xl|2xl|xl|xs|m|l)(?![a-z0-9'’])/gi,
  /(均码|加大码|特大号|小码|中码|one size|free size)/gi,
  /\bin (?:an? )?(large|medium|small|extra large)\b/gi,
];
const specValue = /(\d+(?:\.\d+)?)\s*(ml|毫升|l|升|g|克)(?![a-z])/gi;
const deicticPattern =
  /这件|这个|这款|这双|这条|这顶|这只|那件|那个|那款|它|\bthis\b|\bit\b|\bthat\b|\bthem\b|\bones?\b/gi;
/** Words that ask without naming anything ("有没有", "is there", "介绍一下"). */
const fillerPattern =
  /有没有|有吗|有么|有木有|什么时候|何时|时候|什么|哪些|都有|吗|呢|嘛|请问|亲|一下|介绍|推荐|看看|想要|想买|要买|你们家|你家|你们|\?|？|\b(do|does|you|your|have|any|is|are|the|a|an|there|please|pls|hi|hey|hello|got|sell|what|which|in|come|comes|when|will|be|back|still|get|can|could|would|i|i'm|im|me|my|looking|for|show|tell|about|want|need|buy|like|to|of|with|see|some|u|r)\b/gi;
/** A colour word that is only one character counts when it reads like a colour ("白的", "黑色吗", "要红"). */
const shortColorTail = /^(?:色|的|款|吗|么|呢|[?？]|$)/;

/** A colour word prepared for matching: its normalised form, and a word-boundary pattern for Latin words. */
interface ColorMatcher {
  word: string;
  normalized: string;
  latin: boolean;
  pattern: RegExp | undefined;
}

/** The colour matchers of a vocabulary, longest word first; built once per vocabulary (the index keeps one). */
const colorMatchers = new WeakMap<ValueVocabulary, ColorMatcher[]>();

function colorMatchersOf(vocabulary: ValueVocabulary): ColorMatcher[] {
  const cached = colorMatchers.get(vocabulary);
  if (cached) return cached;
  const words = [...new Set([...colorWords, ...vocabularyWords(vocabulary, 'color')])].sort(
    (a, b) => b.length - a.length,
  );
  const matchers: ColorMatcher[] = [];
  for (const word of words) {
    const w = normalizeValue(word);
    if (!w) continue;
    const latin = /^[a-z -]+$/.test(w);
    const pattern = latin ? new RegExp(`\\b${w.replace(/[-]/g, '[- ]?')}\\b`) : undefined;
    matchers.push({ word, normalized: w, latin, pattern });
  }
  colorMatchers.set(vocabulary, matchers);
  return matchers;
}

function findColors(clean: string, vocabulary: ValueVocabulary): string[] {
  const found: string[] = [];
  let rest = clean;
  for (const { word, normalized: w, latin, pattern } of colorMatchersOf(vocabulary)) {
    let at = pattern ? (pattern.exec(rest)?.index ?? -1) : rest.indexOf(w);
    while (at !== -1) {
      const after = rest.slice(at + w.length);
      if (latin || w.length > 1 || shortColorTail.test(after)) {
        found.push(word);
        rest = `${rest.slice(0, at)} ${after}`;
        break;
      }
      const next = rest.indexOf(w, at + 1);
      at = next;
    }
  }
  return found;
}

const sizeLike = /^(xxxl|xxl|xl|xs|s|m|l|均码)$/;
const colorLike = new Set(colorWords.map(normalizeValue));
/** vocabularyWords per vocabulary and kind: the vocabulary is built once per catalogue index. */
const vocabularyWordCache = new WeakMap<ValueVocabulary, { size: string[]; color: string[] }>();

/** Members of the shop's value groups that belong with a kind of value (a shop synonym "大码 = XL"). */
function vocabularyWords(vocabulary: ValueVocabulary, kind: 'size' | 'color'): string[] {
  const cached = vocabularyWordCache.get(vocabulary);
  if (cached) return cached[kind];
  const words = { size: [] as string[], color: [] as string[] };
  for (const group of vocabulary.groups) {
    const members = [...group];
    const named = members.filter((m) => /[\u3400-\u9fff]/.test(m) && m.length >= 2);
    if (members.some((m) => sizeLike.test(m))) words.size.push(...named);
    if (members.some((m) => colorLike.has(m))) words.color.push(...named);
  }
  vocabularyWordCache.set(vocabulary, words);
  return words[kind];
}

/** "多少" / "how much" alone ask the price only when nothing else is asked ("充绒量多少" asks the fill). */
const weakPrice = /多少[?？!！。\s]*$|how much/gi;

const noVocabulary: ValueVocabulary = { groups: [] };

/**
 * Recent detections per vocabulary: the same questions come again and again ("包邮吗", "有M码吗").
 * A detection depends only on the text, the vocabulary and (through `namesSomething`) the segmenter's
 * dictionary, so the memo is dropped when the dictionary changes; bounded (cleared when full).
 */
const detected = new WeakMap<ValueVocabulary, { version: number; byText: Map<string, Aspects> }>();
const DETECTED_MAX = 512;

export function detectAspects(text: string, vocabulary: ValueVocabulary = noVocabulary): Aspects {
  const version = dictionaryVersion();
  let memo = detected.get(vocabulary);
  if (!memo || memo.version !== version) {
    memo = { version, byText: new Map() };
    detected.set(vocabulary, memo);
  }
  let aspects = memo.byText.get(text);
  if (!aspects) {
    aspects = detect(text, vocabulary);
    if (memo.byText.size >= DETECTED_MAX) memo.byText.clear();
    memo.byText.set(text, aspects);
  }
  // Each caller gets its own sets and lists (answer planning merges and narrows them).
  return {
    ...aspects,
    asked: new Set(aspects.asked),
    sizes: [...aspects.sizes],
    colors: [...aspects.colors],
    specs: [...aspects.specs],
  };
}

function detect(text: string, vocabulary: ValueVocabulary): Aspects {
  // Emoji say nothing a pattern reads ("多少💰" asks the price as "多少" does).
  const clean = colloquial(normalize(text))
    .replace(/\p{Extended_Pictographic}|\uFE0F|\u200D/gu, ' ')
    .trim();
  const asked = new Set<Aspect>();
  let productText = clean;
  // Values first: "size 25" must still read as a size once "size" is taken out as an aspect word.
  const specs: string[] = [];
  productText = productText.replace(specValue, (_whole, amount: string, unit: string) => {
    specs.push(normalizeValue(`${amount}${unit}`));
    return ' ';
  });
  for (const spec of specs) asked.add(/l$/.test(spec) ? 'capacity' : 'fill');
  const sizes: string[] = [];
  for (const word of vocabularyWords(vocabulary, 'size')) {
    if (productText.includes(word)) {
      sizes.push(word);
      productText = productText.replace(word, ' ');
    }
  }
  for (const pattern of sizePatterns) {
    productText = productText.replace(pattern, (_whole, value: string) => {
      sizes.push(/^[a-z0-9]+$/i.test(value) ? value.toUpperCase() : value);
      return ' ';
    });
  }
  if (sizes.length > 0) asked.add('size');
  const colors = findColors(productText, vocabulary);
  for (const color of colors) productText = productText.replace(normalizeValue(color), ' ');
  if (colors.length > 0) asked.add('color');
  for (const [aspect, pattern] of patterns) {
    if (productText.match(pattern)) {
      asked.add(aspect);
      productText = productText.replace(pattern, ' ');
    }
  }
  if (productText.match(weakPrice)) {
    if (asked.size === 0) asked.add('price');
    productText = productText.replace(weakPrice, ' ');
  }
  // "available in khaki" / "有XL吗" ask about a value, not about stock.
  if (
    (sizes.length > 0 || colors.length > 0) &&
    !/有货|现货|库存|缺货|卖完|断货|没货|sold out|in stock|out of stock/.test(clean)
  ) {
    asked.delete('stock');
  }
  // "what colors is the cap available in": "available" goes with the colours asked, not with stock.
  if (
    (asked.has('color') || asked.has('size')) &&
    /\bavailable in\b/.test(clean) &&
    !/\bin stock\b|out of stock|sold out|\bstock\b|\bleft\b/.test(clean)
  ) {
    asked.delete('stock');
  }
  const deictic = new RegExp(deicticPattern.source, 'i').test(clean);
  productText = productText.replace(deicticPattern, ' ').replace(fillerPattern, ' ').replace(/\s+/g, ' ').trim();
  return {
    asked,
    sizes: [...new Set(sizes)],
    size: sizes[0],
    colors,
    specs,
    productText,
    deictic,
    namesSomething: tokenize(productText).some((t) => t.weight >= 0.8),
  };
}
