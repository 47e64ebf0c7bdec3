// The loyalty report (admin): points issued, redeemed, expired and taken back per week, members and
// points per tier, how balances are spread, and the rewards redeemed most. Weeks run Monday to Sunday
// on the shop's clock (SHOP_TIMEZONE); the days asked for are shop days too.
import { z } from 'zod';
import { tiers } from '../domain/customer.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { dayKey, instantOf } from '../kernel/hours.ts';
import type { ServiceDeps } from './context.ts';

export const LoyaltyReportQuery = z
  .object({
    /** First shop day of the report (YYYY-MM-DD); default: the Monday eleven weeks before `to`'s week. */
    from: z.iso.date().optional(),
    /** Last shop day of the report, included (YYYY-MM-DD); default: today. */
    to: z.iso.date().optional(),
  })
  .strict();
export type LoyaltyReportQuery = z.input<typeof LoyaltyReportQuery>;

/** Lower bounds of the balance bands the report counts members in. */
export const balanceBandEdges = [0, 1, 100, 500, 1000, 5000] as const;

const longestReportWeeks = 106;
const DAY = 86_400_000;

/** The shop-clock midnight that starts `day` (YYYY-MM-DD) plus `days` days. */
function midnight(day: string, timeZone: string, days = 0): Date {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return instantOf(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 },
    timeZone,
  );
}

/** The Monday (YYYY-MM-DD) of the week `day` is in. */
function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export class LoyaltyReportService {
  constructor(private readonly deps: ServiceDeps) {}

  async report(raw: LoyaltyReportQuery) {
    const query = LoyaltyReportQuery.parse(raw);
    const tz = this.deps.config.shop.timezone;
    const to = query.to ?? dayKey(this.deps.clock.now(), tz);
    const from =
      query.from ?? mondayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 11 * 7 * DAY).toISOString().slice(0, 10));
    if (from > to) throw new InvalidInputError('from: the first day comes after the last day (to)');
    const firstMonday = mondayOf(from);
    const weeks: string[] = [];
    for (let monday = firstMonday; monday <= to; ) {
      weeks.push(monday);
      if (weeks.length > longestReportWeeks) {
        throw new InvalidInputError(`from: a report covers at most ${longestReportWeeks} weeks`);
      }
      monday = new Date(Date.parse(`${monday}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
    }
    // Each week from its Monday's midnight; the first starts on `from` and the last ends after `to`.
    const start = midnight(from, tz);
    const end = midnight(to, tz, 1);
    const bounds = [start, ...weeks.slice(1).map((w) => midnight(w, tz)), end];
    const repo = this.deps.store.repos.loyaltyReport;
    const [moved, tierRows, bands, topRewards] = await Promise.all([
      repo.pointsMoved(bounds),
      repo.tiers(),
      repo.balanceBands([...balanceBandEdges]),
      repo.topRewards(start, end, 10),
    ]);
    const byWeek = new Map(moved.map((m) => [m.period, m]));
    const weekRows = weeks.map((week, i) => {
      const m = byWeek.get(i);
      return {
        week,
        issued: m?.issued ?? 0,
        redeemed: m?.redeemed ?? 0,
        expired: m?.expired ?? 0,
        deducted: m?.deducted ?? 0,
      };
    });
    const sum = (key: 'issued' | 'redeemed' | 'expired' | 'deducted') => weekRows.reduce((n, w) => n + w[key], 0);
    const byTier = new Map(tierRows.map((r) => [r.tier, r]));
    return {
      from,
      to,
      timezone: tz,
      weeks: weekRows,
      totals: { issued: sum('issued'), redeemed: sum('redeemed'), expired: sum('expired'), deducted: sum('deducted') },
      tiers: tiers.map((tier) => ({
        tier,
        members: byTier.get(tier)?.members ?? 0,
        points: byTier.get(tier)?.points ?? 0,
      })),
      balances: balanceBandEdges.map((min, i) => ({
        min,
        max: i + 1 < balanceBandEdges.length ? (balanceBandEdges[i + 1] ?? 0) - 1 : null,
        members: bands[i] ?? 0,
      })),
      topRewards,
    };
  }
}
