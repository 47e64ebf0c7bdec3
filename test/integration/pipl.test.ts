// PIPL rights (issue 14, finding 8) through the admin API on both databases: export one customer's
// data as one document; erase it (idempotent), keeping amounts and dropping words, names, numbers and
// chat ids; a returning person is a new customer and erased customers are in no segment.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('PIPL export and erasure', (provider) => {
  let t: TestApp;
  let id: number;
  beforeEach(async () => {
    t = await createTestApp({ provider });
    await t.say('v-pipl', '你好，我想问问发货');
    id = (await t.app.store.repos.customers.findIdentity('webchat', 'v-pipl'))?.customerId ?? 0;
    expect((await t.admin('PATCH', `/api/customers/${id}`, { name: '王芳', phone: '13800138000' })).status).toBe(200);
    expect((await t.admin('POST', `/api/customers/${id}/tags`, { tag: 'vip' })).status).toBe(200);
    expect((await t.admin('POST', `/api/customers/${id}/notes`, { text: '住在上海，喜欢乌龙' })).status).toBe(201);
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'PIPL-1',
      customer: { channel: 'webchat', externalId: 'v-pipl', name: '王芳', phone: '13800138000' },
      items: [{ sku: 'TEA-1', name: '乌龙茶', qty: 2, price: 3900 }],
      total: 7800,
      status: 'paid',
    });
    expect(order.status).toBe(200);
    expect(
      (await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount: 50, reason: '王芳的补偿' })).status,
    ).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  it('exports everything about the customer as one document, for admins only', async () => {
    const res = await t.admin('GET', `/api/customers/${id}/export`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object).sort()).toEqual(
      [
        'customer',
        'identities',
        'consents',
        'interactions',
        'orders',
        'cases',
        'surveys',
        'pointsLedger',
        'redemptions',
      ].sort(),
    );
    expect(res.body).toMatchObject({
      customer: { id, name: '王芳', phone: '13800138000', tags: ['vip'], notes: [{ text: '住在上海，喜欢乌龙' }] },
      identities: [{ channel: 'webchat', externalId: 'v-pipl' }],
      orders: [{ orderNo: 'PIPL-1', total: 7800, items: [{ sku: 'TEA-1', qty: 2 }] }],
      pointsLedger: expect.arrayContaining([expect.objectContaining({ amount: 50 })]),
      consents: { marketingOptIn: expect.any(Boolean), history: expect.any(Array) },
    });
    expect(JSON.stringify(res.body)).toContain('你好，我想问问发货');

    await addStaff(t, 'agent-a');
    const agent = await loginAs(t, 'agent-a');
    expect((await agent('GET', `/api/customers/${id}/export`)).status).toBe(403);
    expect((await t.app.http.inject({ method: 'GET', url: `/api/customers/${id}/export` })).statusCode).toBe(401);
    expect((await t.admin('GET', '/api/customers/999999/export')).status).toBe(404);
  });

  it('erases names, numbers, words and chat ids, keeps amounts, and is idempotent', async () => {
    const first = await t.admin('POST', `/api/customers/${id}/erase`);
    expect(first).toEqual({ status: 200, body: { id, erasedAt: expect.any(String) } });
    const again = await t.admin('POST', `/api/customers/${id}/erase`);
    expect(again).toEqual(first);

    const exported = await t.admin('GET', `/api/customers/${id}/export`);
    const text = JSON.stringify(exported.body);
    for (const secret of ['王芳', '13800138000', '住在上海', '你好，我想问问发货', 'v-pipl', 'vip']) {
      expect(text).not.toContain(secret);
    }
    expect(exported.body).toMatchObject({
      customer: {
        id,
        name: null,
        phone: null,
        erasedAt: expect.any(String),
        marketingOptIn: false,
        tags: [],
        notes: [],
      },
      identities: [],
      orders: [{ orderNo: 'PIPL-1', total: 7800 }],
      pointsLedger: expect.arrayContaining([expect.objectContaining({ amount: 50 })]),
    });

    // Audit: the erasure is recorded once; earlier entries about the customer lose their details.
    const erasures = await t.app.store.repos.audit.recent(50, 'customer.erase');
    expect(erasures).toHaveLength(1);
    const updates = await t.app.store.repos.audit.recent(50, 'customer.update');
    expect(JSON.stringify(updates)).not.toContain('8000');

    // The webchat thread under the old visitor id is empty; writing again makes a new customer.
    expect(await t.thread('v-pipl')).toMatchObject({ messages: [] });
    await t.say('v-pipl', '我又来了');
    const returning = (await t.app.store.repos.customers.findIdentity('webchat', 'v-pipl'))?.customerId;
    expect(returning).toBeDefined();
    expect(returning).not.toBe(id);

    // In no segment or campaign audience, whatever the rule.
    const everyone = await t.admin('POST', '/api/segments/preview', { rules: { type: 'customers', ids: [id] } });
    expect(everyone.body).toMatchObject({ count: 0 });
  });

  it('erasing a customer that does not exist is 404 and needs an admin', async () => {
    expect((await t.admin('POST', '/api/customers/999999/erase')).status).toBe(404);
    expect((await t.app.http.inject({ method: 'POST', url: `/api/customers/${id}/erase` })).statusCode).toBe(401);
    await addStaff(t, 'agent-b');
    const agent = await loginAs(t, 'agent-b');
    expect((await agent('POST', `/api/customers/${id}/erase`)).status).toBe(403);
    expect((await t.admin('GET', `/api/customers/${id}/export`)).body).toMatchObject({ customer: { name: '王芳' } });
  });
});
