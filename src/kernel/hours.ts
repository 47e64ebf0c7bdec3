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
const partFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = cache.get(timeZone);
  if (!format) {
    format = make();
    cache.set(timeZone, format);
  }
  return format;
}

// Formatting a date in a zone costs more than the rest of a shop-hours check, and it is asked for
// on every message. A zone's offset changes only at its transitions, which fall on a quarter hour,
// so the offset found for one quarter hour holds for all of it: one lookup per zone and quarter.
const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const offsets = new Map<string, { quarter: number; offsetMs: number }>();

function zoneOffset(at: Date, timeZone: string): number {
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  const known = offsets.get(timeZone);
  if (known?.quarter === quarter) return known.offsetMs;
  const offsetMs = offsetAt(new Date(quarter * QUARTER_HOUR_MS), timeZone);
  offsets.set(timeZone, { quarter, offsetMs });
  return offsetMs;
}

/** Milliseconds since the shop's midnight at `at` (0 – 86,399,999). */
function msOfDay(at: Date, timeZone: string): number {
  return (((at.getTime() + zoneOffset(at, timeZone)) % DAY_MS) + DAY_MS) % DAY_MS;
}

/** Minute of the day (0–1439) of `at` in `timeZone`. */
export function minuteOfDay(at: Date, timeZone: string): number {
  return Math.floor(msOfDay(at, timeZone) / 60_000);
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
  return new Date(at.getTime() + zoneOffset(at, timeZone)).toISOString().slice(0, 10);
}

/** The instant the calendar day of `at` began in `timeZone`. */
export function startOfDay(at: Date, timeZone: string): Date {
  return new Date(at.getTime() - msOfDay(at, timeZone));
}

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
