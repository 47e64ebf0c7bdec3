// The points ledger, check-ins, rewards and redemptions. Every balance change is one conditional
// UPDATE on the Customer row: it is atomic on both providers, and on PostgreSQL it also takes the
// row lock that serialises concurrent changes of one customer's points until the transaction ends.
import type { Tier } from '../../domain/customer.ts';
import type { PointsEntryKind, RewardKind } from '../../domain/loyalty.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { Customer, PointsEntry, Redemption, Reward } from '../types.ts';
import { insertedOnce } from './errors.ts';

export interface NewPointsEntry {
  customerId: number;
  amount: number;
  kind: PointsEntryKind;
  reason: string;
  reference?: string | null;
  idempotencyKey: string;
  expiresAt?: Date | null;
  staffId?: number | null;
  at: Date;
}

export interface NewReward {
  name: string;
  nameEn?: string | null;
  description?: string | null;
  kind: RewardKind;
  cost: number;
  stock?: number | null;
  active?: boolean;
}

export type RewardWithStock = Reward & { codesLeft: number };

/** Unspent earned points that expire by a date. */
export interface ExpiringPoints {
  points: number;
  /** When the first of them expires. */
  at: Date | null;
}

export class LoyaltyRepository {
  constructor(private readonly db: PrismaTx) {}

  async entryByKey(idempotencyKey: string): Promise<PointsEntry | null> {
    const found = await this.db.pointsEntry.findUnique({ where: { idempotencyKey } });
    return found && rows.pointsEntry(found);
  }

  /** Positive entries (earn, positive adjust) carry `remaining` so later debits and expiry consume them FIFO. */
  async insertEntry(entry: NewPointsEntry): Promise<PointsEntry> {
    const { at, ...rest } = entry;
    const created = await this.db.pointsEntry.create({
      data: { ...rest, remaining: entry.amount > 0 ? entry.amount : null, createdAt: at },
    });
    return rows.pointsEntry(created);
  }

  /**
   * Adds `delta` to the cached balance. With `floor` the change only happens if the balance stays at
   * or above it (the check and the write are one statement). Returns false when refused.
   */
  async changeBalance(customerId: number, delta: number, floor?: number): Promise<boolean> {
    const result = await this.db.customer.updateMany({
      where: { id: customerId, ...(floor === undefined ? {} : { pointsBalance: { gte: floor - delta } }) },
      data: { pointsBalance: { increment: delta } },
    });
    return result.count === 1;
  }

  /** Takes the customer's row lock (PostgreSQL) / nothing extra on SQLite, where transactions are serial. */
  async lockCustomer(customerId: number): Promise<boolean> {
    const result = await this.db.customer.updateMany({
      where: { id: customerId },
      data: { pointsBalance: { increment: 0 } },
    });
    return result.count === 1;
  }

  /** Marks `amount` points of the oldest unexpired positive entries as used (FIFO by expiry). */
  async consume(customerId: number, amount: number): Promise<void> {
    let left = amount;
    while (left > 0) {
      const batch = await this.db.pointsEntry.findMany({
        where: { customerId, remaining: { gt: 0 } },
        orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
        take: 50,
      });
      if (batch.length === 0) return;
      for (const entry of batch) {
        const take = Math.min(left, entry.remaining ?? 0);
        await this.db.pointsEntry.update({ where: { id: entry.id }, data: { remaining: { decrement: take } } });
        left -= take;
        if (left === 0) return;
      }
    }
  }

  async takeRemaining(entryId: number): Promise<number> {
    const entry = await this.db.pointsEntry.findUnique({ where: { id: entryId } });
    const remaining = entry?.remaining ?? 0;
    if (remaining > 0) await this.db.pointsEntry.update({ where: { id: entryId }, data: { remaining: 0 } });
    return remaining;
  }

  async ledgerSum(customerId: number): Promise<number> {
    const sum = await this.db.pointsEntry.aggregate({ where: { customerId }, _sum: { amount: true } });
    return sum._sum.amount ?? 0;
  }

  async cachedBalance(customerId: number): Promise<number | null> {
    const row = await this.db.customer.findUnique({ where: { id: customerId }, select: { pointsBalance: true } });
    return row?.pointsBalance ?? null;
  }

  async entries(customerId: number | undefined, take: number, skip = 0): Promise<PointsEntry[]> {
    const found = await this.db.pointsEntry.findMany({
      where: customerId === undefined ? {} : { customerId },
      orderBy: { id: 'desc' },
      take,
      skip,
    });
    return found.map(rows.pointsEntry);
  }

  async entriesByReference(reference: string): Promise<PointsEntry[]> {
    return (await this.db.pointsEntry.findMany({ where: { reference }, orderBy: { id: 'asc' } })).map(rows.pointsEntry);
  }

  /** Sum of the amounts of entries whose key starts with `prefix` (e.g. all reversals of one order). */
  async sumByKeyPrefix(prefix: string): Promise<number> {
    const sum = await this.db.pointsEntry.aggregate({
      where: { idempotencyKey: { startsWith: prefix } },
      _sum: { amount: true },
    });
    return sum._sum.amount ?? 0;
  }

  /** Positive entries with points left whose expiry is at or before `before`. */
  async expiring(before: Date, take: number): Promise<PointsEntry[]> {
    const found = await this.db.pointsEntry.findMany({
      where: { remaining: { gt: 0 }, expiresAt: { lte: before } },
      orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
      take,
    });
    return found.map(rows.pointsEntry);
  }

  /** Unspent earned points of one customer that expire by `before`, and when the first goes. */
  async expiringTotal(customerId: number, before: Date): Promise<ExpiringPoints> {
    const total = await this.db.pointsEntry.aggregate({
      where: { customerId, remaining: { gt: 0 }, expiresAt: { lte: before } },
      _sum: { remaining: true },
      _min: { expiresAt: true },
    });
    return { points: total._sum.remaining ?? 0, at: total._min.expiresAt ?? null };
  }

  /** Points earned (earn minus reversals) since `since`, for tiers. */
  async earnedSince(customerId: number, since: Date): Promise<number> {
    const earning: PointsEntryKind[] = ['earn', 'reverse'];
    const sum = await this.db.pointsEntry.aggregate({
      where: { customerId, kind: { in: earning }, createdAt: { gte: since } },
      _sum: { amount: true },
    });
    return sum._sum.amount ?? 0;
  }

  async spentSince(customerId: number, since: Date): Promise<number> {
    const sum = await this.db.order.aggregate({
      where: { customerId, status: 'completed', completedAt: { gte: since } },
      _sum: { total: true, refundedAmount: true },
    });
    return (sum._sum.total ?? 0) - (sum._sum.refundedAmount ?? 0);
  }

  completedOrderCount(customerId: number): Promise<number> {
    return this.db.order.count({ where: { customerId, status: 'completed' } });
  }

  /** Every customer whose cached balance differs from the ledger sum. */
  async mismatches(): Promise<Array<{ customerId: number; cached: number; ledger: number }>> {
    const sums = await this.db.pointsEntry.groupBy({ by: ['customerId'], _sum: { amount: true } });
    const ledger = new Map(sums.map((s) => [s.customerId, s._sum.amount ?? 0]));
    const out: Array<{ customerId: number; cached: number; ledger: number }> = [];
    // Paged by id: an IN list of every customer would exceed the driver's parameter limit.
    for (let afterId = 0; ; ) {
      const page = await this.db.customer.findMany({
        where: { id: { gt: afterId } },
        orderBy: { id: 'asc' },
        take: 5000,
        select: { id: true, pointsBalance: true },
      });
      for (const c of page) {
        const sum = ledger.get(c.id) ?? 0;
        if (sum !== c.pointsBalance) out.push({ customerId: c.id, cached: c.pointsBalance, ledger: sum });
      }
      const last = page[page.length - 1];
      if (!last) break;
      afterId = last.id;
    }
    return out;
  }

  async setTier(customerId: number, tier: Tier, at: Date): Promise<Customer> {
    return rows.customer(await this.db.customer.update({ where: { id: customerId }, data: { tier, tierSince: at } }));
  }

  async findByReferralCode(code: string): Promise<Customer | null> {
    const found = await this.db.customer.findUnique({ where: { referralCode: code } });
    return found && rows.customer(found);
  }

  /** Sets the referrer once: only while none is set. */
  async setReferrer(customerId: number, referrerId: number): Promise<boolean> {
    const result = await this.db.customer.updateMany({
      where: { id: customerId, referredById: null },
      data: { referredById: referrerId },
    });
    return result.count === 1;
  }

  async setReferralCode(customerId: number, code: string): Promise<void> {
    await this.db.customer.updateMany({ where: { id: customerId, referralCode: null }, data: { referralCode: code } });
  }

  async customersWithBirthday(take: number, afterId: number): Promise<Customer[]> {
    const found = await this.db.customer.findMany({
      where: { birthday: { not: null }, mergedIntoId: null, erasedAt: null, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take,
    });
    return found.map(rows.customer);
  }

  customerIdsWithPoints(take: number, afterId: number): Promise<number[]> {
    return this.db.customer
      .findMany({
        where: { id: { gt: afterId }, OR: [{ pointsBalance: { not: 0 } }, { tier: { not: 'normal' } }] },
        orderBy: { id: 'asc' },
        take,
        select: { id: true },
      })
      .then((rows) => rows.map((r) => r.id));
  }

  // --- check-ins ---

  lastCheckIn(customerId: number) {
    return this.db.checkIn.findFirst({ where: { customerId }, orderBy: { day: 'desc' } });
  }

  checkInOn(customerId: number, day: string) {
    return this.db.checkIn.findUnique({ where: { customerId_day: { customerId, day } } });
  }

  createCheckIn(customerId: number, day: string, streak: number, at: Date) {
    return this.db.checkIn.create({ data: { customerId, day, streak, createdAt: at } });
  }

  // --- rewards ---

  async createReward(input: NewReward): Promise<Reward> {
    return rows.reward(await this.db.reward.create({ data: { ...input, stock: input.stock ?? null } }));
  }

  async updateReward(id: number, patch: Partial<NewReward>): Promise<Reward> {
    return rows.reward(await this.db.reward.update({ where: { id }, data: patch }));
  }

  async reward(id: number): Promise<Reward | null> {
    const found = await this.db.reward.findUnique({ where: { id } });
    return found && rows.reward(found);
  }

  async rewards(options: { activeOnly: boolean }): Promise<RewardWithStock[]> {
    const rewards = await this.db.reward.findMany({
      where: options.activeOnly ? { active: true } : {},
      orderBy: [{ cost: 'asc' }, { id: 'asc' }],
    });
    const counts = await this.db.rewardCode.groupBy({
      by: ['rewardId'],
      where: { redemptionId: null },
      _count: { _all: true },
    });
    const left = new Map(counts.map((c) => [c.rewardId, c._count._all]));
    return rewards.map((r) => ({ ...rows.reward(r), codesLeft: left.get(r.id) ?? 0 }));
  }

  /** Adds codes to a reward's pool; codes that already exist anywhere are skipped. Returns the number added. */
  async addCodes(rewardId: number, codes: string[]): Promise<number> {
    const existing = await this.db.rewardCode.findMany({ where: { code: { in: codes } }, select: { code: true } });
    const taken = new Set(existing.map((c) => c.code));
    const fresh = [...new Set(codes)].filter((c) => !taken.has(c));
    if (fresh.length === 0) return 0;
    const result = await this.db.rewardCode.createMany({ data: fresh.map((code) => ({ rewardId, code })) });
    return result.count;
  }

  /** Decrements stock if some is left (null stock = unlimited). */
  async takeStock(rewardId: number): Promise<boolean> {
    const result = await this.db.reward.updateMany({
      where: { id: rewardId, OR: [{ stock: null }, { stock: { gt: 0 } }] },
      data: { stock: { decrement: 1 } },
    });
    if (result.count === 0) return false;
    // Unlimited stock stays unlimited: decrementing NULL leaves NULL on both providers.
    return true;
  }

  async hasFreeCode(rewardId: number): Promise<boolean> {
    return (
      (await this.db.rewardCode.findFirst({ where: { rewardId, redemptionId: null }, select: { id: true } })) !== null
    );
  }

  /**
   * Assigns a free code of the pool to the redemption. The conditional update makes a code go to
   * exactly one redemption; losing a race just means trying the next free code.
   */
  async claimCode(rewardId: number, redemptionId: number, at: Date): Promise<string | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const free = await this.db.rewardCode.findFirst({
        where: { rewardId, redemptionId: null },
        orderBy: { id: 'asc' },
        select: { id: true, code: true },
      });
      if (!free) return null;
      const result = await this.db.rewardCode.updateMany({
        where: { id: free.id, redemptionId: null },
        data: { redemptionId, assignedAt: at },
      });
      if (result.count === 1) return free.code;
    }
    return null;
  }

  async redemptionByKey(idempotencyKey: string): Promise<Redemption | null> {
    const found = await this.db.redemption.findUnique({ where: { idempotencyKey } });
    return found && rows.redemption(found);
  }

  async createRedemption(data: {
    customerId: number;
    rewardId: number;
    points: number;
    idempotencyKey: string;
    at: Date;
  }): Promise<Redemption> {
    const { at, ...rest } = data;
    return rows.redemption(await this.db.redemption.create({ data: { ...rest, createdAt: at } }));
  }

  async setRedemptionCode(id: number, code: string | null): Promise<Redemption> {
    return rows.redemption(await this.db.redemption.update({ where: { id }, data: { code } }));
  }

  async redemptions(customerId: number, take = 20) {
    const found = await this.db.redemption.findMany({
      where: { customerId },
      orderBy: { id: 'desc' },
      take,
      include: { reward: true },
    });
    return found.map(({ reward, ...redemption }) => ({ ...rows.redemption(redemption), reward: rows.reward(reward) }));
  }

  /** Bulk insert for benchmarks and imports: no balance maintenance (callers refresh totals). */
  async insertMany(entries: NewPointsEntry[]): Promise<number> {
    const result = await this.db.pointsEntry.createMany({
      data: entries.map(({ at, ...rest }) => ({
        ...rest,
        remaining: rest.amount > 0 ? rest.amount : null,
        createdAt: at,
      })),
    });
    return result.count;
  }

  /** Claims a once-only run (e.g. one reminder per customer and date); false if already claimed. Not in a transaction. */
  async claimRun(name: string, runKey: string, at: Date): Promise<boolean> {
    return insertedOnce(() =>
      this.db.jobRun.create({ data: { name, runKey, status: 'done', startedAt: at, finishedAt: at } }),
    );
  }

  async setCachedBalance(customerId: number, balance: number): Promise<void> {
    await this.db.customer.update({ where: { id: customerId }, data: { pointsBalance: balance } });
  }
}
