// 客户分析: RFM scores and segments, lifecycle stage, lifetime value, churn risk with reasons, VIP tier.
// Scores are computed in memory from one aggregate query (fast: no per-customer queries) and only
// customers whose results changed are written back.
import { z } from 'zod';
import type { CustomerFacts, CustomerScores } from '../db/repositories/analytics.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChurnReasonCode, LifecycleStage } from '../domain/customer.ts';
import type { RfmSegment } from '../domain/segment-rules.ts';
import { audit, saveSetting } from './audit.ts';
import type { ServiceDeps } from './context.ts';

const DAY = 86_400_000;
const ascending = (min: number) => z.array(z.number().min(min)).length(4);

export const AnalyticsSettings = z
  .object({
    rfm: z
      .object({
        /** quintile: scores 1–5 by rank among buyers; thresholds: the shop's own cut points. */
        mode: z.enum(['quintile', 'thresholds']).default('quintile'),
        /** Days since last order for scores 5,4,3,2 (beyond the last: 1). */
        recencyDays: ascending(1).default([30, 60, 120, 240]),
        /** Orders needed for scores 2,3,4,5. */
        frequency: ascending(1).default([2, 3, 5, 8]),
        /** Spend (fen) needed for scores 2,3,4,5. */
        monetary: ascending(0).default([20_000, 50_000, 100_000, 300_000]),
      })
      .prefault({}),
    lifecycle: z
      .object({
        /** A first-time buyer stays 新客 this many days after the first order. */
        newDays: z.number().int().min(1).default(30),
        /** 活跃: ordered within this many days. */
        activeDays: z.number().int().min(1).default(90),
        /** 沉睡 until this many days without an order; beyond: 流失. */
        dormantDays: z.number().int().min(1).default(180),
      })
      .prefault({}),
    clv: z.object({ horizonYears: z.number().min(0.25).max(10).default(2) }).prefault({}),
    vip: z
      .object({
        /** Off by default: tiers may be owned by the loyalty programme; a shop opts in to spend-based grading. */
        enabled: z.boolean().default(false),
        /** Lifetime spend (fen, net of refunds) for silver, gold, diamond. */
        thresholds: z.array(z.number().min(0)).length(3).default([100_000, 500_000, 2_000_000]),
      })
      .prefault({}),
  })
  .prefault({});
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;

export const SETTINGS_KEY = 'analytics.settings';
const FULL_DONE_KEY = 'analytics.fullRebuildDone';

export const rfmSegmentLabels: Record<RfmSegment, { zh: string; en: string }> = {
  important_value: { zh: '重要价值客户', en: 'Champions' },
  important_retain: { zh: '重要保持客户', en: 'Loyal, slipping' },
  important_develop: { zh: '重要发展客户', en: 'Big new spenders' },
  important_winback: { zh: '重要挽留客户', en: 'Big spenders at risk' },
  general_value: { zh: '一般价值客户', en: 'Frequent small buyers' },
  general_retain: { zh: '一般保持客户', en: 'Frequent, slipping' },
  general_develop: { zh: '一般发展客户', en: 'Recent small buyers' },
  general_winback: { zh: '一般挽留客户', en: 'Lapsed small buyers' },
};

export interface ChurnReason {
  code: ChurnReasonCode;
  detail: string;
}

/** Scores 1–5 by rank: equal values share a score; `higherIsBetter` false for recency. */
export function quintiles(values: number[], higherIsBetter: boolean): Map<number, number> {
  const sorted = [...values].sort((a, b) => (higherIsBetter ? a - b : b - a));
  const scores = new Map<number, number>();
  const n = sorted.length;
  for (let i = 0; i < n; i++) {
    const value = sorted[i] ?? 0;
    if (!scores.has(value)) scores.set(value, Math.min(5, Math.floor((i * 5) / n) + 1));
  }
  return scores;
}

function byThreshold(value: number, cuts: number[]): number {
  let score = 1;
  for (const cut of cuts) if (value >= cut) score++;
  return score;
}

export function rfmSegmentOf(r: number, f: number, m: number): RfmSegment {
  const hi = (s: number) => s >= 3;
  const key = `${hi(r) ? 'R' : 'r'}${hi(f) ? 'F' : 'f'}${hi(m) ? 'M' : 'm'}`;
  const table: Record<string, RfmSegment> = {
    RFM: 'important_value',
    rFM: 'important_retain',
    RfM: 'important_develop',
    rfM: 'important_winback',
    RFm: 'general_value',
    rFm: 'general_retain',
    Rfm: 'general_develop',
    rfm: 'general_winback',
  };
  return table[key] ?? 'general_winback';
}

export function lifecycleOf(facts: CustomerFacts, now: number, s: AnalyticsSettings['lifecycle']): LifecycleStage {
  if (facts.orders === 0 || facts.lastOrderAt === null) return 'prospect';
  const sinceLast = (now - facts.lastOrderAt) / DAY;
  if (facts.orders === 1 && facts.firstOrderAt !== null && (now - facts.firstOrderAt) / DAY <= s.newDays) return 'new';
  if (sinceLast <= s.activeDays) return 'active';
  if (sinceLast <= s.dormantDays) return 'dormant';
  return 'churned';
}

export function churnOf(facts: CustomerFacts, now: number, s: AnalyticsSettings['lifecycle']) {
  if (facts.orders === 0 || facts.lastOrderAt === null || facts.firstOrderAt === null) return null;
  const reasons: ChurnReason[] = [];
  const sinceLast = (now - facts.lastOrderAt) / DAY;
  // The customer's own rhythm: a weekly buyer silent for a month is more at risk than a yearly one.
  const usualGap =
    facts.orders > 1 ? (facts.lastOrderAt - facts.firstOrderAt) / DAY / (facts.orders - 1) : s.activeDays;
  const expected = Math.max(usualGap, 14);
  let risk = 1 - Math.exp(-sinceLast / (2 * expected));
  if (sinceLast > 2 * expected)
    reasons.push({
      code: 'overdue',
      detail: `${Math.round(sinceLast)}d since last order, usual gap ${Math.round(usualGap)}d`,
    });
  if (sinceLast > s.dormantDays) reasons.push({ code: 'lapsed', detail: `no order for ${Math.round(sinceLast)}d` });
  if (facts.orders === 1 && sinceLast > s.newDays) {
    risk += 0.1;
    reasons.push({ code: 'single_purchase', detail: 'bought once, never came back' });
  }
  if (facts.lastSeenAt !== null && (now - facts.lastSeenAt) / DAY > 60) {
    risk += 0.05;
    reasons.push({ code: 'silent', detail: `no message for ${Math.round((now - facts.lastSeenAt) / DAY)}d` });
  }
  if (facts.lowCsat > 0) {
    risk += 0.15;
    reasons.push({ code: 'low_csat', detail: `${facts.lowCsat} low satisfaction score(s) in 180d` });
  }
  if (facts.wecomLost > 0) {
    risk += 0.2;
    reasons.push({ code: 'wecom_lost', detail: 'no longer a WeCom contact of the shop' });
  }
  if (facts.complaints > 0) {
    risk += 0.15;
    reasons.push({ code: 'complaint', detail: `${facts.complaints} complaint(s) in 180d` });
  }
  return { risk: Math.round(Math.min(1, risk) * 1000) / 1000, reasons };
}

export function score(all: CustomerFacts[], now: Date, settings: AnalyticsSettings): CustomerScores[] {
  const t = now.getTime();
  const buyers = all.filter((f) => f.orders > 0 && f.lastOrderAt !== null);
  const recencyDays = (f: CustomerFacts) => Math.floor((t - (f.lastOrderAt ?? t)) / DAY);
  const quint = settings.rfm.mode === 'quintile';
  const rQ = quint ? quintiles(buyers.map(recencyDays), false) : null;
  const fQ = quint
    ? quintiles(
        buyers.map((f) => f.orders),
        true,
      )
    : null;
  const mQ = quint
    ? quintiles(
        buyers.map((f) => f.spent),
        true,
      )
    : null;
  const [silver = 0, gold = 0, diamond = 0] = settings.vip.thresholds;
  return all.map((f) => {
    const stage = lifecycleOf(f, t, settings.lifecycle);
    const churn = churnOf(f, t, settings.lifecycle);
    let r: number | null = null;
    let fr: number | null = null;
    let m: number | null = null;
    if (f.orders > 0) {
      const days = recencyDays(f);
      r = rQ ? (rQ.get(days) ?? 1) : 5 - settings.rfm.recencyDays.filter((d) => days > d).length;
      fr = fQ ? (fQ.get(f.orders) ?? 1) : byThreshold(f.orders, settings.rfm.frequency);
      m = mQ ? (mQ.get(f.spent) ?? 1) : byThreshold(f.spent, settings.rfm.monetary);
    }
    let ltv: number | null = null;
    if (f.orders > 0 && f.firstOrderAt !== null) {
      const tenureYears = Math.max((t - f.firstOrderAt) / (365 * DAY), 0.25);
      const yearlyValue = f.spent / tenureYears;
      ltv = Math.round(f.spent + yearlyValue * settings.clv.horizonYears * (1 - (churn?.risk ?? 0)));
    }
    let tier = f.current.tier;
    if (settings.vip.enabled) {
      const y = f.spent;
      tier = y >= diamond ? 'diamond' : y >= gold ? 'gold' : y >= silver ? 'silver' : 'normal';
    }
    return {
      id: f.id,
      totalSpent: f.spent,
      orderCount: f.orders,
      firstOrderAt: f.firstOrderAt,
      lastOrderAt: f.lastOrderAt,
      rfmRecency: r,
      rfmFrequency: fr,
      rfmMonetary: m,
      rfmSegment: r !== null && fr !== null && m !== null ? rfmSegmentOf(r, fr, m) : null,
      lifecycleStage: stage,
      lifetimeValue: ltv,
      churnRisk: churn?.risk ?? null,
      churnReasons: churn ? churn.reasons.map((x) => ({ code: x.code, detail: x.detail })) : null,
      tier,
      tierChanged: tier !== f.current.tier,
    };
  });
}

function changed(f: CustomerFacts, s: CustomerScores): boolean {
  const c = f.current;
  return (
    c.stage !== s.lifecycleStage ||
    c.tier !== s.tier ||
    c.rfm !== `${s.rfmRecency ?? ''}${s.rfmFrequency ?? ''}${s.rfmMonetary ?? ''}` ||
    c.segment !== s.rfmSegment ||
    c.ltv !== s.lifetimeValue ||
    c.risk !== s.churnRisk ||
    c.totalSpent !== s.totalSpent ||
    c.orderCount !== s.orderCount
  );
}

export class AnalyticsService {
  constructor(private readonly deps: ServiceDeps) {}

  async settings(): Promise<AnalyticsSettings> {
    const raw = await this.deps.store.repos.settings.get(SETTINGS_KEY);
    const parsed = AnalyticsSettings.safeParse(raw ?? {});
    return parsed.success ? parsed.data : AnalyticsSettings.parse({});
  }

  async saveSettings(input: unknown, actor: Actor): Promise<AnalyticsSettings> {
    const settings = AnalyticsSettings.parse(input);
    await saveSetting(this.deps, actor, 'analytics.settings', SETTINGS_KEY, settings);
    return settings;
  }

  /**
   * Recomputes every customer's scores and writes only those that changed. Order totals come from
   * the Customer row, which the order service keeps current on every order change (refreshTotals);
   * `full` re-aggregates every order instead (first run, repairs, imports that bypassed the service).
   * A run someone asked for (`actor`) is audited; the nightly job's runs are recorded as JobRuns.
   */
  async recompute(options: { full?: boolean; actor?: Actor } = {}): Promise<{
    customers: number;
    reaggregated: number | 'all';
    changed: number;
    ms: number;
    phases: Record<string, number>;
  }> {
    const started = Date.now();
    const now = this.deps.clock.now();
    const settings = await this.settings();
    return this.deps.store.transaction(async (repos) => {
      const phases: Record<string, number> = {};
      let mark = Date.now();
      const lap = (name: string) => {
        phases[name] = Date.now() - mark;
        mark = Date.now();
      };
      const done = await repos.settings.get(FULL_DONE_KEY);
      const fresh = options.full || done !== true ? ('all' as const) : [];
      const facts = await repos.analytics.facts(now, fresh);
      lap('read');
      const scores = score(facts, now, settings);
      const dirty = scores.filter((s, i) => {
        const f = facts[i];
        return f !== undefined && changed(f, s);
      });
      lap('score');
      await repos.analytics.writeScores(dirty, now);
      lap('write');
      if (fresh === 'all') await repos.settings.set(FULL_DONE_KEY, true);
      const result = {
        customers: facts.length,
        reaggregated: fresh === 'all' ? fresh : fresh.length,
        changed: dirty.length,
        ms: Date.now() - started,
        phases,
      };
      if (options.actor) {
        await audit(repos, now, {
          actor: options.actor,
          action: 'analytics.recompute',
          entity: 'analytics',
          details: { ...result },
        });
      }
      return result;
    });
  }

  async dashboard() {
    const repos = this.deps.store.repos;
    const now = this.deps.clock.now();
    return {
      ...(await repos.analytics.summary()),
      cohorts: await repos.analytics.cohorts(new Date(now.getTime() - 365 * DAY)),
      labels: rfmSegmentLabels,
    };
  }

  churnRisk(take = 50, minRisk = 0.5) {
    return this.deps.store.repos.analytics.churnRiskList(take, minRisk);
  }
}
