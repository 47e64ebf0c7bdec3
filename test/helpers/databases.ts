// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database, per call.
// Each starts as a copy of a migrated template (made once per set of migrations), so a test pays
// for a file copy or a `CREATE DATABASE … TEMPLATE`, not for running every migration again.
// On PostgreSQL a `CREATE DATABASE` costs about a second on 2 vCPU (and the DROP a few hundred
// ms), so a dropped database is emptied back to the template's state instead (every row deleted,
// every sequence restarted: what a fresh copy holds) and parked under a "free" name; the next call,
// in any worker, claims a parked one by renaming it (atomic) before it creates a new one. Where
// emptying is not possible (no superuser, a changed schema) the database is dropped as before.
// When PostgreSQL is not running, PostgreSQL suites are skipped with a visible message.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { Config } from '../../src/config.ts';
import { migratePostgres, migrateSqlite } from '../../src/db/migrate.ts';

export type Provider = 'sqlite' | 'postgresql';

const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const TMP = join(import.meta.dirname, '..', '.tmp');

let pgCheck: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  pgCheck ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgCheck;
}

export interface TestDatabase {
  database: Config['database'];
  drop(): Promise<void>;
}

/** A short hash of a provider's migration files: a new migration means a new template. */
function migrationsKey(provider: Provider): string {
  const dir = join(import.meta.dirname, '..', '..', 'prisma', 'migrations', provider === 'sqlite' ? 'sqlite' : 'pg');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'migration.sql');
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The migrated SQLite template; written under a temporary name and renamed, so racing workers are safe. */
function sqliteTemplate(): string {
  const file = join(TMP, `template-${migrationsKey('sqlite')}.db`);
  if (!existsSync(file)) {
    const scratch = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    // Closing the only connection checkpoints the WAL into the file, so the file alone is complete.
    migrateSqlite(scratch);
    renameSync(scratch, file);
  }
  return file;
}

let pgTemplate: Promise<string> | undefined;

/** The migrated PostgreSQL template database, created once under an advisory lock (workers race). */
function postgresTemplate(): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `guanxi_tpl_${migrationsKey('postgresql')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(7315501)');
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${building}`);
        await migratePostgres(databaseUrl(building));
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7315501)').catch(() => {});
      await admin.end();
    }
  })();
  return pgTemplate;
}

function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database, migrated unless `empty` (for tests of the migrations themselves). */
export async function createTestDatabase(provider: Provider, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const id = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  if (provider === 'sqlite') {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, `t-${id}.db`);
    if (!options.empty) copyFileSync(sqliteTemplate(), file);
    return {
      database: { provider: 'sqlite', file, url: `file:${file}` },
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  const name = `guanxi_t_${id}`;
  const template = options.empty ? 'template1' : await postgresTemplate();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    if (options.empty || !(await claimParked(admin, template, name))) {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      // Durability on a crash of the server is not what a test checks; a commit need not wait for its fsync.
      await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    }
  } finally {
    await admin.end();
  }
  return {
    database: { provider: 'postgresql', url: databaseUrl(name), poolSize: 10 },
    async drop() {
      if (!options.empty && (await park(name, template))) return;
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The prefix of parked (emptied, unclaimed) copies of a template. */
const parkedPrefix = (template: string) => `guanxi_free_${template.replace(/^guanxi_tpl_/, '')}_`;

/** Renames a parked copy of `template` to `name`; false when there is none to take. */
async function claimParked(admin: pg.Client, template: string, name: string): Promise<boolean> {
  const parked = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY random() LIMIT 4`,
    [parkedPrefix(template)],
  );
  for (const { datname } of parked.rows) {
    // Another worker may have taken it a moment ago: the rename then fails and the next one is tried.
    const taken = await admin.query(`ALTER DATABASE ${datname} RENAME TO ${name}`).then(
      () => true,
      () => false,
    );
    if (taken) return true;
  }
  return false;
}

/** What a fresh copy of the template holds: its shape, the rows it was migrated with, its sequences. */
interface TemplateState {
  shape: string;
  /** Table name → its rows as a JSON array (only tables the migrations filled). */
  rows: Map<string, string>;
  /** Sequence name → `setval` arguments, or null for one never used. */
  sequences: Map<string, { value: string; called: boolean } | null>;
}

let templateState: Promise<TemplateState> | undefined;

/** The tables, columns and sequences of a database, as one string: a parked copy must keep the template's. */
async function shapeOf(client: pg.Client): Promise<string> {
  const result = await client.query<{ shape: string }>(
    `SELECT coalesce((SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
        FROM information_schema.columns WHERE table_schema = 'public'), '') || '|' ||
      coalesce((SELECT string_agg(sequencename, ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'public'), '') AS shape`,
  );
  return result.rows[0]?.shape ?? '';
}

async function readTemplate(template: string): Promise<TemplateState> {
  const client = new pg.Client({ connectionString: databaseUrl(template) });
  await client.connect();
  try {
    const rows = new Map<string, string>();
    const tables = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    for (const { tablename } of tables.rows) {
      const found = await client.query<{ rows: string | null }>(
        `SELECT json_agg(t)::text AS rows FROM "${tablename}" t`,
      );
      const json = found.rows[0]?.rows;
      if (json) rows.set(tablename, json);
    }
    const sequences = new Map<string, { value: string; called: boolean } | null>();
    const names = await client.query<{ sequencename: string }>(
      `SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'`,
    );
    for (const { sequencename } of names.rows) {
      const state = await client.query<{ last_value: string; is_called: boolean }>(
        `SELECT last_value::text, is_called FROM "${sequencename}"`,
      );
      const row = state.rows[0];
      sequences.set(sequencename, row?.is_called ? { value: row.last_value, called: true } : null);
    }
    return { shape: await shapeOf(client), rows, sequences };
  } finally {
    await client.end();
  }
}

/**
 * Empties a database copied from `template` back to what a fresh copy holds (the template's rows
 * only, every sequence where the template's is) and parks it for the next test. False when that
 * cannot be done: the caller drops it instead.
 */
async function park(name: string, template: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  try {
    await client.connect();
    templateState ??= readTemplate(template);
    const fresh = await templateState;
    // Whatever the test left connected (DROP … WITH (FORCE) would cut it off too) is cut off.
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    if ((await shapeOf(client)) !== fresh.shape) return false;
    const tables = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    const statements = [
      'BEGIN',
      // Foreign keys are not checked meanwhile (replica role, a superuser's setting), so the order
      // does not matter; what is left is the template's rows, which satisfy them.
      "SET LOCAL session_replication_role = 'replica'",
      ...tables.rows.map((t) => `DELETE FROM "${t.tablename}"`),
      ...[...fresh.rows.keys()].map(
        (table) =>
          `INSERT INTO "${table}" SELECT * FROM json_populate_recordset(null::"${table}", ${pg.escapeLiteral(fresh.rows.get(table) ?? '[]')})`,
      ),
      ...[...fresh.sequences].map(([sequence, state]) =>
        state ? `SELECT setval('"${sequence}"', ${state.value}, true)` : `ALTER SEQUENCE "${sequence}" RESTART`,
      ),
      'COMMIT',
    ];
    await client.query(statements.join(';\n'));
    await client.end();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      const parked = `${parkedPrefix(template)}${name.replace(/^guanxi_t_/, '')}`;
      // A backend cut off a moment ago may still be leaving: the rename waits for it a little.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`ALTER DATABASE ${name} RENAME TO ${parked}`);
          return true;
        } catch (error) {
          if (attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    } finally {
      await admin.end();
    }
  } catch {
    await client.end().catch(() => {});
    return false;
  }
}

/** Drops every parked database (the end of a run): they are only worth keeping while tests run. */
export async function dropParkedDatabases(): Promise<void> {
  if (!(await postgresAvailable())) return;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const parked = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, 'guanxi_free_')`,
    );
    // Another run sharing the server may claim one meanwhile: its rename wins, and this drop is skipped.
    for (const { datname } of parked.rows)
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
  } finally {
    await admin.end();
  }
}

const pgUp = await postgresAvailable();
if (!pgUp) console.warn('\n⚠ PostgreSQL is not reachable at 127.0.0.1:5432: PostgreSQL suites are SKIPPED.\n');

/** Runs the suite once per provider; the PostgreSQL run is skipped (with a warning) when no server runs. */
export function describeEachProvider(name: string, suite: (provider: Provider) => void): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  describe.skipIf(!pgUp)(`${name} [postgresql]`, () => suite('postgresql'));
}
