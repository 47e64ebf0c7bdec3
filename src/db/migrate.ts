// Applies prisma/migrations/<provider>/<name>/migration.sql in name order, each once, one
// transaction per file. Our own runner because Prisma Migrate's native engine cannot be downloaded
// offline (see docs/architecture.md, "Storage").
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config.ts';

const LEDGER = `CREATE TABLE IF NOT EXISTS "_guanxi_migrations" ("name" TEXT PRIMARY KEY, "applied_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`;
const migrationsRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

function listMigrations(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'migration.sql')))
    .sort();
}

const readMigration = (dir: string, name: string) => readFileSync(join(dir, name, 'migration.sql'), 'utf8');

/** Returns the names of the migrations it applied (empty when the database is up to date). */
export async function migrate(database: Config['database']): Promise<string[]> {
  return database.provider === 'sqlite' ? migrateSqlite(database.file) : migratePostgres(database.url);
}

export function migrateSqlite(file: string): string[] {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const dir = join(migrationsRoot, 'sqlite');
  const db = new Database(file, { timeout: 10_000 });
  // WAL is a property of the file: set once here, every later connection uses it.
  db.pragma('journal_mode = WAL');
  // Prisma's table-rebuild SQL does DROP TABLE; with foreign keys on inside a transaction that would
  // cascade-delete children, and the PRAGMA in the script is a no-op there. Turn them off outside.
  db.pragma('foreign_keys = OFF');
  try {
    db.exec(LEDGER);
    const seen = db.prepare(`SELECT 1 FROM "_guanxi_migrations" WHERE "name" = ?`);
    const mark = db.prepare(`INSERT INTO "_guanxi_migrations" ("name") VALUES (?)`);
    const apply = db.transaction((name: string) => {
      if (seen.get(name)) return false;
      db.exec(readMigration(dir, name));
      const violations = db.pragma('foreign_key_check');
      if (Array.isArray(violations) && violations.length > 0) {
        throw new Error(`migration ${name}: foreign key violations ${JSON.stringify(violations)}`);
      }
      mark.run(name);
      return true;
    });
    return listMigrations(dir).filter((name) => apply.immediate(name));
  } finally {
    db.close();
  }
}

export async function migratePostgres(connectionString: string): Promise<string[]> {
  const dir = join(migrationsRoot, 'pg');
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Several instances may start together: one runner at a time.
    await client.query('SELECT pg_advisory_lock(4826394)');
    await client.query(LEDGER);
    const done = new Set(
      (await client.query<{ name: string }>(`SELECT "name" FROM "_guanxi_migrations"`)).rows.map((r) => r.name),
    );
    const pending = listMigrations(dir).filter((name) => !done.has(name));
    for (const name of pending) {
      try {
        await client.query('BEGIN');
        await client.query(readMigration(dir, name));
        await client.query(`INSERT INTO "_guanxi_migrations" ("name") VALUES ($1)`, [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return pending;
  } finally {
    await client.query('SELECT pg_advisory_unlock(4826394)').catch(() => {});
    await client.end();
  }
}
