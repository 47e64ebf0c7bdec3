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

/**
 * Runs a statement; with a `name` it is prepared once per connection and its plan may be cached.
 * Without one it is planned on every run, with the table's statistics of the moment: for statements
 * on tables whose shape keeps changing (the outbox: a few queued rows among many sent ones), where a
 * plan cached while the table was small would keep scanning all of it.
 */
export async function rowsOf(db: Runner, name: string | undefined, text: string, values: unknown[]): Promise<Row[]> {
  const result = await db.query(name ? { name, text, values } : { text, values });
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
 * Runs a one-statement step (its own implicit transaction) again when a concurrent transaction made
 * it fail with a serialization, deadlock or unique conflict, as inTransaction does for several.
 */
export async function retrying<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= 5 || !retryable(error)) throw error;
    }
  }
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
