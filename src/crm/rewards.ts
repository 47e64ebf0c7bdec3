import type { RewardWithStock } from '../db/repositories/loyalty.ts';
import type { Repositories } from '../db/store.ts';
import type { JsonObject, Redemption, Reward } from '../db/types.ts';
import type { Actor, AuditAction } from '../domain/audit.ts';
import { NotFoundError } from '../domain/errors.ts';
import { CodesInput, RewardInput, RewardPatch } from '../domain/loyalty-input.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';

export type RedeemResult =
  | { ok: true; redemption: Redemption; code: string | null; replay: boolean; balance: number }
  | { ok: false; reason: 'insufficient' | 'out_of_stock' | 'unavailable'; balance: number };

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
   * enough points, no stock or no code left → nothing changes. One transaction in the store's ledger
   * (balance, stock, redemption, coupon code, ledger entry, profile event).
   */
  async redeem(customerId: number, rewardId: number, idempotencyKey: string): Promise<RedeemResult> {
    try {
      const result = await this.deps.store.ledger.redeem({
        customerId,
        rewardId,
        idempotencyKey,
        at: this.deps.clock.now(),
        describe: (reward, redemptionId) => ({
          text: `redeemed ${reward.name} for ${reward.cost} points`,
          event: { type: 'loyalty.redeem', rewardId: reward.id, redemptionId, points: reward.cost },
        }),
      });
      if (result.status === 'created' || result.status === 'replayed') {
        const { redemption, balance } = result;
        return { ok: true, redemption, code: redemption.code, replay: result.status === 'replayed', balance };
      }
      return { ok: false, reason: result.status, balance: result.balance };
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
