// The PostgreSQL hot path's own connection pool (`pg`, prepared named statements), next to the ORM's.
// Rows come back in the forms the shared row readers (../hot/values.ts) take: DateTime columns
// (timestamp without time zone, written in UTC) as Date, Json as its text.
import pg from 'pg';

const { builtins } = pg.types;

function parsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(builtins.TIMESTAMP, 'text', (text: string) => new Date(`${text.replace(' ', 'T')}Z`));
  types.setTypeParser(builtins.JSON, 'text', (text: string) => text);
  types.setTypeParser(builtins.JSONB, 'text', (text: string) => text);
  return types;
}

export function openPool(url: string, size: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: size, types: parsers() });
  // An idle client whose connection drops emits here; the pool replaces it on the next checkout.
  pool.on('error', () => {});
  return pool;
}

/** A DateTime parameter: ISO text in UTC, which a timestamp-without-time-zone column takes as is. */
export function pgTime(at: Date): string {
  return at.toISOString();
}

/** A Json parameter: its text (the column parses it), or SQL NULL. */
export function pgJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export type Row = Record<string, unknown>;

/** The statement runner the hot path uses: a named (prepared once per connection) statement. */
export interface Runner {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
}

export async function rowsOf(db: Runner, name: string, text: string, values: unknown[]): Promise<Row[]> {
  const result = await db.query({ name, text, values });
  return result.rows.filter((row: unknown): row is Row => typeof row === 'object' && row !== null);
}

export async function firstOf(db: Runner, name: string, text: string, values: unknown[]): Promise<Row | null> {
  return (await rowsOf(db, name, text, values))[0] ?? null;
}

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

export function retryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && RETRYABLE.has(String(error.code));
}

/**
 * Runs `work` in one transaction on one pooled connection; retries it (a few times) when a
 * concurrent transaction made it fail with a serialization, deadlock or unique conflict.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(rolledBack ? undefined : true);
      if (attempt >= 5 || !retryable(error)) throw error;
    }
  }
}
