import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, describeEachProvider, type TestDatabase } from '../helpers/databases.ts';

/** Runs SQL statements (with $1… parameters on both providers) straight on the database, outside the app. */
async function sql(db: TestDatabase, statements: Array<[string, unknown[]?]>): Promise<unknown[][]> {
  const results: unknown[][] = [];
  if (db.database.provider === 'sqlite') {
    const sqlite = new Database(db.database.file);
    for (const [text, params = []] of statements) {
      const statement = sqlite.prepare(text.replace(/\$\d+/g, '?'));
      results.push(statement.reader ? statement.all(...params) : [statement.run(...params)]);
    }
    sqlite.close();
    return results;
  }
  const client = new pg.Client({ connectionString: db.database.url });
  await client.connect();
  for (const [text, params = []] of statements) results.push((await client.query(text, params)).rows);
  await client.end();
  return results;
}

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

  it('renames the case.created events of older recovery cases to case.opened', async () => {
    db = await createTestDatabase(provider, { empty: true });
    const migration = '20261207013345_case_opened_event';
    expect(await migrate(db.database)).toContain(migration);
    // A database written before the rename: the event is there and the migration has not run yet.
    await sql(db, [
      [`INSERT INTO "Customer" ("id", "updatedAt") VALUES (1, CURRENT_TIMESTAMP)`],
      [
        `INSERT INTO "Interaction" ("customerId", "channel", "direction", "kind", "payload") VALUES (1, 'system', 'event', 'event', $1)`,
        [JSON.stringify({ type: 'case.created', caseId: 7, caseNo: 'RC000042', source: 'survey' })],
      ],
      [
        `INSERT INTO "Interaction" ("customerId", "channel", "direction", "kind", "payload") VALUES (1, 'system', 'event', 'event', $1)`,
        [JSON.stringify({ type: 'survey.answer', responseId: 1, questionId: 'csat', value: '1' })],
      ],
      [`DELETE FROM "_guanxi_migrations" WHERE "name" = $1`, [migration]],
    ]);
    expect(await migrate(db.database)).toEqual([migration]);
    const [rows] = await sql(db, [[`SELECT "payload" FROM "Interaction" ORDER BY "id"`]]);
    const payloads = (rows ?? []).map((row) => {
      const value = typeof row === 'object' && row !== null && 'payload' in row ? row.payload : null;
      return typeof value === 'string' ? JSON.parse(value) : value;
    });
    expect(payloads).toEqual([
      { type: 'case.opened', caseType: 'recovery', caseId: 7, caseNo: 'RC000042', source: 'survey' },
      { type: 'survey.answer', responseId: 1, questionId: 'csat', value: '1' },
    ]);
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
