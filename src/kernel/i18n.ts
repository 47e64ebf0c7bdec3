// Texts are pairs, not keys: `msg('你好，{name}', 'Hi, {name}')`. A typo is a compile error, and the
// Chinese and English live side by side where they are used.
export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

export interface Message {
  readonly 'zh-CN': string;
  readonly en: string;
}

export type Vars = Record<string, string | number>;
export type Translate = (message: Message, vars?: Vars) => string;

export function msg(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}

export function translator(locale: Locale): Translate {
  return (message, vars) => interpolate(message[locale], vars);
}

export function interpolate(template: string, vars?: Vars): string {
  if (!vars || !template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** The customer's own choice wins, then the shop's default. */
export function pickLocale(customerLocale: string | null | undefined, shopLocale: Locale): Locale {
  return isLocale(customerLocale) ? customerLocale : shopLocale;
}

/** Fen → "¥12.90". */
export function formatMoney(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// Building a DateTimeFormat costs far more than formatting with one: one per locale and zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(at: Date, locale: Locale, timeZone: string): string {
  const key = `${locale} ${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    dateFormats.set(key, format);
  }
  return format.format(at);
}
