import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADMIN_TOKEN, createTestApp, type TestApp, visitorHeaders } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const order = (orderNo: string, overrides: Record<string, unknown> = {}) => ({
  orderNo,
  customer: { channel: 'webchat', externalId: `buyer-${orderNo}`, name: '张三', phone: '13800001111' },
  items: [{ sku: 'TS-001', name: '纯棉圆领T恤', qty: 2, price: 7900 }],
  total: 15800,
  status: 'paid',
  ...overrides,
});

function expectError(res: { status: number; body: unknown }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: { code: code ?? expect.any(String), message: expect.any(String) } });
}

describeEachProvider('HTTP API', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /healthz', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ ok: true });
  });

  describe('POST /api/webchat/messages', () => {
    const post = (payload: unknown) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/json', ...visitorHeaders('h-2') },
      });

    it('accepts text and returns replies and the conversation', async () => {
      const res = await t.say('h-1', '菜单', { messageId: 'h-1-1' });
      expect(res.status).toBe(200);
      expect(res.raw).toMatchObject({ replies: [{ text: expect.any(String) }], conversation: { status: 'bot' } });
    });

    it.each([
      ['missing visitorId', { text: 'hi' }],
      ['wrong type', { visitorId: 'h-2', text: 42 }],
      ['oversized text', { visitorId: 'h-2', text: 'x'.repeat(4097) }],
      ['empty text and no action', { visitorId: 'h-2', text: '   ' }],
      ['unknown field', { visitorId: 'h-2', text: 'hi', admin: true }],
      ['bad visitorId', { visitorId: '../etc', text: 'hi' }],
    ])('rejects %s with 400 and writes nothing', async (_name, body) => {
      const res = await post(body);
      expectError({ status: res.statusCode, body: res.json() }, 400, 'invalid_request');
      expect(await t.app.store.repos.customers.findIdentity('webchat', 'h-2')).toBeNull();
    });

    it('rejects malformed JSON with the error shape', async () => {
      const res = await t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        payload: '{"visitorId":',
        headers: { 'content-type': 'application/json' },
      });
      expectError({ status: res.statusCode, body: res.json() }, 400);
    });
  });

  describe('GET /api/webchat/:visitorId/messages', () => {
    it('returns messages after a cursor, including later staff replies', async () => {
      await t.say('h-poll', '/start');
      const all = await t.thread('h-poll');
      expect(all.messages.map((m) => m.from)).toEqual(['customer', 'bot']);
      const staffLine = await t.app.services.messaging.sendToCustomer(
        (await t.app.store.repos.customers.findIdentity('webchat', 'h-poll'))?.customerId ?? -1,
        { text: '您好，我是客服小美' },
        { purpose: 'staff' },
      );
      expect(staffLine).not.toBeNull();
      await t.app.sender.drainChannel('webchat');
      const later = await t.thread('h-poll', all.cursor);
      expect(later.messages).toEqual([expect.objectContaining({ text: '您好，我是客服小美', from: 'staff' })]);
    });

    it.each([
      ['a non-numeric cursor', '/api/webchat/h-poll/messages?after=abc'],
      ['a negative cursor', '/api/webchat/h-poll/messages?after=-5'],
      ['an old numeric cursor', '/api/webchat/h-poll/messages?after=15'],
      ['a bad visitorId', `/api/webchat/${encodeURIComponent('a b<c>')}/messages`],
    ])('rejects %s with 400', async (_name, url) => {
      const res = await t.app.http.inject({ method: 'GET', url, headers: visitorHeaders('h-poll') });
      expectError({ status: res.statusCode, body: res.json() }, 400, 'invalid_request');
    });
  });

  describe('admin auth', () => {
    it('refuses a missing or wrong token with 401', async () => {
      const none = await t.app.http.inject({ method: 'POST', url: '/api/orders', payload: order('A-0') });
      expectError({ status: none.statusCode, body: none.json() }, 401, 'unauthorized');
      const wrong = await t.app.http.inject({
        method: 'POST',
        url: '/api/orders',
        payload: order('A-0'),
        headers: { authorization: `Bearer ${ADMIN_TOKEN}x` },
      });
      expect(wrong.statusCode).toBe(401);
      expect(await t.app.store.repos.orders.byNo('A-0')).toBeNull();
    });
  });

  describe('POST /api/orders and PATCH /api/orders/:orderNo', () => {
    it('creates an order (and its customer), upserts by orderNo, and patches status', async () => {
      const created = await t.admin('POST', '/api/orders', order('A-1'));
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        orderNo: 'A-1',
        total: 15800,
        status: 'paid',
        items: [{ sku: 'TS-001', qty: 2 }],
      });
      const again = await t.admin(
        'POST',
        '/api/orders',
        order('A-1', { total: 7900, items: [{ sku: 'TS-001', name: 'T', qty: 1, price: 7900 }] }),
      );
      expect(again.body).toMatchObject({ orderNo: 'A-1', total: 7900, items: [{ qty: 1 }] });
      const patched = await t.admin('PATCH', '/api/orders/A-1', {
        status: 'shipped',
        carrier: '顺丰',
        trackingNo: 'SF1',
      });
      expect(patched.body).toMatchObject({ status: 'shipped', carrier: '顺丰', trackingNo: 'SF1' });
      expect(patched.body).toMatchObject({ events: [{ status: 'paid' }, { status: 'shipped' }] });
    });

    it('notifies the customer about a status change through their chat', async () => {
      await t.say('buyer-A-2', '/start');
      await t.admin('POST', '/api/orders', order('A-2'));
      await t.admin('PATCH', '/api/orders/A-2', { status: 'shipped', trackingNo: 'SF2' });
      await t.app.sender.drainChannel('webchat');
      const { messages } = await t.thread('buyer-A-2');
      expect(messages.at(-1)?.text).toContain('A-2');
      expect(messages.at(-1)?.text).toContain('SF2');
    });

    it.each([
      ['missing field', { ...order('B-1'), items: undefined }],
      ['wrong type', order('B-2', { total: '158.00' })],
      ['fractional amount', order('B-3', { total: 158.5 })],
      ['unknown status', order('B-4', { status: 'lost' })],
      ['bad item', order('B-5', { items: [{ sku: 'X', name: 'x', qty: 0, price: 1 }] })],
      ['oversized field', order('B-6', { customer: { channel: 'webchat', externalId: 'x'.repeat(5000) } })],
    ])('rejects %s with 400 and no partial write', async (_name, body) => {
      const res = await t.admin('POST', '/api/orders', body);
      expectError(res, 400, 'invalid_request');
      const orderNo = typeof body.orderNo === 'string' ? body.orderNo : '';
      expect(await t.app.store.repos.orders.byNo(orderNo)).toBeNull();
      expect(await t.app.store.repos.customers.findIdentity('webchat', `buyer-${orderNo}`)).toBeNull();
    });

    it('PATCH: unknown order 404, bad status 400, empty patch 400', async () => {
      expectError(await t.admin('PATCH', '/api/orders/NOPE-1', { status: 'shipped' }), 404, 'not_found');
      expectError(await t.admin('PATCH', '/api/orders/A-1', { status: 'teleported' }), 400);
      expectError(await t.admin('PATCH', '/api/orders/A-1', {}), 400);
      expectError(await t.admin('PATCH', '/api/orders/A-1', { total: 1 }), 400);
    });
  });

  describe('PUT /api/products/:sku', () => {
    it('upserts a product', async () => {
      const res = await t.admin('PUT', '/api/products/P-1', {
        name: '羊毛围巾',
        nameEn: 'Wool scarf',
        price: 12900,
        stock: 5,
        attributes: { 颜色: ['驼色', '灰色'] },
      });
      expect(res.body).toMatchObject({ sku: 'P-1', price: 12900, attributes: { 颜色: ['驼色', '灰色'] } });
      const updated = await t.admin('PUT', '/api/products/P-1', { name: '羊毛围巾', price: 9900, stock: 0 });
      expect(updated.body).toMatchObject({ sku: 'P-1', price: 9900, stock: 0 });
    });

    it.each([
      ['missing field', { name: 'x', stock: 1 }],
      ['wrong type', { name: 'x', price: 'cheap', stock: 1 }],
      ['negative stock', { name: 'x', price: 1, stock: -1 }],
      ['oversized description', { name: 'x', price: 1, stock: 1, description: 'd'.repeat(5000) }],
    ])('rejects %s', async (_name, body) => {
      expectError(await t.admin('PUT', '/api/products/P-2', body), 400);
      expect(await t.app.store.repos.catalog.product('P-2')).toBeNull();
    });

    it('rejects a bad SKU in the path', async () => {
      expectError(
        await t.admin('PUT', `/api/products/${encodeURIComponent('bad sku!')}`, { name: 'x', price: 1, stock: 1 }),
        400,
      );
    });
  });

  describe('POST /api/faqs', () => {
    it('creates a FAQ', async () => {
      const res = await t.admin('POST', '/api/faqs', { question: '包邮吗？', answer: '满99包邮', keywords: ['包邮'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ question: '包邮吗？', keywords: ['包邮'] });
    });

    it.each([
      ['missing answer', { question: 'q' }],
      ['wrong type', { question: 'q', answer: 'a', keywords: 'shipping' }],
      ['oversized answer', { question: 'q', answer: 'a'.repeat(4001) }],
    ])('rejects %s', async (_name, body) => {
      const before = (await t.app.services.catalog.faqs()).length;
      expectError(await t.admin('POST', '/api/faqs', body), 400);
      expect((await t.app.services.catalog.faqs()).length).toBe(before);
    });
  });

  describe('GET /api/customers and tags', () => {
    it('lists customers matching a query and edits tags through the customer service', async () => {
      await t.say('list-1', '你好', { name: '列表甲' });
      await t.say('list-2', '你好', { name: '列表乙' });
      const List = z.object({ customers: z.array(z.object({ id: z.number(), name: z.string() })) });
      const all = await t.admin('GET', `/api/customers?q=${encodeURIComponent('列表')}`);
      expect(all.status).toBe(200);
      expect(
        List.parse(all.body)
          .customers.map((c) => c.name)
          .sort(),
      ).toEqual(['列表乙', '列表甲'].sort());
      const found = List.parse((await t.admin('GET', `/api/customers?q=${encodeURIComponent('甲')}`)).body).customers;
      expect(found.map((c) => c.name)).toEqual(['列表甲']);
      const id = found[0]?.id;
      expect((await t.admin('POST', `/api/customers/${id}/tags`, { tag: 'a' })).body).toEqual({ tags: ['a'] });
      expect((await t.admin('POST', `/api/customers/${id}/tags`, { tag: 'b' })).body).toEqual({ tags: ['a', 'b'] });
      expect((await t.admin('DELETE', `/api/customers/${id}/tags/a`)).body).toEqual({ tags: ['b'] });
      expectError(await t.admin('GET', '/api/customers?take=0'), 400);
    });
  });

  describe('GET /api/customers/:id', () => {
    it('returns the profile with identities, tags, tier, points, orders, cases and interactions', async () => {
      await t.say('buyer-A-1', '你好');
      const id = (await t.app.store.repos.customers.findIdentity('webchat', 'buyer-A-1'))?.customerId;
      await t.admin('POST', `/api/customers/${id}/tags`, { tag: 'VIP候选' });
      const res = await t.admin('GET', `/api/customers/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id,
        name: '张三',
        tier: 'normal',
        points: 0,
        identities: [{ channel: 'webchat', externalId: 'buyer-A-1' }],
        tags: ['VIP候选'],
        orders: [{ orderNo: 'A-1' }],
        cases: [],
      });
      const body = res.body;
      expect(
        typeof body === 'object' && body !== null && 'interactions' in body && Array.isArray(body.interactions),
      ).toBe(true);
    });

    it('404 for an unknown customer, 400 for a bad id, 401 without a token', async () => {
      expectError(await t.admin('GET', '/api/customers/999999'), 404, 'not_found');
      expectError(await t.admin('GET', '/api/customers/abc'), 400);
      const res = await t.app.http.inject({ method: 'GET', url: '/api/customers/1' });
      expect(res.statusCode).toBe(401);
    });

    it('PATCH validates the phone number and audits the change', async () => {
      const id = (await t.app.store.repos.customers.findIdentity('webchat', 'buyer-A-1'))?.customerId;
      expectError(await t.admin('PATCH', `/api/customers/${id}`, { phone: 'not-a-phone' }), 400);
      const ok = await t.admin('PATCH', `/api/customers/${id}`, { phone: '13912345678', lifecycleStage: 'active' });
      expect(ok.body).toMatchObject({ phone: '13912345678', lifecycleStage: 'active' });
      const audit = await t.app.store.repos.audit.forEntity('customer', String(id));
      expect(audit.at(-1)).toMatchObject({
        action: 'customer.update',
        actorType: 'admin',
        details: { phone: '139****5678' },
      });
    });
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/nope' });
    expectError({ status: res.statusCode, body: res.json() }, 404, 'not_found');
  });
});
