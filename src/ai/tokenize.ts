// Tokens for retrieval: Chinese runs become character bigrams (plus unigrams at a lower weight, so a
// one-character typo still shares most of a word) and the words of the jieba segmenter
// (segmenter.ts); Latin runs become lower-cased words with a light plural stem. A question drops the
// bigrams that straddle two words ("恤多" in "T恤多少钱"). Product types get a head term ("#帽" for
// 棒球帽, 帽子 and "cap") so "有没有帽子" finds the baseball cap. Emoji and punctuation are dropped.
import { searchWords, words } from './segmenter.ts';

/** Question particles and pronouns: as unigrams they match everything and mean nothing. */
const STOP_CHARS = new Set([
  ...'的了吗呢吧啊呀嘛哦么是有我你您他她它这那个件些都也还就在和与或请问想要能可以会少什怎样么吗啦哈呗嗯啥咋亲拍子',
]);
/** Sentence particles: a bigram with one of them ("货吗", "钱啊") never makes a match on its own. */
const PARTICLES = new Set([...'的了吗呢吧啊呀嘛哦么啦哈呗嗯']);

/** Whether a term is a bigram that leans on a sentence particle. */
export function leansOnParticle(term: string): boolean {
  return term.length === 2 && [...term].some((c) => PARTICLES.has(c));
}

/** Bigrams made only of function words ("有没", "可以"...). */
const STOP_BIGRAMS = new Set([
  '可以',
  '请问',
  '什么',
  '怎么',
  '这个',
  '那个',
  '这件',
  '那件',
  '有没',
  '没有',
  '一下',
  '多少',
  '能不',
  '不能',
  '是不',
  '不是',
  '我想',
  '我要',
  '你们',
  '我们',
  '吗吗',
  '你家',
  '们家',
  '一款',
  '一件',
  '一条',
  '一双',
  '一顶',
  '一盒',
  '今天',
  '现在',
  '最近',
  '老板',
  '亲亲',
  '的话',
  '想问',
  '问下',
  '知道',
  '东西',
  '有没有',
  '有木有',
  '能不能',
  '可不可以',
  '是不是',
  '什么时候',
  '怎么样',
  '为什么',
  '多少钱',
  '你们家',
  '请问一下',
  '推荐',
  '下单',
  '单后',
  '买了',
  '买的',
  '拍了',
  '拍的',
  '衣服',
  '商品',
  '宝贝',
  '产品',
  // Why a customer returns something ("不合适", "不喜欢") is not what the question is about.
  '合适',
  '不合',
  '喜欢',
  '不喜',
  '满意',
  '不满',
  '收到',
]);
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'do',
  'does',
  'you',
  'your',
  'guys',
  'guy',
  'ya',
  'i',
  'me',
  'my',
  'it',
  'this',
  'that',
  'of',
  'to',
  'in',
  'on',
  'for',
  'and',
  'or',
  'can',
  'have',
  'has',
  'be',
  'what',
  'how',
  'much',
  'many',
  'there',
  'any',
  'with',
  'please',
  'pls',
  'plz',
  'hi',
  'hello',
  'we',
  'u',
  'will',
  'would',
  'get',
  'one',
  'about',
  'if',
  'doesn',
  'don',
  'isn',
  'aren',
  'won',
  'didn',
  't',
  're',
  've',
  'll',
  'd',
]);
/** Words that frame a question ("how long does it take") rather than name its subject: they count little. */
const LIGHT_WORDS = new Set([
  'long',
  'take',
  'takes',
  'many',
  'get',
  'put',
  'should',
  'make',
  'customer',
  'customers',
  'new',
]);

export interface Token {
  term: string;
  weight: number;
}

/** NFKC (full-width → half-width), lower case, traditional quirks left alone. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Everyday spoken forms and their written equivalents (啥 = 什么, 咋 = 怎么): the rules know the written ones. */
const colloquialForms: Array<[RegExp, string]> = [
  [/啥/g, '什么'],
  [/神马/g, '什么'],
  [/咋/g, '怎么'],
  [/肿么/g, '怎么'],
  [/木有/g, '没有'],
];

/** A question with its spoken forms written out ("160斤穿啥码" → "160斤穿什么码", "咋卖" → "怎么卖"). */
export function colloquial(text: string): string {
  let out = text;
  for (const [pattern, written] of colloquialForms) out = out.replace(pattern, written);
  return out;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('es') && /(sh|ch|x|s)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The last character of a product word that names its type (棒球帽, 帆布鞋, 托特包…). */
const HEADS = new Set([...'鞋帽裤裙包袜杯巾']);
/** English words for those types. */
const ENGLISH_HEADS = new Map<string, string>([
  ...['shoe', 'sneaker', 'trainer', 'boot'].map((w) => [w, '鞋'] as [string, string]),
  ...['cap', 'hat'].map((w) => [w, '帽'] as [string, string]),
  ...['pant', 'trouser', 'jean', 'jogger'].map((w) => [w, '裤'] as [string, string]),
  ...['skirt', 'dress'].map((w) => [w, '裙'] as [string, string]),
  ...['bag', 'tote', 'handbag'].map((w) => [w, '包'] as [string, string]),
  ...['sock'].map((w) => [w, '袜'] as [string, string]),
  ...['cup', 'mug', 'bottle', 'thermo', 'flask'].map((w) => [w, '杯'] as [string, string]),
  ...['scarf', 'scarve'].map((w) => [w, '巾'] as [string, string]),
]);
const HEAD_WEIGHT = 0.8;

/** The head term of a product word: 棒球帽 → #帽, 帽子 → #帽, 包包 → #包, 鞋 → #鞋. */
function headOf(word: string): string | undefined {
  const last = word[word.length - 1] ?? '';
  if (word.length === 2 && (last === '子' || last === word[0]) && HEADS.has(word[0] ?? '')) return `#${word[0]}`;
  return HEADS.has(last) ? `#${last}` : undefined;
}

export interface TokenizeOptions {
  /** A question: drop bigrams that straddle two words. */
  query?: boolean;
}

/**
 * Weighted tokens of a text; a term may repeat. A segment (text between spaces/punctuation) is cut into
 * units (one Chinese character, or one Latin/digit word); bigrams join neighbouring units when one of
 * them is Chinese, so "T恤" and "M码" become terms of their own.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const out: Token[] = [];
  // One pass over the characters, no closures (hot path: every product field at index time).
  let units: string[] = [];
  let word = '';
  for (const char of normalize(text)) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x3400 && code <= 0x9fff) {
      if (word) units.push(word);
      word = '';
      units.push(char);
    } else if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      word += char;
    } else {
      if (word) units.push(word);
      word = '';
      if (units.length > 0) emit(units, out, options);
      units = [];
    }
  }
  if (word) units.push(word);
  if (units.length > 0) emit(units, out, options);
  return out;
}

function isCjk(unit: string): boolean {
  const code = unit.codePointAt(0) ?? 0;
  return code >= 0x3400 && code <= 0x9fff;
}

/**
 * Offsets (in the joined units) where a word of at least two characters meets another one, or where
 * a function word ("衣服", "可以") meets anything: the bigram across such a join is noise ("服买").
 */
function wordJoins(pieces: readonly string[]): Set<number> {
  const joins = new Set<number>();
  let at = 0;
  let previous = '';
  for (const piece of pieces) {
    const both = previous.length >= 2 && piece.length >= 2;
    if (at > 0 && (both || STOP_BIGRAMS.has(previous) || STOP_BIGRAMS.has(piece))) joins.add(at);
    at += piece.length;
    previous = piece;
  }
  return joins;
}

function emit(units: string[], out: Token[], options: TokenizeOptions): void {
  const hasCjk = units.some(isCjk);
  const joined = hasCjk ? units.join('') : '';
  // One segmentation per run (the hot path of a question): word joins, longer words and head terms.
  const pieces = hasCjk ? words(joined) : [];
  const joins = options.query ? wordJoins(pieces) : undefined;
  let offset = 0;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? '';
    const cjk = isCjk(unit);
    if (cjk) {
      if (!STOP_CHARS.has(unit)) out.push({ term: unit, weight: 0.35 });
    } else if (!STOP_WORDS.has(unit)) {
      const stemmed = stem(unit);
      const weight = LIGHT_WORDS.has(unit) ? 0.3 : unit.length === 1 && !/\d/.test(unit) ? 0.5 : 1;
      out.push({ term: stemmed, weight });
      const head = ENGLISH_HEADS.get(stemmed);
      if (head) out.push({ term: `#${head}`, weight: HEAD_WEIGHT });
    }
    offset += unit.length;
    const next = units[i + 1];
    if (next === undefined) continue;
    if (!cjk && !isCjk(next)) continue;
    if (joins?.has(offset)) continue;
    const bigram = unit + next;
    if (STOP_BIGRAMS.has(bigram) || (STOP_CHARS.has(unit) && STOP_CHARS.has(next))) continue;
    // Half a function word ("钱啊", "有货") carries less meaning than two content characters.
    out.push({ term: bigram, weight: STOP_CHARS.has(unit) || STOP_CHARS.has(next) ? 0.4 : 1 });
  }
  if (!hasCjk) return;
  // Documents also get the dictionary sub-words of their long words ("纯棉短袖t恤" → 纯棉, 短袖, t恤).
  for (const w of options.query ? pieces : searchWords(joined)) {
    if (w.length < 3 || STOP_BIGRAMS.has(w) || !/[\u3400-\u9fff]/.test(w)) continue;
    // Two-character words are already bigrams; longer ones ("羽绒服") are terms of their own.
    out.push({ term: w, weight: 1 });
  }
  for (const w of pieces) {
    const head = /^[\u3400-\u9fff]+$/.test(w) ? headOf(w) : undefined;
    if (head) out.push({ term: head, weight: HEAD_WEIGHT });
  }
}

/** Latin words of a text (for typo matching). */
export function latinWords(text: string): string[] {
  return [...normalize(text).matchAll(/[a-z]+/g)].map((m) => stem(m[0]));
}

/** The single-deletion variants of a word (symmetric-delete typo lookup). */
export function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}
