// The console speaks the staff member's language (Chinese first, English complete): texts are
// `msg(zh, en)` pairs as on the server; statuses, reasons and codes become words through the tables
// in words.ts. Times are shown in the shop's time zone, amounts in yuan (¥).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { instantOf } from '../../../src/kernel/hours.ts';
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

// Shop days ("YYYY-MM-DD" on the shop's clock), as the reports take and return them.

/** Today on the shop's clock. */
export function shopToday(lang: Language): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: lang.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** A shop day shifted by `days`. */
export function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week `day` is in. */
export function mondayOf(day: string): string {
  return shiftDay(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
}

/** The instant a shop day begins (midnight on the shop's clock). */
export function shopMidnight(lang: Language, day: string): Date {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return instantOf({ year, month, day: date, hour: 0, minute: 0, second: 0 }, lang.timeZone);
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayLabels = {
  day: msg('{m}月{d}日', '{d} {mon}'),
  week: msg('{m}月{d}日起', 'w/c {d} {mon}'),
  month: msg('{y}年{m}月', '{mon} {y}'),
};

/** A shop day, the week starting on it, or its month, in words: "2月23日" / "2月23日起" / "2026年2月". */
export function dayLabel(lang: Language, day: string, as: keyof typeof dayLabels = 'day'): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return lang.t(dayLabels[as], { y, m, d, mon: monthsEn[m - 1] ?? '' });
}
