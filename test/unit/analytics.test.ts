import { describe, expect, it } from 'vitest';
import { AnalyticsSettings, churnOf, lifecycleOf, quintiles, rfmSegmentOf, score } from '../../src/crm/analytics.ts';
import type { CustomerFacts } from '../../src/db/repositories/analytics.ts';

const DAY = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');
const settings = AnalyticsSettings.parse({});

function facts(
  id: number,
  orders: number,
  spent: number,
  lastDaysAgo: number | null,
  firstDaysAgo = lastDaysAgo,
): CustomerFacts {
  const at = (d: number | null) => (d === null ? null : now.getTime() - d * DAY);
  return {
    id,
    createdAt: now.getTime() - 400 * DAY,
    lastSeenAt: now.getTime(),
    orders,
    spent,
    firstOrderAt: at(firstDaysAgo),
    lastOrderAt: at(lastDaysAgo),
    lowCsat: 0,
    complaints: 0,
    wecomLost: 0,
    current: {
      stage: 'prospect',
      tier: 'normal',
      rfm: '',
      segment: null,
      ltv: null,
      risk: null,
      totalSpent: 0,
      orderCount: 0,
    },
  };
}

describe('customer analytics', () => {
  it('scores quintiles by rank; equal values share a score; recency lower is better', () => {
    const f = quintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => f.get(v))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const r = quintiles([5, 5, 400, 400, 30], false);
    expect(r.get(5)).toBe(4);
    expect(r.get(400)).toBe(1);
  });

  it('maps R/F/M highs and lows to the eight classic segments', () => {
    expect(rfmSegmentOf(5, 5, 5)).toBe('important_value');
    expect(rfmSegmentOf(1, 5, 5)).toBe('important_retain');
    expect(rfmSegmentOf(5, 1, 5)).toBe('important_develop');
    expect(rfmSegmentOf(2, 2, 4)).toBe('important_winback');
    expect(rfmSegmentOf(3, 3, 2)).toBe('general_value');
    expect(rfmSegmentOf(1, 1, 1)).toBe('general_winback');
  });

  it('places customers in lifecycle stages by the configured thresholds', () => {
    const l = settings.lifecycle;
    expect(lifecycleOf(facts(1, 0, 0, null), now.getTime(), l)).toBe('prospect');
    expect(lifecycleOf(facts(1, 1, 100, 10), now.getTime(), l)).toBe('new');
    expect(lifecycleOf(facts(1, 3, 100, 10, 200), now.getTime(), l)).toBe('active');
    expect(lifecycleOf(facts(1, 3, 100, 120, 300), now.getTime(), l)).toBe('dormant');
    expect(lifecycleOf(facts(1, 3, 100, 400, 600), now.getTime(), l)).toBe('churned');
    expect(lifecycleOf(facts(1, 3, 100, 120, 300), now.getTime(), { ...l, activeDays: 150 })).toBe('active');
  });

  it('explains churn risk with reasons, relative to the customer’s own rhythm', () => {
    const weekly = churnOf(facts(1, 20, 1000, 60, 200), now.getTime(), settings.lifecycle);
    const yearly = churnOf(facts(2, 3, 1000, 60, 790), now.getTime(), settings.lifecycle);
    expect(weekly?.risk).toBeGreaterThan(yearly?.risk ?? 1);
    expect(weekly?.reasons.map((r) => r.code)).toContain('overdue');
    const unhappy = churnOf(
      { ...facts(3, 2, 1000, 5, 50), lowCsat: 1, complaints: 1 },
      now.getTime(),
      settings.lifecycle,
    );
    expect(unhappy?.reasons.map((r) => r.code)).toEqual(['low_csat', 'complaint']);
    expect(churnOf(facts(4, 0, 0, null), now.getTime(), settings.lifecycle)).toBeNull();
  });

  it('scores a population: prospects get no RFM, VIP tiers only when the shop opts in', () => {
    const people = [facts(1, 0, 0, null), facts(2, 10, 3_000_000, 2, 300), facts(3, 1, 5_000, 300)];
    const plain = score(people, now, settings);
    expect(plain.map((s) => s.rfmSegment)).toEqual([null, 'important_value', 'general_winback']);
    expect(plain.map((s) => s.tier)).toEqual(['normal', 'normal', 'normal']);
    expect(plain[1]?.lifetimeValue).toBeGreaterThan(3_000_000);
    const vip = score(people, now, AnalyticsSettings.parse({ vip: { enabled: true } }));
    expect(vip.map((s) => s.tier)).toEqual(['normal', 'diamond', 'normal']);
    expect(vip[1]?.tierChanged).toBe(true);
  });
});
