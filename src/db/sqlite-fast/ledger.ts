// The loyalty ledger (../ledger.ts) on SQLite as prepared statements, each call one synchronous
// transaction on the fast-path connection. A post: the idempotency check, the cached balance (with
// its floor), the entry and the FIFO consumption of a debit. A redemption: the same post of the
// debit plus the reward's stock, the redemption, its coupon code and the profile event; being
// synchronous, nothing else runs between the balance check and the writes. Through the ORM a post
// took four to six round trips and a redemption about twelve, each in an interactive transaction
// (docs/benchmarks.md "Loyalty ledger").
import type Database from 'better-sqlite3';
import { type Row, readRedemption, readReward } from '../hot/rows.ts';
import { date, dateOrNull, int, intOrNull, text, textOrNull, timestamp } from '../hot/values.ts';
import {
  type Ledger,
  type LedgerPost,
  type LedgerResult,
  type RedemptionRequest,
  type RedemptionResult,
  redemptionEntry,
} from '../ledger.ts';
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

/** A write that the checks before it guaranteed did not happen: roll the whole redemption back. */
class RedemptionInconsistent extends Error {}

export class SqliteLedger implements Ledger {
  private readonly sql;
  private readonly postTx;
  private readonly redeemTx;

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
         ORDER BY "expiresAt" ASC, "id" ASC`,
      ),
      take: db.prepare(`UPDATE "PointsEntry" SET "remaining" = "remaining" - ? WHERE "id" = ?`),
      redemptionByKey: db.prepare(`SELECT * FROM "Redemption" WHERE "idempotencyKey" = ?`),
      reward: db.prepare(`SELECT * FROM "Reward" WHERE "id" = ?`),
      freeCode: db.prepare(
        `SELECT "id", "code" FROM "RewardCode" WHERE "rewardId" = ? AND "redemptionId" IS NULL ORDER BY "id" ASC LIMIT 1`,
      ),
      takeStock: db.prepare(
        `UPDATE "Reward" SET "stock" = "stock" - 1, "updatedAt" = ? WHERE "id" = ? AND "stock" > 0`,
      ),
      insertRedemption: db.prepare(
        `INSERT INTO "Redemption" ("customerId","rewardId","points","status","code","idempotencyKey","createdAt")
         VALUES (?,?,?,'completed',?,?,?) RETURNING *`,
      ),
      assignCode: db.prepare(
        `UPDATE "RewardCode" SET "redemptionId" = ?, "assignedAt" = ? WHERE "id" = ? AND "redemptionId" IS NULL`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO "Interaction" ("customerId","channel","direction","kind","text","payload","createdAt")
         VALUES (?,'system','event','event',?,?,?)`,
      ),
    };
    this.postTx = db.transaction((entry: LedgerPost) => this.postSync(entry));
    this.redeemTx = db.transaction((request: RedemptionRequest) => this.redeemSync(request));
  }

  post(entry: LedgerPost): Promise<LedgerResult> {
    return this.gate.exclusiveSync(() => this.postTx.immediate(entry));
  }

  redeem(request: RedemptionRequest): Promise<RedemptionResult> {
    return this.gate.exclusive(async () => this.redeemTx.immediate(request));
  }

  /**
   * Checks everything first (the transaction holds SQLite's write lock, so what it reads stays
   * true), then writes; the order of the refusals is the repository's: unavailable, insufficient,
   * out of stock.
   */
  private redeemSync(request: RedemptionRequest): RedemptionResult {
    const { sql } = this;
    const balanceRow: unknown = sql.balance.get(request.customerId);
    const balance = isRow(balanceRow) ? int(balanceRow.pointsBalance) : 0;
    const previous: unknown = sql.redemptionByKey.get(request.idempotencyKey);
    if (isRow(previous)) return { status: 'replayed', redemption: readRedemption(previous), balance };
    const rewardRow: unknown = sql.reward.get(request.rewardId);
    const reward = isRow(rewardRow) ? readReward(rewardRow) : null;
    if (!reward?.active) return { status: 'unavailable', balance };
    if (!isRow(balanceRow) || balance < reward.cost) return { status: 'insufficient', balance };
    if (reward.stock !== null && reward.stock <= 0) return { status: 'out_of_stock', balance };
    const freeCode: unknown = reward.kind === 'coupon' ? sql.freeCode.get(reward.id) : undefined;
    if (reward.kind === 'coupon' && !isRow(freeCode)) return { status: 'out_of_stock', balance };

    const at = timestamp(request.at);
    const code = isRow(freeCode) ? text(freeCode.code) : null;
    const inserted: unknown = sql.insertRedemption.get(
      request.customerId,
      reward.id,
      reward.cost,
      code,
      request.idempotencyKey,
      at,
    );
    if (!isRow(inserted)) throw new RedemptionInconsistent('redemption insert returned no row');
    const redemption = readRedemption(inserted);
    if (reward.stock !== null && sql.takeStock.run(at, reward.id).changes !== 1) {
      throw new RedemptionInconsistent(`reward ${reward.id}: stock changed during the redemption`);
    }
    if (isRow(freeCode) && sql.assignCode.run(redemption.id, at, int(freeCode.id)).changes !== 1) {
      throw new RedemptionInconsistent(`reward ${reward.id}: code taken during the redemption`);
    }
    const posted = this.postSync({ ...redemptionEntry(request, reward, redemption.id), floor: 0 });
    if (posted.status !== 'created') throw new RedemptionInconsistent(`redemption ledger entry: ${posted.status}`);
    const { text: line, event } = request.describe(reward, redemption.id);
    sql.insertEvent.run(request.customerId, line, JSON.stringify(event), at);
    return { status: 'created', redemption, balance: balance - reward.cost };
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
    // Reads only as many of the oldest entries as the debit uses: most debits use one or two, and
    // materialising a batch of rows was most of a redemption's CPU time. The reader must finish
    // before the updates run (one statement at a time on a connection).
    const takes: Array<{ id: number; take: number }> = [];
    let left = amount;
    for (const row of this.sql.oldest.iterate(customerId)) {
      if (!isRow(row)) continue;
      const take = Math.min(left, int(row.remaining));
      takes.push({ id: int(row.id), take });
      left -= take;
      if (left === 0) break;
    }
    for (const { id, take } of takes) this.sql.take.run(take, id);
  }
}
