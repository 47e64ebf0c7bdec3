// Which language to answer a message in (zh-CN or en), and how the customer's stored preference
// follows their use. A message written clearly in one language is answered in it; a short or
// ambiguous one ("1", "ok", 👍, an order number) is answered in the stored preference, else the shop's
// language. The preference follows consistent use (CONSISTENT_USE clear messages in a row in the
// other language) unless the customer chose it explicitly (English / 中文), which only another
// explicit choice changes.
//
// Detection is a script rule, not a general language identifier: the bot answers in two languages,
// and on this job (short chat lines mixing Chinese, Latin product words, sizes and order numbers) the
// rule is more accurate than eld was on the evaluation set (docs/dependencies.md has the figures).
import type { Locale } from '../kernel/i18n.ts';

/** Clear messages in a row, in the language other than the stored one, after which the preference follows. */
export const CONSISTENT_USE = 2;

export type LocaleSource = 'switch' | 'use';

export interface LanguagePreference {
  locale: Locale | null;
  /** null: set before sources were recorded, or by staff; treated like an explicit choice. */
  source: LocaleSource | null;
  /** Clear messages in a row written in the other language. */
  streak: number;
}

/** Latin words Chinese customers type as often as English ones: they say nothing about the language. */
const neutralWords = new Set([
  'ok',
  'okay',
  'okk',
  'kk',
  'hi',
  'hello',
  'hey',
  'hiya',
  'thx',
  'tks',
  'bye',
  'byebye',
  'lol',
  'haha',
  'hah',
  'hh',
  'hhh',
  'hhhh',
  'emm',
  'emmm',
  'wow',
  'omg',
  'nb',
  'vip',
  'logo',
  'app',
  'id',
  'qq',
  'wx',
  'sku',
  // Sizes and units, written the same in both languages.
  'xs',
  'xl',
  'xxl',
  'xxxl',
  'ml',
  'cm',
  'kg',
  'mm',
]);

/** English words that carry a sentence frame: an English question around a Chinese product name is English. */
const englishFunctionWords = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'do',
  'does',
  'did',
  'can',
  'could',
  'will',
  'would',
  'you',
  'your',
  'i',
  'me',
  'my',
  'it',
  'this',
  'that',
  'in',
  'of',
  'for',
  'to',
  'with',
  'and',
  'or',
  'how',
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'much',
  'many',
  'have',
  'has',
  'any',
  'please',
  'pls',
]);

/** Chinese particles and question words: a Chinese sentence frame around Latin product words is Chinese. */
const chineseFrame = /[吗呢吧啊呀嘛么的了请问有没能可以怎多少什哪几是不]/;

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
/** Chinese words are about 1.7 characters long: Han characters are weighed as words by this divisor. */
const HAN_PER_WORD = 1.7;

/**
 * The language a message is clearly written in, or undefined when it could be either (digits,
 * emoji, "ok", an order number, a size). Mixed messages go to the language of their sentence frame.
 */
export function detectLanguage(text: string): Locale | undefined {
  const clean = text
    .normalize('NFKC')
    .replace(/https?:\/\/\S+|\S+@\S+\.\S+/g, ' ')
    // Bot commands (/start, /points@shop_bot) and deep-link payloads are the same in every language.
    .replace(/^\/start(@\w+)?\s+\S+/i, ' ')
    .replace(/(^|\s)\/[a-z_]+(@\w+)?/gi, ' ')
    // Order numbers, SKUs and codes (letters with digits) are language-neutral.
    .replace(/[a-z]*[-_]?\d[\w-]*/gi, ' ');
  const han = clean.match(HAN)?.length ?? 0;
  let words = 0;
  let frameWords = 0;
  for (const match of clean.toLowerCase().matchAll(/[a-z]+(?:'[a-z]+)?/g)) {
    const word = match[0].replace(/'.*$/, '');
    if (word.length < 2 && word !== 'i' && word !== 'a') continue;
    if (neutralWords.has(word)) continue;
    words++;
    if (englishFunctionWords.has(word)) frameWords++;
  }
  if (han === 0 && words === 0) return undefined;
  if (words === 0) return 'zh-CN';
  if (han === 0) return 'en';
  const zh = han / HAN_PER_WORD + (chineseFrame.test(clean) ? 2 : 0);
  const en = words + frameWords;
  if (zh === en) return undefined;
  return zh > en ? 'zh-CN' : 'en';
}

/** The stored preference as a value (Customer.locale / localeSource / languageStreak). */
export function preferenceOf(customer: {
  locale: string | null;
  localeSource: string | null;
  languageStreak: number;
}): LanguagePreference {
  const locale = customer.locale === 'zh-CN' || customer.locale === 'en' ? customer.locale : null;
  const source = customer.localeSource === 'switch' || customer.localeSource === 'use' ? customer.localeSource : null;
  return { locale, source, streak: customer.languageStreak };
}

/** The language to answer this message in. */
export function answerLocale(detected: Locale | undefined, preference: LanguagePreference, shop: Locale): Locale {
  return detected ?? preference.locale ?? shop;
}

/**
 * The preference after a message the customer typed (not a button press), or undefined when it
 * does not change: the first clear message sets it when the shop's default would be wrong, and
 * CONSISTENT_USE clear messages in a row in the other language move an inferred preference.
 */
export function nextPreference(
  detected: Locale | undefined,
  preference: LanguagePreference,
  shop: Locale,
): LanguagePreference | undefined {
  if (!detected) return undefined;
  const current = preference.locale ?? shop;
  if (detected === current) {
    return preference.streak === 0 ? undefined : { ...preference, streak: 0 };
  }
  if (preference.locale === null) return { locale: detected, source: 'use', streak: 0 };
  // An explicit choice (or one made before sources were kept) holds until the customer switches again.
  if (preference.source !== 'use') return undefined;
  const streak = preference.streak + 1;
  return streak >= CONSISTENT_USE ? { locale: detected, source: 'use', streak: 0 } : { ...preference, streak };
}
