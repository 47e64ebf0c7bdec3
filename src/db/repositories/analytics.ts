// The analytics hot path: one aggregate pass over orders, one bulk write of changed scores.
// Raw SQL because 100,000 customers and 1,000,000 orders must be recomputed in seconds.
import { LifecycleStage, Tier } from '../../domain/customer.ts';
import { uncountedOrderStatuses } from '../../domain/orders.ts';
import { RfmSegment } from '../../domain/segment-rules.ts';
import type { PrismaTx } from '../client.ts';
import type { JsonValue } from '../types.ts';
import { literal, ms, num, type Provider, sqlDate } from './raw.ts';

export interface CustomerFacts {
  id: number;
  createdAt: number;
  lastSeenAt: number | null;
  orders: number;
  spent: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  lowCsat: number;
  complaints: number;
  /** WeCom 客户联系 relations lost (deleted on either side) while none is live. */
  wecomLost: number;
  current: {
    stage: LifecycleStage;
    tier: Tier;
    rfm: string;
    segment: RfmSegment | null;
    ltv: number | null;
    risk: number | null;
    totalSpent: number;
    orderCount: number;
  };
}

export interface CustomerScores {
  id: number;
  totalSpent: number;
  orderCount: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  rfmRecency: number | null;
  rfmFrequency: number | null;
  rfmMonetary: number | null;
  rfmSegment: RfmSegment | null;
  lifecycleStage: LifecycleStage;
  lifetimeValue: number | null;
  churnRisk: number | null;
  churnReasons: JsonValue;
  tier: Tier;
  tierChanged: boolean;
}

const counted = `"status" NOT IN (${uncountedOrderStatuses.map((s) => literal(s)).join(', ')})`;

const OptionalRfmSegment = RfmSegment.nullable();

function aggregate(p: Provider, extra: string, scan = true): string {
  const hint = p !== 'sqlite' ? '' : scan ? 'NOT INDEXED' : 'INDEXED BY "Order_customerId_placedAt_idx"';
  return `SELECT "customerId", COUNT(*) AS "n", SUM("total" - "refundedAmount") AS "spent", MIN("placedAt") AS "firstAt", MAX("placedAt") AS "lastAt"
          FROM "Order" ${hint} WHERE ${counted} ${extra} GROUP BY "customerId"`;
}

export class AnalyticsRepository {
  constructor(
    private readonly db: PrismaTx,
    private readonly provider: Provider,
  ) {}

  /**
   * Per-customer facts. Order aggregates come from the Customer row's cached totals (kept by the
   * order service) except for customers in `fresh`, which are re-aggregated from their orders;
   * `fresh === 'all'` re-aggregates every customer (first run, or a full rebuild on demand).
   */
  async facts(now: Date, fresh: number[] | 'all'): Promise<CustomerFacts[]> {
    const p = this.provider;
    const halfYearAgo = sqlDate(p, new Date(now.getTime() - 180 * 86_400_000));
    const ph = (n: number) => (p === 'sqlite' ? '?' : `$${n}`);
    // NOT INDEXED: SQLite would otherwise walk the (customerId, placedAt) index and fetch every order
    // row at random; one sequential scan plus a sort is several times faster over a million orders.
    const full = fresh === 'all';
    const rows = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT c."id", c."createdAt", c."lastSeenAt", c."lifecycleStage", c."tier", c."rfmRecency", c."rfmFrequency", c."rfmMonetary",
              c."rfmSegment", c."lifetimeValue", c."churnRisk", c."totalSpent", c."orderCount", c."firstOrderAt", c."lastOrderAt",
              ${full ? 'o."n", o."spent", o."firstAt", o."lastAt"' : 'NULL AS "n"'}, s."low", k."complaints", w."wecomLost"
       FROM "Customer" c
       ${full ? `LEFT JOIN (${aggregate(p, '')}) o ON o."customerId" = c."id"` : ''}
       LEFT JOIN (SELECT "customerId", COUNT(*) AS "low" FROM "SurveyResponse"
                  WHERE "csat" IS NOT NULL AND "csat" <= 2 AND "completedAt" >= ${ph(1)} GROUP BY "customerId") s ON s."customerId" = c."id"
       LEFT JOIN (SELECT "customerId", COUNT(*) AS "complaints" FROM "Case"
                  WHERE "type" = 'complaint' AND "createdAt" >= ${ph(2)} GROUP BY "customerId") k ON k."customerId" = c."id"
       LEFT JOIN (SELECT "customerId", COUNT(*) AS "wecomLost" FROM "WecomContact" l WHERE "status" = 'lost' AND NOT EXISTS
                  (SELECT 1 FROM "WecomContact" a WHERE a."customerId" = l."customerId" AND a."status" = 'active')
                  GROUP BY "customerId") w ON w."customerId" = c."id"
       WHERE c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL`,
      halfYearAgo,
      halfYearAgo,
    );
    const fresher = new Map<number, Record<string, unknown>>();
    if (!full) {
      for (let i = 0; i < fresh.length; i += 1000) {
        const ids = fresh.slice(i, i + 1000).map((id) => Math.trunc(id));
        const part = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
          aggregate(p, `AND "customerId" IN (${ids.join(',')})`, false),
        );
        for (const row of part) fresher.set(num(row.customerId), row);
        for (const id of ids) if (!fresher.has(id)) fresher.set(id, { n: 0, spent: 0, firstAt: null, lastAt: null });
      }
    }
    return rows.map((r) => {
      const id = num(r.id);
      const agg = full ? r : fresher.get(id);
      return {
        id,
        createdAt: ms(r.createdAt) ?? now.getTime(),
        lastSeenAt: ms(r.lastSeenAt),
        orders: agg ? num(agg.n) : num(r.orderCount),
        spent: agg ? num(agg.spent) : num(r.totalSpent),
        firstOrderAt: agg ? ms(agg.firstAt) : ms(r.firstOrderAt),
        lastOrderAt: agg ? ms(agg.lastAt) : ms(r.lastOrderAt),
        lowCsat: num(r.low),
        complaints: num(r.complaints),
        wecomLost: num(r.wecomLost),
        current: {
          stage: LifecycleStage.parse(r.lifecycleStage),
          tier: Tier.parse(r.tier),
          rfm: `${r.rfmRecency ?? ''}${r.rfmFrequency ?? ''}${r.rfmMonetary ?? ''}`,
          segment: OptionalRfmSegment.parse(r.rfmSegment),
          ltv: r.lifetimeValue === null ? null : num(r.lifetimeValue),
          risk: r.churnRisk === null ? null : num(r.churnRisk),
          totalSpent: num(r.totalSpent),
          orderCount: num(r.orderCount),
        },
      };
    });
  }

  /** Writes scores with one UPDATE … FROM (VALUES …) per chunk; `at` stamps analyticsAt. */
  async writeScores(rows: CustomerScores[], at: Date): Promise<void> {
    const p = this.provider;
    const date = (value: number | null) =>
      value === null ? 'NULL' : literal(new Date(value).toISOString().replace('Z', '+00:00'));
    const stamp = date(at.getTime());
    const chunk = 1000;
    for (let i = 0; i < rows.length; i += chunk) {
      const values = rows
        .slice(i, i + chunk)
        .map((r) =>
          [
            r.id,
            r.totalSpent,
            r.orderCount,
            date(r.firstOrderAt),
            date(r.lastOrderAt),
            literal(r.rfmRecency),
            literal(r.rfmFrequency),
            literal(r.rfmMonetary),
            literal(r.rfmSegment),
            literal(r.lifecycleStage),
            literal(r.lifetimeValue),
            literal(r.churnRisk),
            literal(r.churnReasons === null ? null : JSON.stringify(r.churnReasons)),
            literal(r.tier),
            r.tierChanged ? 1 : 0,
          ].join(', '),
        )
        .map((v) => `(${v})`)
        .join(',');
      const ts = p === 'sqlite' ? (c: string) => c : (c: string) => `CAST(${c} AS TIMESTAMP(3))`;
      const int = (c: string) => `CAST(${c} AS INTEGER)`;
      const json = p === 'sqlite' ? (c: string) => c : (c: string) => `CAST(${c} AS JSONB)`;
      const real = p === 'sqlite' ? (c: string) => c : (c: string) => `CAST(${c} AS DOUBLE PRECISION)`;
      const txt = p === 'sqlite' ? (c: string) => c : (c: string) => `CAST(${c} AS TEXT)`;
      await this.db.$executeRawUnsafe(
        `UPDATE "Customer" SET
           "totalSpent" = ${int('v.column2')}, "orderCount" = ${int('v.column3')},
           "firstOrderAt" = ${ts('v.column4')}, "lastOrderAt" = ${ts('v.column5')},
           "rfmRecency" = ${int('v.column6')}, "rfmFrequency" = ${int('v.column7')}, "rfmMonetary" = ${int('v.column8')},
           "rfmSegment" = ${txt('v.column9')}, "lifecycleStage" = ${txt('v.column10')}, "lifetimeValue" = ${int('v.column11')},
           "churnRisk" = ${real('v.column12')}, "churnReasons" = ${json('v.column13')}, "tier" = ${txt('v.column14')},
           "tierSince" = CASE WHEN v.column15 = 1 THEN ${ts(stamp)} ELSE "Customer"."tierSince" END,
           "analyticsAt" = ${ts(stamp)}
         FROM (VALUES ${values}) AS v
         WHERE "Customer"."id" = v.column1`,
      );
    }
  }

  /** Customers per lifecycle stage and RFM segment, revenue per segment. */
  async summary() {
    const stages = await this.db.customer.groupBy({
      by: ['lifecycleStage'],
      where: { mergedIntoId: null, erasedAt: null },
      _count: { _all: true },
    });
    const segments = await this.db.customer.groupBy({
      by: ['rfmSegment'],
      where: { mergedIntoId: null, erasedAt: null },
      _count: { _all: true },
      _sum: { totalSpent: true },
    });
    const tiers = await this.db.customer.groupBy({
      by: ['tier'],
      where: { mergedIntoId: null, erasedAt: null },
      _count: { _all: true },
    });
    return {
      stages: stages.map((s) => ({ stage: s.lifecycleStage, customers: s._count._all })),
      segments: segments.map((s) => ({
        segment: s.rfmSegment,
        customers: s._count._all,
        revenue: s._sum.totalSpent ?? 0,
      })),
      tiers: tiers.map((s) => ({ tier: s.tier, customers: s._count._all })),
    };
  }

  /** Repeat-purchase rate per first-order month: of customers who first bought that month, how many bought again. */
  async cohorts(since: Date) {
    const p = this.provider;
    const month = p === 'sqlite' ? `substr("firstOrderAt", 1, 7)` : `to_char("firstOrderAt", 'YYYY-MM')`;
    const rows = await this.db.$queryRawUnsafe<{ cohort: string; customers: unknown; repeaters: unknown }[]>(
      `SELECT ${month} AS "cohort", COUNT(*) AS "customers", SUM(CASE WHEN "orderCount" >= 2 THEN 1 ELSE 0 END) AS "repeaters"
       FROM "Customer" WHERE "firstOrderAt" IS NOT NULL AND "firstOrderAt" >= ${p === 'sqlite' ? '?' : '$1'} AND "mergedIntoId" IS NULL
       GROUP BY 1 ORDER BY 1`,
      sqlDate(p, since),
    );
    return rows.map((r) => {
      const customers = num(r.customers);
      const repeaters = num(r.repeaters);
      return { cohort: r.cohort, customers, repeaters, rate: customers ? repeaters / customers : 0 };
    });
  }

  churnRiskList(take: number, minRisk: number) {
    return this.db.customer.findMany({
      where: { mergedIntoId: null, erasedAt: null, churnRisk: { gte: minRisk } },
      orderBy: [{ churnRisk: 'desc' }, { totalSpent: 'desc' }],
      take,
      select: {
        id: true,
        name: true,
        tier: true,
        lifecycleStage: true,
        rfmSegment: true,
        totalSpent: true,
        orderCount: true,
        lastOrderAt: true,
        churnRisk: true,
        churnReasons: true,
        marketingOptIn: true,
      },
    });
  }
}
