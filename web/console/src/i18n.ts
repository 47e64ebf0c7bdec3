// The console speaks the staff member's language (Chinese first, English complete): texts are
// `msg(zh, en)` pairs as on the server; statuses, reasons and codes become words through the tables
// in words.ts. Times are shown in the shop's time zone, amounts in yuan (¥).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatMoney, interpolate, type Locale, type Message, msg, type Vars } from '../../../src/kernel/i18n.ts';

export type { Locale, Message };
export { msg };

export interface Language {
  locale: Locale;
  timeZone: string;
  t: (message: Message, vars?: Vars) => string;
}

export function language(locale: Locale, timeZone: string): Language {
  return { locale, timeZone, t: (message, vars) => interpolate(message[locale], vars) };
}

export const LanguageContext = createContext<Language>(language('zh-CN', 'Asia/Shanghai'));

export function useLanguage(): Language {
  return useContext(LanguageContext);
}

const LOCALE_KEY = 'guanxi.console.locale';

/** Before login (and for the ADMIN_TOKEN holder, who has no account) the choice is kept in the browser. */
export function storedLocale(): Locale | null {
  const value = localStorage.getItem(LOCALE_KEY);
  return value === 'zh-CN' || value === 'en' ? value : null;
}

export function storeLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale);
}

function parts(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone, hour12: false, ...options });
}

/** "2026-03-02 12:05" style in the shop's time zone (Chinese or English month order). */
export function dateTime(lang: Language, at: Date): string {
  return parts(lang.locale, lang.timeZone, {
    year: 'numeric',
    month: lang.locale === 'en' ? 'short' : '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

export function date(lang: Language, at: Date): string {
  return parts(lang.locale, lang.timeZone, {
    year: 'numeric',
    month: lang.locale === 'en' ? 'short' : '2-digit',
    day: '2-digit',
  }).format(at);
}

/** "08:00" in the shop's time zone; today's times need no date. */
export function clock(lang: Language, at: Date): string {
  return parts(lang.locale, lang.timeZone, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** A time shown briefly: the clock time today, otherwise date and time. */
export function when(lang: Language, at: Date, now = new Date()): string {
  const day = (d: Date) => date(lang, d);
  return day(at) === day(now) ? clock(lang, at) : dateTime(lang, at);
}

const durations = {
  minutes: msg('{n} 分钟', '{n} min'),
  hours: msg('{h} 小时 {m} 分', '{h} h {m} min'),
  days: msg('{n} 天', '{n} d'),
  now: msg('不到 1 分钟', 'under a minute'),
};

/** How long since `from`: "5 分钟" / "5 min", "2 小时 3 分" / "2 h 3 min". */
export function since(lang: Language, from: Date, now = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return lang.t(durations.now);
  if (minutes < 60) return lang.t(durations.minutes, { n: minutes });
  if (minutes < 48 * 60) return lang.t(durations.hours, { h: Math.floor(minutes / 60), m: minutes % 60 });
  return lang.t(durations.days, { n: Math.floor(minutes / 1440) });
}

/** Seconds as minutes with one decimal ("3.5 分钟"), or a dash when there is nothing to measure. */
export function minutes(lang: Language, seconds: number | null): string {
  return seconds === null ? '–' : lang.t(durations.minutes, { n: (seconds / 60).toFixed(1) });
}

/** Fen → "¥12.90" in both languages (the shop's currency is the yuan). */
export const money = formatMoney;

export function percent(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}
