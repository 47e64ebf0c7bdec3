// Tokens for retrieval that work without a segmenter: Chinese runs become character bigrams (plus
// unigrams at a lower weight, so a one-character typo still shares most of a word), Latin runs become
// lower-cased words with a light plural stem. Emoji and punctuation are dropped.

/** Question particles and pronouns: as unigrams they match everything and mean nothing. */
const STOP_CHARS = new Set([
  ...'的了吗呢吧啊呀嘛哦么是有我你您他她它这那个件些都也还就在和与或请问想要能可以会多少什怎样么吗啦哈呗嗯',
]);
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
]);

export interface Token {
  term: string;
  weight: number;
}

/** NFKC (full-width → half-width), lower case, traditional quirks left alone. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('es') && /(sh|ch|x|s)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Weighted tokens of a text; a term may repeat. A segment (text between spaces/punctuation) is cut into
 * units (one Chinese character, or one Latin/digit word); bigrams join neighbouring units when one of
 * them is Chinese, so "T恤" and "M码" become terms of their own.
 */
export function tokenize(text: string): Token[] {
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
      if (units.length > 0) emit(units, out);
      units = [];
    }
  }
  if (word) units.push(word);
  if (units.length > 0) emit(units, out);
  return out;
}

function isCjk(unit: string): boolean {
  const code = unit.codePointAt(0) ?? 0;
  return code >= 0x3400 && code <= 0x9fff;
}

function emit(units: string[], out: Token[]): void {
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? '';
    const cjk = isCjk(unit);
    if (cjk) {
      if (!STOP_CHARS.has(unit)) out.push({ term: unit, weight: 0.35 });
    } else if (!STOP_WORDS.has(unit)) {
      out.push({ term: stem(unit), weight: unit.length === 1 && !/\d/.test(unit) ? 0.5 : 1 });
    }
    const next = units[i + 1];
    if (next === undefined) continue;
    if (!cjk && !isCjk(next)) continue;
    const bigram = unit + next;
    if (STOP_BIGRAMS.has(bigram) || (STOP_CHARS.has(unit) && STOP_CHARS.has(next))) continue;
    // Half a function word ("钱啊", "有货") carries less meaning than two content characters.
    out.push({ term: bigram, weight: STOP_CHARS.has(unit) || STOP_CHARS.has(next) ? 0.4 : 1 });
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
