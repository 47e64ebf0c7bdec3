// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database per test file.
// When PostgreSQL is not running, PostgreSQL suites are skipped with a visible message.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { Config } from '../../src/config.ts';

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

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  const id = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  if (provider === 'sqlite') {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, `t-${id}.db`);
    return {
      database: { provider: 'sqlite', file, url: `file:${file}` },
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  const name = `guanxi_t_${id}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { provider: 'postgresql', url: url.toString() },
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
