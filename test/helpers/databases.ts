// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database, per call.
// Each starts as a copy of a migrated template (made once per set of migrations), so a test pays
// for a file copy or a `CREATE DATABASE … TEMPLATE`, not for running every migration again.
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
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    database: { provider: 'postgresql', url: databaseUrl(name), poolSize: 10 },
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

const pgUp = await postgresAvailable();
if (!pgUp) console.warn('\n⚠ PostgreSQL is not reachable at 127.0.0.1:5432: PostgreSQL suites are SKIPPED.\n');

/** Runs the suite once per provider; the PostgreSQL run is skipped (with a warning) when no server runs. */
export function describeEachProvider(name: string, suite: (provider: Provider) => void): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  describe.skipIf(!pgUp)(`${name} [postgresql]`, () => suite('postgresql'));
}
