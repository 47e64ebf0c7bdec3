// Shop hours and quiet hours in the shop's time zone ("HH:MM-HH:MM", may wrap past midnight).
export interface HoursWindow {
  startMinute: number;
  endMinute: number;
}

export function parseHours(range: string): HoursWindow {
  const [start = '00:00', end = '00:00'] = range.split('-');
  const minutes = (hhmm: string) => {
    const [h = '0', m = '0'] = hhmm.split(':');
    return Number(h) * 60 + Number(m);
  };
  return { startMinute: minutes(start), endMinute: minutes(end) };
}

// Building an Intl.DateTimeFormat is costly and the pacer asks for every message: cache per zone.
const clockFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = cache.get(timeZone);
  if (!format) {
    format = make();
    cache.set(timeZone, format);
  }
  return format;
}

/** Minute of the day (0–1439) of `at` in `timeZone`. */
export function minuteOfDay(at: Date, timeZone: string): number {
  const parts = cached(
    clockFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }),
  )
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, part) => {
      acc[part.type] = part.value;
      return acc;
    }, {});
  return (Number(parts.hour) % 24) * 60 + Number(parts.minute);
}

export function isWithin(window: HoursWindow, at: Date, timeZone: string): boolean {
  const minute = minuteOfDay(at, timeZone);
  if (window.startMinute === window.endMinute) return false;
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

/** Milliseconds from `at` until the window ends (0 when outside it). */
export function msUntilEnd(window: HoursWindow, at: Date, timeZone: string): number {
  if (!isWithin(window, at, timeZone)) return 0;
  const minute = minuteOfDay(at, timeZone);
  const left = (window.endMinute - minute + 1440) % 1440 || 1440;
  return left * 60_000 - at.getUTCSeconds() * 1000 - at.getUTCMilliseconds();
}

/** Milliseconds from `at` until the window next starts (0 when inside it). */
export function msUntilStart(window: HoursWindow, at: Date, timeZone: string): number {
  if (isWithin(window, at, timeZone)) return 0;
  const minute = minuteOfDay(at, timeZone);
  const left = (window.startMinute - minute + 1440) % 1440 || 1440;
  return left * 60_000 - at.getUTCSeconds() * 1000 - at.getUTCMilliseconds();
}

/** "YYYY-MM-DD" of `at` in `timeZone`. */
export function dayKey(at: Date, timeZone: string): string {
  return cached(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(at);
}

/** The instant the calendar day of `at` began in `timeZone`. */
export function startOfDay(at: Date, timeZone: string): Date {
  const elapsed = minuteOfDay(at, timeZone) * 60_000 + at.getUTCSeconds() * 1000 + at.getUTCMilliseconds();
  return new Date(at.getTime() - elapsed);
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const parts = cached(
    partFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  ).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (at.getTime() - at.getUTCMilliseconds());
}

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The instant a wall-clock time names in `timeZone` ("2026-11-29 14:30" in Asia/Shanghai). Shops write
 * times without an offset; they mean their own clock. The second pass settles times near a DST change.
 */
export function instantOf(wall: WallClock, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const first = asUtc - offsetAt(new Date(asUtc), timeZone);
  return new Date(asUtc - offsetAt(new Date(first), timeZone));
}
