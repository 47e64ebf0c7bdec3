import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { DAY } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('analytics API', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider, env: { CAMPAIGN_TICK_MS: '0' } });
    const now = t.clock.now().getTime();
    // a-1: loyal and recent; a-2: bought twice long ago (dormant, at risk); a-3: never bought.
    const orders: [string, string, number, number][] = [
      ['a-1', 'O1', 30, 50000],
      ['a-1', 'O2', 5, 60000],
      ['a-2', 'O3', 200, 20000],
      ['a-2', 'O4', 170, 20000],
    ];
    for (const v of ['a-1', 'a-2', 'a-3']) await t.say(v, 'hi', { name: v });
    for (const [v, no, daysAgo, total] of orders) {
      await t.admin('POST', '/api/orders', {
        orderNo: no,
        customer: { channel: 'webchat', externalId: v },
        items: [{ sku: 'S', name: 'S', qty: 1, price: total }],
        total,
        status: 'completed',
        placedAt: new Date(now - daysAgo * DAY).toISOString(),
      });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('recomputes on demand, then only rewrites what changed', async () => {
    const first = await t.admin('POST', '/api/analytics/recompute', {});
    // The prospect's row already says "prospect" with no scores: nothing to write for it.
    expect(first.body).toMatchObject({ customers: 3, changed: 2 });
    const again = await t.admin('POST', '/api/analytics/recompute', {});
    expect(again.body).toMatchObject({ customers: 3, changed: 0 });
    // A recompute someone asked for is audited with who asked; the nightly job's is not.
    await t.app.jobs.analytics.runOnce(t.clock.now());
    const audited = await t.app.store.repos.audit.recent(10, 'analytics.recompute');
    expect(audited.map((a) => [a.actorType, a.details])).toEqual([
      ['admin', expect.objectContaining({ customers: 3, changed: 0 })],
      ['admin', expect.objectContaining({ customers: 3, changed: 2 })],
    ]);
    const summary = z
      .object({
        stages: z.array(z.object({ stage: z.string(), customers: z.number() })),
        cohorts: z.array(z.object({ cohort: z.string(), customers: z.number(), repeaters: z.number() })),
      })
      .parse((await t.admin('GET', '/api/analytics/summary')).body);
    expect(Object.fromEntries(summary.stages.map((s) => [s.stage, s.customers]))).toEqual({
      active: 1,
      dormant: 1,
      prospect: 1,
    });
    expect(summary.cohorts.reduce((n, c) => n + c.repeaters, 0)).toBe(2);
  });

  it('lists churn risks with reasons and turns a selection into a win-back campaign', async () => {
    const list = z
      .object({ customers: z.array(z.object({ id: z.number(), name: z.string(), churnReasons: z.unknown() })) })
      .parse((await t.admin('GET', '/api/analytics/churn-risk?minRisk=0.5')).body);
    expect(list.customers.map((c) => c.name)).toEqual(['a-2']);
    expect(JSON.stringify(list.customers[0]?.churnReasons)).toContain('overdue');
    const campaign = await t.admin('POST', '/api/analytics/win-back', {
      customerIds: [list.customers[0]?.id],
      text: '{name}，好久不见',
      channels: ['webchat'],
    });
    expect(campaign.status).toBe(201);
    await t.app.services.campaignRunner.tick();
    await t.app.sender.drainChannel('webchat');
    const rows = await t.app.store.repos.outbox.forChat('webchat', 'a-2', 0, 50);
    expect(rows.filter((r) => r.purpose === 'campaign').map((r) => r.text)).toEqual(['a-2，好久不见']);
  });
});
