// Column value readers for raw driver rows (see rows.ts). better-sqlite3 gives DateTime as ISO text,
// Boolean as 0/1 and Json as text; `pg` (configured in pg-fast/pool.ts) gives Date, boolean, Json as
// text and 64-bit integers as decimal text.
import type { JsonValue } from '../types.ts';

export function int(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new TypeError(`expected an integer column, got ${typeof value}`);
}

export function intOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : int(value);
}

export function floatOrNull(value: unknown): number | null {
  return intOrNull(value);
}

export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new TypeError(`expected a text column, got ${typeof value}`);
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : text(value);
}

export function bool(value: unknown): boolean {
  return value === 1 || value === 1n || value === true;
}

export function date(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`expected a date column, got ${typeof value}`);
}

export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : date(value);
}

export function json(value: unknown): JsonValue | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError('expected a JSON text column');
  const parsed: JsonValue = JSON.parse(value);
  return parsed;
}

/** The text form the Prisma SQLite adapter stores DateTime values in (…T04:00:00.000+00:00). */
export function timestamp(at: Date): string {
  return at.toISOString().replace('Z', '+00:00');
}
