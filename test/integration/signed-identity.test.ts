// Signed webchat identity through POST /api/webchat/messages: a valid hash links every device of a
// shop customer to one profile and folds the anonymous visitor profile into it; an invalid one is
// 401 with nothing written; a bare visitorId can no longer speak as a vouched-for shop customer.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const SECRET = 'shop-identity-secret-0123456789';
const sign = (externalId: string, secret = SECRET) => createHmac('sha256', secret).update(externalId).digest('hex');

describeEachProvider('signed webchat identity', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider, env: { WEBCHAT_IDENTITY_SECRET: SECRET } });
  });
  afterEach(async () => {
    await t.close();
  });

  /** A visitor message with its own visitor secret (what the widget keeps beside the visitorId). */
  async function post(body: Record<string, unknown>) {
    const visitorId = String(body.visitorId);
    const response = await t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'x-visitor-secret': `secret-of-${visitorId}`.padEnd(16, '_') },
      payload: body,
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  }

  const customerOf = async (externalId: string) =>
    (await t.app.store.repos.customers.findIdentity('webchat', externalId))?.customerId;

  async function totals() {
    const customers = await t.app.store.repos.customers.list({ take: 1000, skip: 0 });
    let interactions = 0;
    for (const c of customers) interactions += (await t.app.store.repos.merges.owned(c.id)).interactions;
    return { customers: customers.length, interactions };
  }

  it('links every device to the shop customer and folds the anonymous profile into it', async () => {
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'SI-1',
      customer: { channel: 'webchat', externalId: 'shop-42' },
      items: [{ sku: 'S', name: '杯子', qty: 1, price: 5000 }],
      total: 5000,
      status: 'paid',
    });
    expect(order.status).toBe(200);
    const shop = await customerOf('shop-42');

    // Anonymous first: the visitor chats and checks in before logging in on the shop's site.
    expect((await post({ visitorId: 'v-phone', text: '你好' })).status).toBe(200);
    expect((await post({ visitorId: 'v-phone', text: '签到' })).status).toBe(200);
    const anonymous = await customerOf('v-phone');
    expect(anonymous).not.toBe(shop);
    const before = await t.app.store.repos.merges.owned(anonymous ?? -1);

    const identity = { externalId: 'shop-42', name: '王芳', phone: '13800138000', hash: sign('shop-42') };
    const linked = await post({ visitorId: 'v-phone', text: '我的订单', identity });
    expect(linked.status).toBe(200);
    expect(JSON.stringify(linked.body)).toContain('SI-1');
    expect(await customerOf('v-phone')).toBe(shop);
    const folded = await t.admin('GET', `/api/customers/${anonymous}`);
    expect(folded.body).toMatchObject({ id: shop });
    expect((await t.app.store.repos.merges.owned(anonymous ?? -1)).interactions).toBe(0);
    const profile = await t.admin('GET', `/api/customers/${shop}`);
    expect(profile.body).toMatchObject({ name: '王芳', phone: '13800138000', orderCount: 1 });
    expect((await t.app.store.repos.merges.owned(shop ?? -1)).checkIns).toBe(before.checkIns);
    const audit = await t.app.store.repos.audit.forEntity('customer', String(shop));
    expect(audit.find((e) => e.action === 'customer.merge')?.details).toMatchObject({
      reason: 'signed_identity',
      sourceId: anonymous,
    });

    // Another device, another browser: the same profile, and the earlier history is there.
    expect((await post({ visitorId: 'v-laptop', text: '积分', identity })).status).toBe(200);
    expect(await customerOf('v-laptop')).toBe(shop);
    // Later messages without identity from a linked visitor stay on the shop customer.
    expect((await post({ visitorId: 'v-laptop', text: '你好' })).status).toBe(200);
    expect(await customerOf('v-laptop')).toBe(shop);

    // The shop's externalId used as a bare visitorId: refused, nothing written.
    const totalsBefore = await totals();
    const bare = await post({ visitorId: 'shop-42', text: '我的订单' });
    expect([bare.status, bare.body]).toEqual([401, { error: { code: 'unauthorized', message: expect.any(String) } }]);
    expect(await totals()).toEqual(totalsBefore);
  });

  it('an invalid hash is 401 and writes nothing; a malformed identity is 400', async () => {
    await post({ visitorId: 'v-1', text: '你好' });
    const before = await totals();
    const forged = await post({
      visitorId: 'v-evil',
      text: '我的订单',
      identity: { externalId: 'shop-7', hash: sign('shop-7', 'not-the-shop-secret-000') },
    });
    expect([forged.status, forged.body]).toEqual([
      401,
      { error: { code: 'unauthorized', message: expect.any(String) } },
    ]);
    const swapped = await post({
      visitorId: 'v-1',
      text: 'hi',
      identity: { externalId: 'shop-8', hash: sign('shop-7') },
    });
    expect(swapped.status).toBe(401);
    expect(await totals()).toEqual(before);
    expect(await customerOf('v-evil')).toBeUndefined();
    expect(await customerOf('shop-7')).toBeUndefined();

    const malformed = await post({ visitorId: 'v-1', text: 'hi', identity: { externalId: 'shop-7', hash: 'xyz' } });
    expect(malformed.status).toBe(400);
    const extra = await post({
      visitorId: 'v-1',
      text: 'hi',
      identity: { externalId: 'shop-7', hash: sign('shop-7'), admin: true },
    });
    expect(extra.status).toBe(400);
  });

  it('without WEBCHAT_IDENTITY_SECRET every signed identity is refused', async () => {
    await t.close();
    t = await createTestApp({ provider });
    const res = await post({ visitorId: 'v-2', text: 'hi', identity: { externalId: 'shop-1', hash: sign('shop-1') } });
    expect(res.status).toBe(401);
    expect(await customerOf('v-2')).toBeUndefined();
  });

  it("the shop's phone for its customer is verified: another profile with that phone is suggested to staff, never merged", async () => {
    const identity = { externalId: 'shop-77', name: '陈静', phone: '13700001111', hash: sign('shop-77') };
    expect((await post({ visitorId: 'v-signed', text: '你好', identity })).status).toBe(200);
    const shop = await customerOf('shop-77');
    // Someone else chats anonymously and types the same phone into their profile.
    expect((await post({ visitorId: 'v-typed', text: '我的资料' })).status).toBe(200);
    expect((await post({ visitorId: 'v-typed', action: 'profile:phone' })).status).toBe(200);
    expect((await post({ visitorId: 'v-typed', text: '13700001111' })).status).toBe(200);
    const typed = await customerOf('v-typed');
    expect(typed).not.toBe(shop);

    const res = await t.admin('GET', '/api/merges/suggestions');
    expect(res.status).toBe(200);
    const { suggestions } = res.body as { suggestions: Array<{ reason: string; customers: Array<{ id: number }> }> };
    expect(suggestions.map((s) => ({ reason: s.reason, ids: s.customers.map((c) => c.id) }))).toEqual([
      { reason: 'phone', ids: [shop, typed] },
    ]);
    expect((await t.admin('GET', `/api/customers/${typed}`)).body).toMatchObject({ mergedIntoId: null });
    expect(await customerOf('v-typed')).toBe(typed);
  });
});
