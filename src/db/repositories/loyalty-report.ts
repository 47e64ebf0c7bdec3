// Aggregates for the loyalty report: points moved per period, members per tier, the spread of
// balances and the rewards redeemed most. Each is one grouped query; nothing is loaded row by row.
import { Tier } from '../../domain/customer.ts';
import type { PrismaTx } from '../client.ts';
import { num, type Provider, param, sqlDate } from './raw.ts';

/** Points moved in one period of the report (all positive numbers). */
export interface PointsMoved {
  /** Index of the period: entries from `bounds[i]` (inclusive) to `bounds[i + 1]`. */
  period: number;
  /** Earned and added by hand. */
  issued: number;
  /** Spent on rewards. */
  redeemed: number;
  expired: number;
  /** Taken back: refunds reversing earned points, and deductions by hand. */
  deducted: number;
}

/** Customers that count as members: not merged into another profile, not erased. */
const members = { mergedIntoId: null, erasedAt: null } as const;

export class LoyaltyReportRepository {
  constructor(
    private readonly db: PrismaTx,
    private readonly provider: Provider,
  ) {}

  /**
   * Points moved per period, the periods given by their boundaries (ascending instants; n + 1
   * boundaries make n periods). Periods without entries are left out.
   */
  async pointsMoved(bounds: Date[]): Promise<PointsMoved[]> {
    if (bounds.length < 2) return [];
    const p = this.provider;
    // Parameters in the order they appear in the text (SQLite's "?" are positional).
    const values: Array<Date | string> = [];
    const slot = (at: Date) => {
      values.push(sqlDate(p, at));
      return param(p, values.length);
    };
    // The period index: the first inner boundary the entry is before, else the last period.
    const cases = bounds
      .slice(1, -1)
      .map((bound, i) => `WHEN "createdAt" < ${slot(bound)} THEN ${i}`)
      .join(' ');
    const period = cases ? `CASE ${cases} ELSE ${bounds.length - 2} END` : '0';
    const first = slot(bounds[0] ?? new Date(0));
    const last = slot(bounds.at(-1) ?? new Date(0));
    const rows = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${period} AS "period",
              SUM(CASE WHEN "amount" > 0 THEN "amount" ELSE 0 END) AS "issued",
              SUM(CASE WHEN "kind" = 'redeem' THEN -"amount" ELSE 0 END) AS "redeemed",
              SUM(CASE WHEN "kind" = 'expire' THEN -"amount" ELSE 0 END) AS "expired",
              SUM(CASE WHEN "amount" < 0 AND "kind" NOT IN ('redeem', 'expire') THEN -"amount" ELSE 0 END) AS "deducted"
       FROM "PointsEntry"
       WHERE "createdAt" >= ${first} AND "createdAt" < ${last}
       GROUP BY 1 ORDER BY 1`,
      ...values,
    );
    return rows.map((r) => ({
      period: num(r.period),
      issued: num(r.issued),
      redeemed: num(r.redeemed),
      expired: num(r.expired),
      deducted: num(r.deducted),
    }));
  }

  /** Members and the points they hold, per tier. */
  async tiers(): Promise<Array<{ tier: Tier; members: number; points: number }>> {
    const groups = await this.db.customer.groupBy({
      by: ['tier'],
      where: members,
      _count: { _all: true },
      _sum: { pointsBalance: true },
    });
    return groups.map((g) => ({ tier: Tier.parse(g.tier), members: g._count._all, points: g._sum.pointsBalance ?? 0 }));
  }

  /**
   * How many members hold a balance in each band: `edges` ascending lower bounds (the first 0),
   * band i = [edges[i], edges[i + 1]); negative balances count in the first band.
   */
  async balanceBands(edges: number[]): Promise<number[]> {
    const cases = edges
      .slice(1)
      .map((edge, i) => `WHEN "pointsBalance" < ${Math.trunc(edge)} THEN ${i}`)
      .join(' ');
    const band = cases ? `CASE ${cases} ELSE ${edges.length - 1} END` : '0';
    const rows = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${band} AS "band", COUNT(*) AS "n" FROM "Customer"
       WHERE "mergedIntoId" IS NULL AND "erasedAt" IS NULL GROUP BY 1`,
    );
    const counts = edges.map(() => 0);
    for (const r of rows) counts[num(r.band)] = num(r.n);
    return counts;
  }

  /** The rewards redeemed most in [from, to): completed redemptions and the points spent on them. */
  async topRewards(from: Date, to: Date, take: number) {
    const groups = await this.db.redemption.groupBy({
      by: ['rewardId'],
      where: { status: 'completed', createdAt: { gte: from, lt: to } },
      _count: { _all: true },
      _sum: { points: true },
      orderBy: [{ _count: { rewardId: 'desc' } }, { rewardId: 'asc' }],
      take,
    });
    const rewards = await this.db.reward.findMany({
      where: { id: { in: groups.map((g) => g.rewardId) } },
      select: { id: true, name: true, nameEn: true, active: true },
    });
    const byId = new Map(rewards.map((r) => [r.id, r]));
    return groups.map((g) => {
      const reward = byId.get(g.rewardId);
      return {
        rewardId: g.rewardId,
        name: reward?.name ?? '',
        nameEn: reward?.nameEn ?? null,
        active: reward?.active ?? false,
        redemptions: g._count._all,
        points: g._sum.points ?? 0,
      };
    });
  }
}
