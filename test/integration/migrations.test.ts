import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, describeEachProvider, type TestDatabase } from '../helpers/databases.ts';

async function tables(db: TestDatabase): Promise<string[]> {
  if (db.database.provider === 'sqlite') {
    const sqlite = new Database(db.database.file, { readonly: true });
    const names = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all();
    sqlite.close();
    return names.map(String);
  }
  const client = new pg.Client({ connectionString: db.database.url });
  await client.connect();
  const { rows } = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  await client.end();
  return rows.map((r) => r.tablename);
}

describeEachProvider('migrations', (provider) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
  });

  it('apply cleanly to an empty database, and a second run is a no-op', async () => {
    db = await createTestDatabase(provider, { empty: true });
    const first = await migrate(db.database);
    expect(first.length).toBeGreaterThan(0);
    const created = await tables(db);
    for (const table of [
      'Customer',
      'Identity',
      'Conversation',
      'Interaction',
      'OutboxMessage',
      'PointsEntry',
      'Delivery',
      'AuditEntry',
      'ProcessedMessage',
    ]) {
      expect(created).toContain(table);
    }
    expect(await migrate(db.database)).toEqual([]);
    expect(await tables(db)).toEqual(created);
  });

  if (provider === 'sqlite') {
    it('puts the SQLite file in WAL mode', async () => {
      db = await createTestDatabase('sqlite', { empty: true });
      await migrate(db.database);
      const file = db.database.provider === 'sqlite' ? db.database.file : '';
      const sqlite = new Database(file, { readonly: true });
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      sqlite.close();
    });
  }
});
