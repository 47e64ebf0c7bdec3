import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { SegmentRule } from '../../src/domain/segment-rules.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

// A generated shop where every fact follows from the customer's number i, so the right answer of
// each rule is known: the segment must match exactly those customers, no more, no fewer.
const N = 24;
const DAY = 86_400_000;
const tiers = ['normal', 'silver', 'gold', 'diamond'] as const;
const facts = Array.from({ length: N }, (_, k) => {
  const i = k + 1;
  return {
    i,
    tier: tiers[i % 4] ?? 'normal',
    optedOut: i % 5 === 0,
    club: i % 3 === 0,
    interestA: i % 6 === 0,
    boughtA: i % 2 === 0, // shoes, 3 days ago
    boughtB: i % 7 === 0, // bags, 100 days ago
    inGroup: i % 4 === 1,
  };
});
type Fact = (typeof facts)[number];

describeEachProvider('segments', (provider) => {
  let t: TestApp;
  const ids = new Map<number, number>();
  let groupId = 0;

  beforeAll(async () => {
    t = await createTestApp({ provider, env: { CAMPAIGN_TICK_MS: '0' } });
    const now = t.clock.now().getTime();
    await t.admin('PUT', '/api/products/SKU-A', { name: '跑鞋', price: 39900, stock: 5, category: 'shoes' });
    await t.admin('PUT', '/api/products/SKU-B', { name: '托特包', price: 29900, stock: 5, category: 'bags' });
    const services = t.app.services;
    const group = await t.app.store.repos.chats.ensure({ channel: 'webchat', externalId: 'g-1', kind: 'group' });
    groupId = group.id;
    const actor = { type: 'admin' } as const;
    for (const f of facts) {
      const v = `s-${f.i}`;
      await t.say(v, '你好', { name: `客户${f.i}` });
      const id = (await t.app.store.repos.customers.findIdentity('webchat', v))?.customerId ?? 0;
      ids.set(f.i, id);
      if (f.optedOut) await services.customers.setMarketingConsent(id, false, actor, 'webchat');
      if (f.club) await services.customers.addTag(id, 'vip-club', actor);
      if (f.interestA) await services.customers.addTag(id, 'interest:SKU-A', actor, 'interest');
      if (f.inGroup) await t.app.store.repos.chats.addMember(group.id, id);
      const order = (no: string, sku: string, daysAgo: number) =>
        t.admin('POST', '/api/orders', {
          orderNo: no,
          customer: { channel: 'webchat', externalId: v },
          items: [{ sku, name: sku, qty: 1, price: 10000 }],
          total: 10000,
          status: 'completed',
          placedAt: new Date(now - daysAgo * DAY).toISOString(),
        });
      if (f.boughtA) await order(`A-${f.i}`, 'SKU-A', 3);
      if (f.boughtB) await order(`B-${f.i}`, 'SKU-B', 100);
      // After the orders: completing an order re-grades the loyalty tier from points.
      await services.customers.update(id, { tier: f.tier }, actor);
    }
    await services.analytics.recompute();
  });
  afterAll(async () => {
    await t.close();
  });

  async function check(rules: SegmentRule, expected: (f: Fact) => boolean) {
    const res = await t.admin('POST', '/api/segments/preview', { rules, sample: 50 });
    expect(res.status).toBe(200);
    const body = z.object({ count: z.number(), sample: z.array(z.object({ id: z.number() })) }).parse(res.body);
    const want = facts
      .filter(expected)
      .map((f) => ids.get(f.i))
      .sort((a = 0, b = 0) => a - b);
    expect(body.sample.map((c) => c.id)).toEqual(want);
    expect(body.count).toBe(want.length);
  }

  it('matches profile facts: tier, consent, tags', async () => {
    await check({ type: 'tier', in: ['gold', 'diamond'] }, (f) => f.tier === 'gold' || f.tier === 'diamond');
    await check({ type: 'consent', optIn: false }, (f) => f.optedOut);
    await check(
      {
        type: 'and',
        rules: [
          { type: 'consent', optIn: true },
          { type: 'tag', tag: 'vip-club' },
        ],
      },
      (f) => !f.optedOut && f.club,
    );
    await check({ type: 'field', field: 'name', op: 'contains', value: '客户1' }, (f) => String(f.i).startsWith('1'));
  });

  it('matches order history: product, category, time windows, counts', async () => {
    await check({ type: 'bought', category: 'shoes' }, (f) => f.boughtA);
    await check({ type: 'bought', sku: 'SKU-B', withinDays: 30 }, () => false);
    await check({ type: 'bought', sku: 'SKU-B', withinDays: 200 }, (f) => f.boughtB);
    await check({ type: 'noOrderWithin', days: 30 }, (f) => !f.boughtA);
    await check({ type: 'number', field: 'orderCount', gte: 2 }, (f) => f.boughtA && f.boughtB);
    await check({ type: 'bought', category: 'no-such-category' }, () => false);
  });

  it('matches interest, group membership, channel and lifecycle; composes with or/not', async () => {
    await check({ type: 'interest', sku: 'SKU-A' }, (f) => f.interestA);
    await check({ type: 'group', chatIds: [groupId] }, (f) => f.inGroup);
    await check({ type: 'channel', channel: 'webchat' }, () => true);
    await check({ type: 'channel', channel: 'telegram' }, () => false);
    await check({ type: 'lifecycle', in: ['prospect'] }, (f) => !f.boughtA && !f.boughtB);
    await check(
      {
        type: 'or',
        rules: [
          { type: 'and', rules: [{ type: 'interest' }, { type: 'not', rule: { type: 'bought', withinDays: 7 } }] },
          { type: 'not', rule: { type: 'or', rules: [{ type: 'group', chatIds: [groupId] }, { type: 'bought' }] } },
        ],
      },
      (f) => (f.interestA && !f.boughtA) || !(f.inGroup || f.boughtA || f.boughtB),
    );
  });

  it('saves a segment with its count and rejects invalid rules', async () => {
    const saved = await t.admin('POST', '/api/segments', { name: 'club', rules: { type: 'tag', tag: 'vip-club' } });
    expect(saved).toMatchObject({ status: 201, body: { name: 'club', lastCount: facts.filter((f) => f.club).length } });
    const bad = await t.admin('POST', '/api/segments/preview', { rules: { type: 'and', rules: [{ type: 'nope' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
