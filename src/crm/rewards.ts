import type { RewardWithStock } from '../db/repositories/loyalty.ts';
import type { Repositories } from '../db/store.ts';
import type { JsonObject, Redemption, Reward } from '../db/types.ts';
import type { Actor, AuditAction } from '../domain/audit.ts';
import { NotFoundError } from '../domain/errors.ts';
import { CodesInput, RewardInput, RewardPatch } from '../domain/loyalty-input.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { InsufficientPointsError } from './loyalty.ts';
import { recordEvent } from './profile-events.ts';

export type RedeemResult =
  | { ok: true; redemption: Redemption; code: string | null; replay: boolean; balance: number }
  | { ok: false; reason: 'insufficient' | 'out_of_stock' | 'unavailable'; balance: number };

class OutOfStockError extends Error {}

/** How long the chat menu may show a catalogue snapshot (stock and codes left) before reading it again. */
const MENU_CATALOGUE_TTL_MS = 5_000;

export class RewardService {
  private menuCatalogue: { until: number; rewards: Promise<RewardWithStock[]> } | null = null;

  constructor(private readonly deps: ServiceDeps) {}

  list(options: { activeOnly: boolean } = { activeOnly: true }): Promise<RewardWithStock[]> {
    return this.deps.store.repos.loyalty.rewards(options);
  }

  async get(id: number): Promise<Reward> {
    const reward = await this.deps.store.repos.loyalty.reward(id);
    if (!reward) throw new NotFoundError(`reward ${id}`);
    return reward;
  }

  /** Rewards the customer can have now: active, affordable, and with stock or codes left. */
  async affordable(balance: number): Promise<RewardWithStock[]> {
    return (await this.menuSnapshot()).filter((r) => r.cost <= balance && available(r));
  }

  /**
   * The active catalogue for the chat menu, read at most every few seconds: every points menu shows
   * it, and a stock figure a few seconds old is harmless because redemption re-checks stock itself.
   * Changes made through this service are visible at once.
   */
  private menuSnapshot(): Promise<RewardWithStock[]> {
    const now = this.deps.clock.now().getTime();
    if (!this.menuCatalogue || this.menuCatalogue.until <= now) {
      const rewards = this.list();
      this.menuCatalogue = { until: now + MENU_CATALOGUE_TTL_MS, rewards };
      rewards.catch(() => {
        this.menuCatalogue = null;
      });
    }
    return this.menuCatalogue.rewards;
  }

  private forgetMenuSnapshot(): void {
    this.menuCatalogue = null;
  }

  async create(input: RewardInput, actor: Actor): Promise<Reward> {
    const data = RewardInput.parse(input);
    return this.deps.store
      .transaction(async (repos) => {
        const reward = await repos.loyalty.createReward({
          name: data.name,
          nameEn: data.nameEn ?? null,
          description: data.description ?? null,
          kind: data.kind,
          cost: data.cost,
          stock: data.stock ?? null,
          active: data.active ?? true,
        });
        await this.audit(repos, actor, 'reward.create', reward.id, { name: reward.name, cost: reward.cost });
        return reward;
      })
      .finally(() => this.forgetMenuSnapshot());
  }

  async update(id: number, input: RewardPatch, actor: Actor): Promise<Reward> {
    const patch = RewardPatch.parse(input);
    await this.get(id);
    return this.deps.store
      .transaction(async (repos) => {
        const reward = await repos.loyalty.updateReward(id, patch);
        await this.audit(repos, actor, 'reward.update', id, { fields: Object.keys(patch).join(',') });
        return reward;
      })
      .finally(() => this.forgetMenuSnapshot());
  }

  async addCodes(id: number, codes: string[], actor: Actor): Promise<{ added: number; skipped: number }> {
    const data = CodesInput.parse({ codes });
    const reward = await this.get(id);
    if (reward.kind !== 'coupon') throw new NotFoundError(`coupon reward ${id}`);
    const added = await this.deps.store.transaction(async (repos) => {
      const added = await repos.loyalty.addCodes(id, data.codes);
      await this.audit(repos, actor, 'reward.codes', id, { added });
      return added;
    });
    this.forgetMenuSnapshot();
    return { added, skipped: data.codes.length - added };
  }

  /**
   * Redeems once per idempotency key: a second call with the same key returns the first result. Not
   * enough points, no stock or no code left → nothing changes.
   */
  async redeem(customerId: number, rewardId: number, idempotencyKey: string): Promise<RedeemResult> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const balance = async () => (await store.repos.loyalty.cachedBalance(customerId)) ?? 0;
    try {
      return await store.transaction(async (repos) => {
        const previous = await repos.loyalty.redemptionByKey(idempotencyKey);
        if (previous) {
          return {
            ok: true as const,
            redemption: previous,
            code: previous.code,
            replay: true,
            balance: await balance(),
          };
        }
        const reward = await repos.loyalty.reward(rewardId);
        if (!reward?.active) return { ok: false as const, reason: 'unavailable' as const, balance: await balance() };
        // The balance first: it locks the customer's row (PostgreSQL) before the reward's, always in this order.
        if (!(await repos.loyalty.changeBalance(customerId, -reward.cost, 0))) {
          throw new InsufficientPointsError(await balance(), reward.cost);
        }
        if (reward.stock !== null && !(await repos.loyalty.takeStock(reward.id))) throw new OutOfStockError();
        const redemption = await repos.loyalty.createRedemption({
          customerId,
          rewardId: reward.id,
          points: reward.cost,
          idempotencyKey,
          at: now,
        });
        let code: string | null = null;
        if (reward.kind === 'coupon') {
          code = await repos.loyalty.claimCode(reward.id, redemption.id, now);
          if (!code) throw new OutOfStockError();
        }
        await repos.loyalty.insertEntry({
          customerId,
          amount: -reward.cost,
          kind: 'redeem',
          reason: `reward ${reward.name}`,
          reference: `redemption:${redemption.id}`,
          idempotencyKey: `redemption:${idempotencyKey}`,
          expiresAt: null,
          at: now,
        });
        await repos.loyalty.consume(customerId, reward.cost);
        const final = code ? await repos.loyalty.setRedemptionCode(redemption.id, code) : redemption;
        await recordEvent(repos, now, {
          customerId,
          text: `redeemed ${reward.name} for ${reward.cost} points`,
          event: { type: 'loyalty.redeem', rewardId: reward.id, redemptionId: redemption.id, points: reward.cost },
        });
        return { ok: true as const, redemption: final, code, replay: false, balance: await balance() };
      });
    } catch (error) {
      if (error instanceof InsufficientPointsError)
        return { ok: false, reason: 'insufficient', balance: await balance() };
      if (error instanceof OutOfStockError) return { ok: false, reason: 'out_of_stock', balance: await balance() };
      // A concurrent call with the same key won the unique index: report its result.
      const previous = await store.repos.loyalty.redemptionByKey(idempotencyKey);
      if (previous)
        return { ok: true, redemption: previous, code: previous.code, replay: true, balance: await balance() };
      throw error;
    } finally {
      // Stock or codes may have changed: the next menu reads the catalogue again.
      this.forgetMenuSnapshot();
    }
  }

  private audit(repos: Repositories, actor: Actor, action: AuditAction, rewardId: number, details: JsonObject) {
    return audit(repos, this.deps.clock.now(), { actor, action, entity: 'reward', entityId: rewardId, details });
  }
}

export function available(reward: RewardWithStock): boolean {
  if (!reward.active) return false;
  if (reward.kind === 'coupon') return reward.codesLeft > 0 && (reward.stock === null || reward.stock > 0);
  return reward.stock === null || reward.stock > 0;
}
