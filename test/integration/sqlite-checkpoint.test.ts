// WAL checkpoints run in a worker thread (src/db/sqlite-fast/checkpointer.ts), not on a committing
// message: rows written through the store reach the database file without any connection of ours
// checkpointing (their own threshold is far above what this test writes).
import { statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { createTestDatabase } from '../helpers/databases.ts';

it('the checkpointer moves committed pages from the WAL into the database file', async () => {
  const db = await createTestDatabase('sqlite');
  const file = db.database.provider === 'sqlite' ? db.database.file : '';
  const store = await openStore(db.database);
  try {
    const before = statSync(file).size;
    const at = new Date('2026-03-02T04:00:00Z');
    await store.transaction((repos) =>
      repos.bulk.customers(
        Array.from({ length: 20_000 }, (_, i) => ({ id: i + 1, name: `客户${i + 1}`, createdAt: at })),
      ),
    );
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    let after = statSync(file).size;
    for (let waited = 0; after <= before + 1_000_000 && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = statSync(file).size;
    }
    expect(after).toBeGreaterThan(before + 1_000_000);
  } finally {
    await store.close();
    await db.drop();
  }
});
