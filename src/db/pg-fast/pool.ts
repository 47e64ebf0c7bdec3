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

/**
 * How a table's row read back as one JSON value (`to_json(row)`) differs from the driver's columns:
 * its timestamps are ISO text without a zone (written in UTC), its Json columns nested values.
 */
export interface JsonRowShape {
  timestamps: string[];
  jsons: string[];
}

/** The JSON shapes of `tables`, from the columns the database has (read once per pool by the caller). */
export async function jsonRowShapes(db: Runner, tables: readonly string[]): Promise<Map<string, JsonRowShape>> {
  const { rows } = await db.query({
    text: `SELECT table_name AS "table", column_name AS "column", data_type AS "type" FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    values: [tables],
  });
  const shapes = new Map<string, JsonRowShape>(tables.map((table) => [table, { timestamps: [], jsons: [] }]));
  for (const row of rows) {
    const shape = shapes.get(String(row.table));
    if (row.type === 'timestamp without time zone') shape?.timestamps.push(String(row.column));
    if (row.type === 'jsonb' || row.type === 'json') shape?.jsons.push(String(row.column));
  }
  return shapes;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A row returned as JSON text (one column instead of one per table column: `pg` spends more on each
 * result column's description than on its value) in the form the row readers take: Date for a
 * timestamp, text for Json, as the driver gives them. Null for SQL NULL.
 */
export function rowFromJson(value: unknown, shape: JsonRowShape): Row | null {
  if (typeof value !== 'string') return null;
  const row: unknown = JSON.parse(value);
  if (!isRow(row)) return null;
  for (const column of shape.timestamps) {
    const at = row[column];
    if (typeof at === 'string') row[column] = new Date(`${at}Z`);
  }
  for (const column of shape.jsons) {
    const nested = row[column];
    if (nested !== null && nested !== undefined) row[column] = JSON.stringify(nested);
  }
  return row;
}

/** Rows returned as one JSON array (`json_agg`), each read as rowFromJson reads one; [] for SQL NULL. */
export function rowsFromJson(value: unknown, shape: JsonRowShape): Row[] {
  if (typeof value !== 'string') return [];
  const rows: unknown = JSON.parse(value);
  if (!Array.isArray(rows)) return [];
  const read: Row[] = [];
  for (const row of rows) {
    const one = rowFromJson(JSON.stringify(row), shape);
    if (one) read.push(one);
  }
  return read;
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
