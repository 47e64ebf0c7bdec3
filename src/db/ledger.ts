// The loyalty ledger's two hot writes, each one transaction, idempotent by key:
// - `post`: one entry, the cached balance on the customer row kept in step, older points consumed
//   FIFO for a debit;
// - `redeem`: a reward for points: the balance debit (never below zero), the reward's stock, the
//   redemption with its coupon code, the ledger entry and the profile event, all or nothing.
// Implementations with the same behaviour: through the repositories (inside any enclosing
// transaction), as prepared statements on SQLite (sqlite-fast/ledger.ts) and as a few named
// statements on PostgreSQL (pg-fast/ledger.ts). The loyalty tests run the services on both databases.

import type { ProfileEvent } from '../domain/profile-events.ts';
import type { NewPointsEntry } from './repositories/loyalty.ts';
import type { Repositories } from './repositories.ts';
import type { PointsEntry, Redemption, Reward } from './types.ts';

export interface LedgerPost extends NewPointsEntry {
  /** The balance may not fall below this (checked and changed in one statement); absent: no floor. */
  floor?: number | undefined;
}

export type LedgerResult =
  | { status: 'created' | 'replayed'; entry: PointsEntry }
  | { status: 'insufficient'; balance: number }
  | { status: 'unknown_customer' };

/** What a redemption logs on the customer's timeline, given the reward and the new redemption's id. */
export type RedemptionEvent = (reward: Reward, redemptionId: number) => { text: string; event: ProfileEvent };

export interface RedemptionRequest {
  customerId: number;
  rewardId: number;
  idempotencyKey: string;
  at: Date;
  describe: RedemptionEvent;
}

/** `balance` is the cached balance after the call (unchanged when nothing was redeemed). */
export type RedemptionResult =
  | { status: 'created' | 'replayed'; redemption: Redemption; balance: number }
  | { status: 'insufficient' | 'out_of_stock' | 'unavailable'; balance: number };

export interface Ledger {
  post(entry: LedgerPost): Promise<LedgerResult>;
  redeem(request: RedemptionRequest): Promise<RedemptionResult>;
}

/** The ledger entry of a redemption (posted with floor 0: the balance never goes below zero). */
export function redemptionEntry(request: RedemptionRequest, reward: Reward, redemptionId: number): NewPointsEntry {
  return {
    customerId: request.customerId,
    amount: -reward.cost,
    kind: 'redeem',
    reason: `reward ${reward.name}`,
    reference: `redemption:${redemptionId}`,
    idempotencyKey: `redemption:${request.idempotencyKey}`,
    expiresAt: null,
    at: request.at,
  };
}

/** The ledger through the repositories: joins the transaction in progress, else opens its own. */
export class RepositoryLedger implements Ledger {
  constructor(private readonly transaction: <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>) {}

  post(input: LedgerPost): Promise<LedgerResult> {
    const { floor, ...entry } = input;
    return this.transaction(async (repos): Promise<LedgerResult> => {
      if (!(await repos.loyalty.lockCustomer(entry.customerId))) return { status: 'unknown_customer' };
      const existing = await repos.loyalty.entryByKey(entry.idempotencyKey);
      if (existing) return { status: 'replayed', entry: existing };
      if (!(await repos.loyalty.changeBalance(entry.customerId, entry.amount, floor))) {
        return { status: 'insufficient', balance: (await repos.loyalty.cachedBalance(entry.customerId)) ?? 0 };
      }
      const created = await repos.loyalty.insertEntry(entry);
      if (entry.amount < 0) await repos.loyalty.consume(entry.customerId, -entry.amount);
      return { status: 'created', entry: created };
    });
  }

  /**
   * Only the path inside an enclosing transaction uses this (outside one, the fast paths redeem). It
   * cannot roll back part of that transaction, so it refuses before it writes anything; a write that
   * a concurrent change makes fail afterwards throws, and the enclosing transaction rolls back.
   */
  redeem(request: RedemptionRequest): Promise<RedemptionResult> {
    return this.transaction(async (repos): Promise<RedemptionResult> => {
      const { customerId, idempotencyKey, at } = request;
      const balance = (await repos.loyalty.cachedBalance(customerId)) ?? 0;
      const previous = await repos.loyalty.redemptionByKey(idempotencyKey);
      if (previous) return { status: 'replayed', redemption: previous, balance };
      const reward = await repos.loyalty.reward(request.rewardId);
      if (!reward?.active) return { status: 'unavailable', balance };
      if (balance < reward.cost) return { status: 'insufficient', balance };
      const soldOut = reward.stock !== null && reward.stock <= 0;
      if (soldOut || (reward.kind === 'coupon' && !(await repos.loyalty.hasFreeCode(reward.id)))) {
        return { status: 'out_of_stock', balance };
      }
      // The balance first: it locks the customer's row (PostgreSQL) before the reward's, always in this order.
      if (!(await repos.loyalty.changeBalance(customerId, -reward.cost, 0))) {
        throw new Error(`customer ${customerId}: the balance changed during the redemption`);
      }
      if (reward.stock !== null && !(await repos.loyalty.takeStock(reward.id))) {
        throw new Error(`reward ${reward.id}: the stock went during the redemption`);
      }
      const created = await repos.loyalty.createRedemption({
        customerId,
        rewardId: reward.id,
        points: reward.cost,
        idempotencyKey,
        at,
      });
      const code = reward.kind === 'coupon' ? await repos.loyalty.claimCode(reward.id, created.id, at) : null;
      if (reward.kind === 'coupon' && !code)
        throw new Error(`reward ${reward.id}: the codes went during the redemption`);
      await repos.loyalty.insertEntry(redemptionEntry(request, reward, created.id));
      await repos.loyalty.consume(customerId, reward.cost);
      const { text, event } = request.describe(reward, created.id);
      await repos.interactions.append({
        customerId,
        channel: 'system',
        direction: 'event',
        kind: 'event',
        text,
        payload: event,
        at,
      });
      const redemption = code ? await repos.loyalty.setRedemptionCode(created.id, code) : created;
      return { status: 'created', redemption, balance: balance - reward.cost };
    });
  }
}
