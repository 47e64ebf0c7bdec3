// The loyalty ledger (../ledger.ts) on PostgreSQL. A redemption is one transaction of two named
// statements on the hot path's pool (BEGIN, debit, write, COMMIT: four round trips, against twelve
// through the ORM, measured by bench/loyalty.ts):
// - the debit takes the points with a conditional UPDATE of the customer row (`pointsBalance >=
//   cost`). The row lock it takes serialises every balance change of that customer, and PostgreSQL
//   re-checks the condition on the newest row version after waiting for it, so two concurrent
//   redemptions of the last points cannot both pass. It also reserves the redemption's id;
// - the write takes the stock with a conditional UPDATE (`stock > 0`, re-checked the same way), a
//   free coupon code (`FOR UPDATE SKIP LOCKED`), and inserts the redemption, the ledger entry and the
//   profile event, and consumes the oldest points (FIFO), each only if the stock and the code were
//   had. Nothing inserted means the stock or the code went meanwhile: the transaction rolls back.
// The unique idempotency key of the redemption makes a concurrent replay fail at the insert; the
// transaction then runs again and finds the first one's redemption.
// `post` still goes through the repositories (the ORM) on PostgreSQL.
import type pg from 'pg';
import { readRedemption, readReward } from '../hot/rows.ts';
import { bool, int, intOrNull } from '../hot/values.ts';
import { type Ledger, type RedemptionRequest, type RedemptionResult, redemptionEntry } from '../ledger.ts';
import type { Reward } from '../types.ts';
import { firstOf, inTransaction, pgJson, pgTime, type Row } from './pool.ts';

const SQL = {
  debit: `WITH "reward" AS (SELECT * FROM "Reward" WHERE "id" = $2),
  "previous" AS (SELECT 1 FROM "Redemption" WHERE "idempotencyKey" = $3),
  "available" AS (
    SELECT r."cost" FROM "reward" AS r
    WHERE r."active" AND (r."stock" IS NULL OR r."stock" > 0)
      AND (r."kind" <> 'coupon' OR EXISTS (
        SELECT 1 FROM "RewardCode" WHERE "rewardId" = $2 AND "redemptionId" IS NULL))
      AND NOT EXISTS (SELECT 1 FROM "previous")),
  "debit" AS (
    UPDATE "Customer" AS c SET "pointsBalance" = c."pointsBalance" - a."cost", "updatedAt" = $4
    FROM "available" AS a WHERE c."id" = $1 AND c."pointsBalance" >= a."cost"
    RETURNING c."pointsBalance")
  SELECT r.*,
    EXISTS (SELECT 1 FROM "previous") AS "replay",
    EXISTS (SELECT 1 FROM "available") AS "inStock",
    (SELECT "pointsBalance" FROM "Customer" WHERE "id" = $1) AS "balance",
    d."pointsBalance" AS "debited",
    CASE WHEN d."pointsBalance" IS NOT NULL
      THEN nextval(pg_get_serial_sequence('"Redemption"', 'id')) END AS "redemptionId"
  FROM (SELECT 1) AS "one" LEFT JOIN "reward" AS r ON true LEFT JOIN "debit" AS d ON true`,
  write: `WITH "stock" AS (
    UPDATE "Reward" SET "stock" = "stock" - 1, "updatedAt" = $6
    WHERE "id" = $2 AND $7::boolean AND "stock" > 0 RETURNING "id"),
  "code" AS (
    SELECT "id", "code" FROM "RewardCode" WHERE "rewardId" = $2 AND "redemptionId" IS NULL AND $8::boolean
    ORDER BY "id" LIMIT 1 FOR UPDATE SKIP LOCKED),
  "redemption" AS (
    INSERT INTO "Redemption" ("id", "customerId", "rewardId", "points", "status", "code", "idempotencyKey", "createdAt")
    SELECT $3, $1, $2, $4, 'completed', (SELECT "code" FROM "code"), $5, $6
    WHERE (NOT $7::boolean OR EXISTS (SELECT 1 FROM "stock")) AND (NOT $8::boolean OR EXISTS (SELECT 1 FROM "code"))
    RETURNING *),
  "assigned" AS (
    UPDATE "RewardCode" SET "redemptionId" = $3, "assignedAt" = $6
    WHERE "id" = (SELECT "id" FROM "code") AND EXISTS (SELECT 1 FROM "redemption")),
  "entry" AS (
    INSERT INTO "PointsEntry" ("customerId", "amount", "kind", "reason", "reference", "idempotencyKey", "createdAt")
    SELECT $1, -$4::int, $9, $10, $11, $12, $6 FROM "redemption"),
  "oldest" AS (
    SELECT "id", COALESCE(SUM("remaining") OVER (ORDER BY "expiresAt", "id"
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS "before"
    FROM "PointsEntry" WHERE "customerId" = $1 AND "remaining" > 0),
  "consumed" AS (
    UPDATE "PointsEntry" AS p SET "remaining" = p."remaining" - LEAST(p."remaining", $4::int - o."before")
    FROM "oldest" AS o WHERE p."id" = o."id" AND o."before" < $4::int AND EXISTS (SELECT 1 FROM "redemption")),
  "event" AS (
    INSERT INTO "Interaction" ("customerId", "channel", "direction", "kind", "text", "payload", "createdAt")
    SELECT $1, 'system', 'event', 'event', $13, $14::jsonb, $6 FROM "redemption")
  SELECT * FROM "redemption"`,
  byKey: `SELECT * FROM "Redemption" WHERE "idempotencyKey" = $1`,
  refusedForPoints: `SELECT r.*, (SELECT "pointsBalance" FROM "Customer" WHERE "id" = $1) AS "balance"
    FROM (SELECT 1) AS "one" LEFT JOIN "Redemption" AS r ON r."idempotencyKey" = $2`,
} as const;

/** Ends the transaction with a rollback and this answer. */
class Refused extends Error {
  constructor(readonly result: RedemptionResult) {
    super(`redemption refused: ${result.status}`);
  }
}

export class PgLedger implements Ledger {
  constructor(
    private readonly pool: pg.Pool,
    /** Posts through the repositories (PostgreSQL's post has no statement path of its own yet). */
    private readonly posts: Pick<Ledger, 'post'>,
  ) {}

  post: Ledger['post'] = (entry) => this.posts.post(entry);

  async redeem(request: RedemptionRequest): Promise<RedemptionResult> {
    try {
      return await inTransaction(this.pool, (db) => this.redeemIn(db, request));
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      // Refused for want of points: the balance read with the debit may predate a concurrent change
      // (the debit waited for it), and a concurrent call with the same key may be the one that took them.
      if (error.result.status === 'insufficient') {
        const now = await firstOf(this.pool, 'ledger.refusedForPoints', SQL.refusedForPoints, [
          request.customerId,
          request.idempotencyKey,
        ]);
        const balance = intOrNull(now?.balance) ?? 0;
        if (now && now.id !== null) return { status: 'replayed', redemption: readRedemption(now), balance };
        return { status: 'insufficient', balance };
      }
      return error.result;
    }
  }

  private async redeemIn(db: pg.PoolClient, request: RedemptionRequest): Promise<RedemptionResult> {
    const at = pgTime(request.at);
    const checked = await firstOf(db, 'ledger.redeemDebit', SQL.debit, [
      request.customerId,
      request.rewardId,
      request.idempotencyKey,
      at,
    ]);
    if (!checked) throw new Error('redemption debit returned no row');
    const balance = intOrNull(checked.balance) ?? 0;
    if (bool(checked.replay)) {
      const previous = await firstOf(db, 'ledger.redemptionByKey', SQL.byKey, [request.idempotencyKey]);
      if (!previous) throw new Error('redemption vanished during its replay');
      return { status: 'replayed', redemption: readRedemption(previous), balance };
    }
    const reward = checked.id === null ? null : readReward(checked);
    if (!reward?.active) throw new Refused({ status: 'unavailable', balance });
    const redemptionId = intOrNull(checked.redemptionId);
    if (redemptionId === null) {
      const soldOut = balance >= reward.cost && !bool(checked.inStock);
      throw new Refused({ status: soldOut ? 'out_of_stock' : 'insufficient', balance });
    }
    const written = await this.write(db, request, reward, redemptionId);
    // The stock or the last code went between the two statements: give the points back (roll back).
    if (!written) throw new Refused({ status: 'out_of_stock', balance });
    return { status: 'created', redemption: readRedemption(written), balance: int(checked.debited) };
  }

  private write(
    db: pg.PoolClient,
    request: RedemptionRequest,
    reward: Reward,
    redemptionId: number,
  ): Promise<Row | null> {
    const entry = redemptionEntry(request, reward, redemptionId);
    const { text, event } = request.describe(reward, redemptionId);
    return firstOf(db, 'ledger.redeemWrite', SQL.write, [
      request.customerId,
      reward.id,
      redemptionId,
      reward.cost,
      request.idempotencyKey,
      pgTime(request.at),
      reward.stock !== null,
      reward.kind === 'coupon',
      entry.kind,
      entry.reason,
      entry.reference,
      entry.idempotencyKey,
      text,
      pgJson(event),
    ]);
  }
}
