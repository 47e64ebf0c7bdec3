// Raw rows of a table, read with the database's own driver and normalised so the two dialects compare
// equal: DateTime as ISO text (UTC), booleans as 0/1, Json as canonical text (sorted keys).
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../../src/config.ts';

export type PlainRow = Record<string, string | number | null>;

const ISO_SQLITE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

function jsonText(text: string): string | null {
  if (!/^[[{]/.test(text)) return null;
  try {
    return JSON.stringify(canonical(JSON.parse(text)));
  } catch {
    return null;
  }
}

function normalise(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (ISO_SQLITE.test(value)) return new Date(value).toISOString();
    return jsonText(value) ?? value;
  }
  return JSON.stringify(canonical(value));
}

/** Every row of `table` ordered by `orderBy`, normalised. */
export async function tableRows(database: Config['database'], table: string, orderBy: string): Promise<PlainRow[]> {
  const sql = `SELECT * FROM "${table}" ORDER BY ${orderBy}`;
  let raw: unknown[];
  if (database.provider === 'sqlite') {
    const db = new Database(database.file, { readonly: true });
    try {
      raw = db.prepare(sql).all();
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database.url });
    // Timestamps without time zone are UTC in this schema; read them as such.
    client.setTypeParser(pg.types.builtins.TIMESTAMP, (text: string) => new Date(`${text.replace(' ', 'T')}Z`));
    await client.connect();
    try {
      raw = (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const isRow = (row: unknown): row is Record<string, unknown> => typeof row === 'object' && row !== null;
  return raw.filter(isRow).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normalise(v)])));
}
