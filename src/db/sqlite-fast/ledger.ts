// The loyalty ledger's post (../ledger.ts) on SQLite as prepared statements in one synchronous
// transaction on the fast-path connection: the idempotency check, the cached balance (with its
// floor), the entry and the FIFO consumption of a debit. Through the ORM the same post took four to
// six round trips in an interactive transaction (docs/benchmarks.md "Loyalty ledger").
import type Database from 'better-sqlite3';
import type { Row } from '../hot/rows.ts';
import { date, dateOrNull, int, intOrNull, text, textOrNull, timestamp } from '../hot/values.ts';
import type { Ledger, LedgerPost, LedgerResult } from '../ledger.ts';
import { rows } from '../rows.ts';
import type { ReadWriteGate } from '../rw-lock.ts';
import type { PointsEntry } from '../types.ts';

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null;

function readPointsEntry(row: Row): PointsEntry {
  return rows.pointsEntry({
    id: int(row.id),
    customerId: int(row.customerId),
    amount: int(row.amount),
    kind: text(row.kind),
    reason: text(row.reason),
    reference: textOrNull(row.reference),
    idempotencyKey: text(row.idempotencyKey),
    expiresAt: dateOrNull(row.expiresAt),
    remaining: intOrNull(row.remaining),
    staffId: intOrNull(row.staffId),
    createdAt: date(row.createdAt),
  });
}

export class SqliteLedger implements Ledger {
  private readonly sql;
  private readonly postTx;

  constructor(
    db: Database.Database,
    private readonly gate: ReadWriteGate,
  ) {
    this.sql = {
      balance: db.prepare(`SELECT "pointsBalance" FROM "Customer" WHERE "id" = ?`),
      byKey: db.prepare(`SELECT * FROM "PointsEntry" WHERE "idempotencyKey" = ?`),
      change: db.prepare(`UPDATE "Customer" SET "pointsBalance" = "pointsBalance" + ?, "updatedAt" = ? WHERE "id" = ?`),
      changeWithFloor: db.prepare(
        `UPDATE "Customer" SET "pointsBalance" = "pointsBalance" + ?, "updatedAt" = ? WHERE "id" = ? AND "pointsBalance" >= ?`,
      ),
      insert: db.prepare(
        `INSERT INTO "PointsEntry" ("customerId","amount","kind","reason","reference","idempotencyKey","expiresAt","remaining","staffId","createdAt")
         VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING *`,
      ),
      oldest: db.prepare(
        `SELECT "id", "remaining" FROM "PointsEntry" WHERE "customerId" = ? AND "remaining" > 0
         ORDER BY "expiresAt" ASC, "id" ASC LIMIT 50`,
      ),
      take: db.prepare(`UPDATE "PointsEntry" SET "remaining" = "remaining" - ? WHERE "id" = ?`),
    };
    this.postTx = db.transaction((entry: LedgerPost) => this.postSync(entry));
  }

  post(entry: LedgerPost): Promise<LedgerResult> {
    return this.gate.exclusiveSync(() => this.postTx.immediate(entry));
  }

  private postSync(entry: LedgerPost): LedgerResult {
    const { sql } = this;
    const balance: unknown = sql.balance.get(entry.customerId);
    if (!isRow(balance)) return { status: 'unknown_customer' };
    const existing: unknown = sql.byKey.get(entry.idempotencyKey);
    if (isRow(existing)) return { status: 'replayed', entry: readPointsEntry(existing) };
    const at = timestamp(entry.at);
    const changed =
      entry.floor === undefined
        ? sql.change.run(entry.amount, at, entry.customerId)
        : sql.changeWithFloor.run(entry.amount, at, entry.customerId, entry.floor - entry.amount);
    if (changed.changes !== 1) return { status: 'insufficient', balance: int(balance.pointsBalance) };
    const inserted: unknown = sql.insert.get(
      entry.customerId,
      entry.amount,
      entry.kind,
      entry.reason,
      entry.reference ?? null,
      entry.idempotencyKey,
      entry.expiresAt ? timestamp(entry.expiresAt) : null,
      entry.amount > 0 ? entry.amount : null,
      entry.staffId ?? null,
      at,
    );
    if (!isRow(inserted)) throw new Error('points entry insert returned no row');
    if (entry.amount < 0) this.consume(entry.customerId, -entry.amount);
    return { status: 'created', entry: readPointsEntry(inserted) };
  }

  /** Marks `amount` points of the oldest unexpired positive entries as used (FIFO by expiry), as the repository does. */
  private consume(customerId: number, amount: number): void {
    let left = amount;
    while (left > 0) {
      const batch = this.sql.oldest.all(customerId).filter(isRow);
      if (batch.length === 0) return;
      for (const row of batch) {
        const take = Math.min(left, int(row.remaining));
        this.sql.take.run(take, int(row.id));
        left -= take;
        if (left === 0) return;
      }
    }
  }
}
