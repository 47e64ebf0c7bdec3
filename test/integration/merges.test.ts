// Profile merges through the admin API: two busy profiles become one with nothing lost or duplicated,
// the balance comes from the ledger, and an undo puts every row back.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const DAY = 86_400_000;

describeEachProvider('profile merges', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  async function customerId(visitor: string): Promise<number> {
    return (await t.app.store.repos.customers.findIdentity('webchat', visitor))?.customerId ?? -1;
  }

  const counts = (id: number) => t.app.store.repos.merges.owned(id);

  /** A profile with messages, an order, a case, points, a redemption, a survey, a check-in, a tag and a note. */
  async function busy(visitor: string, n: number, rewardId: number): Promise<number> {
    await t.say(visitor, '/start');
    await t.say(visitor, '你好');
    const id = await customerId(visitor);
    const order = await t.admin('POST', '/api/orders', {
      orderNo: `M-${visitor}`,
      customer: { channel: 'webchat', externalId: visitor },
      items: [{ sku: 'SKU-1', name: '杯子', qty: 1, price: 1000 * n }],
      total: 1000 * n,
      status: 'paid',
    });
    expect(order.status).toBe(200);
    expect((await t.admin('PATCH', `/api/orders/M-${visitor}`, { status: 'delivered' })).status).toBe(200);
    await t.app.services.cases.open({ type: 'damaged', customerId: id, dedupeKey: `merge-test:${visitor}` });
    const adjust = await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount: 100 * n, reason: '测试' });
    expect(adjust.status).toBe(201);
    const ask = await t.press(visitor, `loyalty:redeem:${rewardId}`);
    expect((await t.press(visitor, ask.replies[0]?.buttons?.[0]?.data ?? '')).text).toContain('兑换成功');
    expect((await t.say(visitor, '签到')).text).toContain('签到');
    await t.admin('POST', `/api/customers/${id}/tags`, { tag: `vip-${n}` });
    await t.admin('POST', `/api/customers/${id}/tags`, { tag: 'shared' });
    await t.admin('POST', `/api/customers/${id}/notes`, { text: `note ${n}` });
    return id;
  }

  it('merges two busy profiles exactly, and the undo restores both', async () => {
    const reward = await t.admin('POST', '/api/rewards', { name: '小礼物', kind: 'gift', cost: 30, stock: 10 });
    const rewardId = (reward.body as { id: number }).id;
    const a = await busy('v-a', 1, rewardId);
    t.clock.advance(DAY);
    const b = await busy('v-b', 2, rewardId);
    t.clock.advance(DAY);
    const [beforeA, beforeB] = [await counts(a), await counts(b)];
    for (const c of [beforeA, beforeB]) {
      for (const table of ['interactions', 'orders', 'cases', 'pointsEntries', 'redemptions', 'surveyResponses']) {
        expect(c[table as keyof typeof c], table).toBeGreaterThan(0);
      }
    }
    const balanceA = await t.app.services.loyalty.balance(a);
    const balanceB = await t.app.services.loyalty.balance(b);

    const merged = await t.admin('POST', '/api/merges', { sourceId: a, targetId: b });
    expect(merged.status).toBe(201);
    const body = merged.body as { merge: { id: number; moved: Record<string, number> }; customer: { id: number } };
    expect(body.customer.id).toBe(b);
    expect(body.merge.moved.orders).toBe(beforeA.orders);

    const [afterA, afterB] = [await counts(a), await counts(b)];
    expect(afterA).toEqual({
      identities: 0,
      interactions: 0,
      orders: 0,
      cases: 0,
      conversations: 0,
      surveyResponses: 0,
      pointsEntries: 0,
      redemptions: 0,
      deliveries: 0,
      notes: 0,
      outbox: 0,
      tags: 0,
      chatMembers: 0,
      checkIns: 0,
    });
    // Everything moved once; the shared tag is not duplicated; the merge's own profile event is one more interaction.
    expect(afterB).toEqual({
      identities: beforeA.identities + beforeB.identities,
      interactions: beforeA.interactions + beforeB.interactions + 1,
      orders: beforeA.orders + beforeB.orders,
      cases: beforeA.cases + beforeB.cases,
      conversations: beforeA.conversations + beforeB.conversations,
      surveyResponses: beforeA.surveyResponses + beforeB.surveyResponses,
      pointsEntries: beforeA.pointsEntries + beforeB.pointsEntries,
      redemptions: beforeA.redemptions + beforeB.redemptions,
      deliveries: beforeA.deliveries + beforeB.deliveries,
      notes: beforeA.notes + beforeB.notes,
      outbox: beforeA.outbox + beforeB.outbox,
      tags: beforeA.tags + beforeB.tags - 1,
      chatMembers: beforeA.chatMembers + beforeB.chatMembers,
      checkIns: beforeA.checkIns + beforeB.checkIns,
    });
    const profile = await t.admin('GET', `/api/customers/${b}`);
    const p = profile.body as { pointsBalance: number; orderCount: number; totalSpent: number };
    expect(p.pointsBalance).toBe(balanceA + balanceB);
    expect(p.orderCount).toBe(2);
    expect(p.totalSpent).toBe(3000);
    const audit = await t.app.store.repos.audit.forEntity('customer', String(b));
    const entry = audit.find((e) => e.action === 'customer.merge');
    expect(entry?.details).toMatchObject({ sourceId: a, targetId: b, moved: { orders: [expect.any(Number)] } });

    // Both visitors now talk to one profile.
    await t.say('v-a', '还在吗');
    expect(await customerId('v-a')).toBe(b);
    expect((await counts(a)).interactions).toBe(0);
    const meanwhile = await counts(b);

    const undo = await t.admin('POST', `/api/merges/${body.merge.id}/undo`);
    expect(undo.status).toBe(200);
    expect((await t.admin('POST', `/api/merges/${body.merge.id}/undo`)).status).toBe(409);
    expect(await counts(a)).toEqual(beforeA);
    // The target keeps what happened after the merge: the merge event, the turn sent meanwhile and the undo event.
    expect(await counts(b)).toEqual({
      ...beforeB,
      interactions: beforeB.interactions + 1 + (meanwhile.interactions - afterB.interactions) + 1,
      outbox: beforeB.outbox + (meanwhile.outbox - afterB.outbox),
    });
    expect(await t.app.services.loyalty.balance(a)).toBe(balanceA);
    expect(await t.app.services.loyalty.balance(b)).toBe(balanceB);
    expect(await customerId('v-a')).toBe(a);
    expect((await t.admin('GET', `/api/customers/${a}`)).body).toMatchObject({ mergedIntoId: null, orderCount: 1 });
  });

  it('refuses a merge into itself, an unknown profile, and a second merge of a tombstone', async () => {
    await t.say('v-1', '你好');
    await t.say('v-2', '你好');
    const [one, two] = [await customerId('v-1'), await customerId('v-2')];
    expect((await t.admin('POST', '/api/merges', { sourceId: one, targetId: one })).status).toBe(400);
    expect((await t.admin('POST', '/api/merges', { sourceId: one, targetId: 9999 })).status).toBe(404);
    expect((await t.admin('POST', '/api/merges', { sourceId: one, targetId: two, extra: 1 })).status).toBe(400);
    expect((await t.admin('POST', '/api/merges', { sourceId: one, targetId: two })).status).toBe(201);
    expect((await t.admin('POST', '/api/merges', { sourceId: one, targetId: two })).status).toBe(409);
    const anonymous = await t.app.http.inject({
      method: 'POST',
      url: '/api/merges',
      payload: { sourceId: two, targetId: one },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('suggests profiles sharing a verified phone, never merging them', async () => {
    const order = (orderNo: string, externalId: string, channel: string) =>
      t.admin('POST', '/api/orders', {
        orderNo,
        customer: { channel, externalId, phone: '13800138000' },
        items: [{ sku: 'S', name: 'x', qty: 1, price: 100 }],
        total: 100,
        status: 'paid',
      });
    expect((await order('S-1', 'shop-1', 'webchat')).status).toBe(200);
    await t.say('v-typed', '你好');
    const typed = await customerId('v-typed');
    await t.say('v-typed', '我的资料');
    await t.press('v-typed', 'profile:phone');
    await t.say('v-typed', '13800138000');
    const shop = await customerId('shop-1');
    const res = await t.admin('GET', '/api/merges/suggestions');
    expect(res.status).toBe(200);
    const suggestions = (res.body as { suggestions: Array<{ reason: string; customers: Array<{ id: number }> }> })
      .suggestions;
    expect(suggestions).toEqual([
      expect.objectContaining({
        reason: 'phone',
        customers: [{ ...suggestions[0]?.customers[0], id: shop }, expect.objectContaining({ id: typed })],
      }),
    ]);
    expect((await t.admin('GET', `/api/customers/${typed}`)).body).toMatchObject({ mergedIntoId: null });
  });
});
