// The fast path's group commit on a real SQLite file: writes asked for together share one
// transaction, each caller gets its own result, and a failing write fails only its caller without
// writing anything twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadWriteGate } from '../../src/db/rw-lock.ts';
import { WriteBatch } from '../../src/db/sqlite-fast/write-batch.ts';

describe('SQLite write batch', () => {
  let dir: string;
  let db: Database.Database;
  let batch: WriteBatch;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guanxi-batch-'));
    db = new Database(join(dir, 'batch.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)');
    batch = new WriteBatch(db, new ReadWriteGate());
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (body: string) => () =>
    Number(db.prepare('INSERT INTO note (body) VALUES (?)').run(body).lastInsertRowid);
  const bodies = () => db.prepare('SELECT body FROM note ORDER BY id').pluck().all();

  it('runs writes of one turn in one transaction and gives each caller its own result', async () => {
    // A second connection sees nothing of the batch until its one commit.
    const other = new Database(join(dir, 'batch.db'), { readonly: true });
    const visible = () => Number(other.prepare('SELECT count(*) FROM note').pluck().get());
    const seenByOther: number[] = [];
    const ids = await Promise.all(
      ['a', 'b', 'c'].map((body) =>
        batch.run(() => {
          const id = insert(body)();
          seenByOther.push(visible());
          return id;
        }),
      ),
    );
    expect(ids).toEqual([1, 2, 3]);
    expect(seenByOther).toEqual([0, 0, 0]);
    expect(visible()).toBe(3);
    other.close();
    expect(bodies()).toEqual(['a', 'b', 'c']);
  });

  it('a failing write rejects only its caller; the others commit once', async () => {
    db.prepare('INSERT INTO note (body) VALUES (?)').run('taken');
    const results = await Promise.allSettled([
      batch.run(insert('x')),
      batch.run(insert('taken')),
      batch.run(insert('y')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = results[1];
    expect(failure?.status === 'rejected' && String(failure.reason)).toMatch(/UNIQUE/);
    expect(bodies()).toEqual(['taken', 'x', 'y']);
  });

  it('a lone write commits on its own, and later turns start new batches', async () => {
    await expect(batch.run(insert('first'))).resolves.toBe(1);
    await expect(batch.run(insert('second'))).resolves.toBe(2);
    expect(bodies()).toEqual(['first', 'second']);
  });

  it('waits while another connection holds the gate for a transaction', async () => {
    const gate = new ReadWriteGate();
    const gated = new WriteBatch(db, gate);
    let release = () => {};
    const held = gate.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    const write = gated.run(insert('later'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(bodies()).toEqual([]);
    release();
    await held;
    await expect(write).resolves.toBe(1);
    expect(bodies()).toEqual(['later']);
  });
});
