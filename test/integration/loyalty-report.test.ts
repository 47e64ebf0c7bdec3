// The loyalty report through the admin API on SQLite and PostgreSQL: points issued, redeemed and taken
// back per week on the shop's clock (an entry at 00:30 Monday in Shanghai is Sunday in UTC and still
// counts in the new week), members and points per tier, balance bands, the rewards redeemed most
// (redeemed by customers in the chat), bad ranges refused with 400, agents refused with 403.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('loyalty report', (provider) => {
  let t: TestApp;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp({ provider, env: { JOBS_ENABLED: 'false', TIER_THRESHOLDS: '500,5000,20000' } });
    t.clock.set('2026-02-24T04:00:00Z');
    for (const visitor of ['lr-a', 'lr-b', 'lr-c']) {
      await t.say(visitor, '/start');
      const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
      ids.set(visitor, identity?.customerId ?? 0);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const id = (visitor: string) => ids.get(visitor) ?? 0;
  async function adjust(visitor: string, amount: number) {
    const res = await t.admin('POST', `/api/customers/${id(visitor)}/points/adjust`, { amount, reason: '报表测试' });
    expect(res.status).toBe(201);
  }
  async function reward(name: string, cost: number) {
    const res = await t.admin('POST', '/api/rewards', { name, nameEn: `${name} (en)`, kind: 'gift', cost, stock: 10 });
    return z.object({ id: z.number() }).parse(res.body).id;
  }
  async function redeem(visitor: string, rewardId: number) {
    const ask = await t.press(visitor, `loyalty:redeem:${rewardId}`);
    const done = await t.press(visitor, ask.replies[0]?.buttons?.[0]?.data ?? '');
    expect(done.text).toContain('兑换成功');
  }

  it('adds up the weeks on the shop clock, tiers, balance bands and top rewards', async () => {
    t.clock.set('2026-03-01T15:30:00Z'); // Sunday 23:30 in Shanghai: the week of Monday 23 February
    await adjust('lr-a', 100);
    t.clock.set('2026-03-01T16:30:00Z'); // Monday 00:30 in Shanghai (still Sunday in UTC): the next week
    await adjust('lr-b', 200);
    const mug = await reward('保温杯', 50);
    const bag = await reward('帆布袋', 30);
    t.clock.set('2026-03-03T03:00:00Z');
    await redeem('lr-b', mug);
    await redeem('lr-b', mug);
    await redeem('lr-a', bag);
    await adjust('lr-a', -10);

    const res = await t.admin('GET', '/api/loyalty/report?from=2026-02-23&to=2026-03-08');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-02-23',
      to: '2026-03-08',
      timezone: 'Asia/Shanghai',
      weeks: [
        { week: '2026-02-23', issued: 100, redeemed: 0, expired: 0, deducted: 0 },
        { week: '2026-03-02', issued: 200, redeemed: 130, expired: 0, deducted: 10 },
      ],
      totals: { issued: 300, redeemed: 130, expired: 0, deducted: 10 },
      tiers: [
        { tier: 'normal', members: 3, points: 160 },
        { tier: 'silver', members: 0, points: 0 },
        { tier: 'gold', members: 0, points: 0 },
        { tier: 'diamond', members: 0, points: 0 },
      ],
      balances: [
        { min: 0, max: 0, members: 1 },
        { min: 1, max: 99, members: 1 },
        { min: 100, max: 499, members: 1 },
        { min: 500, max: 999, members: 0 },
        { min: 1000, max: 4999, members: 0 },
        { min: 5000, max: null, members: 0 },
      ],
      topRewards: [
        { rewardId: mug, name: '保温杯', nameEn: '保温杯 (en)', redemptions: 2, points: 100 },
        { rewardId: bag, name: '帆布袋', redemptions: 1, points: 30 },
      ],
    });

    // A range that starts midweek: its first week counts from that day on (Sunday 1 March only).
    const midweek = await t.admin('GET', '/api/loyalty/report?from=2026-03-01&to=2026-03-02');
    expect(midweek.body).toMatchObject({
      weeks: [
        { week: '2026-02-23', issued: 100 },
        { week: '2026-03-02', issued: 200, redeemed: 0 },
      ],
      topRewards: [],
    });
    // Without dates: the last 12 weeks up to today (Tuesday 3 March).
    const recent = z
      .object({ from: z.string(), to: z.string(), weeks: z.array(z.object({ week: z.string() })) })
      .parse((await t.admin('GET', '/api/loyalty/report')).body);
    expect(recent).toMatchObject({ from: '2025-12-15', to: '2026-03-03' });
    expect(recent.weeks).toHaveLength(12);
    expect(recent.weeks.at(-1)?.week).toBe('2026-03-02');
  });

  it('refuses bad ranges with a 400 and agents with a 403', async () => {
    for (const query of ['from=2026-03-08&to=2026-03-01', 'from=yesterday', 'from=2020-01-01&to=2026-03-01', 'x=1']) {
      const res = await t.admin('GET', `/api/loyalty/report?${query}`);
      expect(res.status, query).toBe(400);
      expect(z.object({ error: z.object({ message: z.string().min(3) }) }).safeParse(res.body).success).toBe(true);
    }
    await addStaff(t, 'lr-agent');
    const agent = await loginAs(t, 'lr-agent');
    expect((await agent('GET', '/api/loyalty/report')).status).toBe(403);
    expect((await agent('GET', '/api/surveys/report?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')).status).toBe(
      403,
    );
  });
});
