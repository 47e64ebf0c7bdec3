// Small helpers for the few hot paths that use raw SQL on both providers.
import type { PrismaTx } from '../client.ts';

export type Provider = 'sqlite' | 'postgresql';

/**
 * A DateTime parameter as the column stores it. The better-sqlite3 adapter writes ISO text with
 * "+00:00" (e.g. 2026-01-02T03:04:05.678+00:00), so raw comparisons must use that exact form.
 */
export function sqlDate(provider: Provider, at: Date): Date | string {
  return provider === 'sqlite' ? at.toISOString().replace('Z', '+00:00') : at;
}

/** The n-th (1-based) positional parameter. */
export function param(provider: Provider, n: number): string {
  return provider === 'sqlite' ? '?' : `$${n}`;
}

/** `column + days` as an expression comparable with stored DateTimes. */
export function plusDays(provider: Provider, column: string, days: number): string {
  const d = Math.trunc(days);
  return provider === 'sqlite'
    ? `(strftime('%Y-%m-%dT%H:%M:%f', ${column}, '+${d} days') || '+00:00')`
    : `(${column} + interval '${d} days')`;
}

/** Numbers from raw rows (PostgreSQL returns COUNT/SUM as bigint). */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  if (value !== null && typeof value === 'object' && 'toString' in value) return Number(String(value));
  return 0;
}

/** Epoch ms of a DateTime from a raw row, or null. */
export function ms(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  if (typeof value === 'number') return value;
  return null;
}

/** A literal for inlined bulk VALUES (only numbers and strings we produced ourselves). */
export function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return `'${value.replaceAll("'", "''")}'`;
}

export type SqlValue = string | number | boolean | Date | null;
/** A column of a multi-row insert; `json` columns take a JSON text (cast to jsonb on PostgreSQL). */
export type InsertColumn = string | { name: string; json: true };

/**
 * One INSERT with many rows and positional parameters. The ORM's createMany costs about half a
 * millisecond per row here, which a campaign dispatch of a few hundred rows cannot afford while it
 * holds the database.
 */
export async function insertMany(
  db: PrismaTx,
  provider: Provider,
  table: string,
  columns: InsertColumn[],
  rows: SqlValue[][],
): Promise<void> {
  const names = columns.map((c) => `"${typeof c === 'string' ? c : c.name}"`).join(', ');
  const perChunk = Math.max(1, Math.floor(30_000 / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const slots = columns.map((column, i) => {
        values.push(sqlValue(provider, row[i] ?? null));
        const slot = param(provider, values.length);
        return typeof column !== 'string' && provider === 'postgresql' ? `${slot}::jsonb` : slot;
      });
      return `(${slots.join(', ')})`;
    });
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(', ')}`, ...values);
  }
}

function sqlValue(provider: Provider, value: SqlValue): unknown {
  if (value instanceof Date) return sqlDate(provider, value);
  if (typeof value === 'boolean' && provider === 'sqlite') return value ? 1 : 0;
  return value;
}
