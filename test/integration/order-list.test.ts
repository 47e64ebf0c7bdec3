// Issue 17: the back office lists orders. GET /api/orders (admin) searches by order number, customer
// name or phone, filters by status and pages like GET /api/customers (take/skip), newest placed first.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OrderListResponse } from '../../src/http/schemas/orders.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('order list API', (provider) => {
  let t: TestApp;

  const placeOrder = async (
    orderNo: string,
    customer: { externalId: string; name: string; phone: string },
    status: string,
    placedAt: string,
    lines = 1,
  ) => {
    const items = Array.from({ length: lines }, (_, i) => ({ sku: `SKU-${i}`, name: `商品${i}`, qty: 2, price: 1000 }));
    const response = await t.admin('POST', '/api/orders', {
      orderNo,
      customer: { channel: 'telegram', ...customer },
      items,
      total: 2000 * lines,
      status,
      placedAt,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  };

  beforeEach(async () => {
    t = await createTestApp({ provider });
    const wang = { externalId: 'tg-wang', name: '王小明', phone: '13800138000' };
    const li = { externalId: 'tg-li', name: '李华', phone: '13912345678' };
    await placeOrder('GX-1001', wang, 'paid', '2026-03-01T02:00:00Z', 2);
    await placeOrder('GX-1002', li, 'shipped', '2026-03-01T03:00:00Z');
    await placeOrder('GX-1003', wang, 'paid', '2026-03-01T04:00:00Z');
    await placeOrder('GX-1004', li, 'cancelled', '2026-03-01T05:00:00Z', 3);
  });
  afterEach(async () => {
    await t.close();
  });

  const list = async (query: string) => {
    const response = await t.admin('GET', `/api/orders${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return OrderListResponse.parse(response.body).orders;
  };

  it('lists newest placed first with customer, masked phone, line count and amounts', async () => {
    const orders = await list('');
    expect(orders.map((o) => o.orderNo)).toEqual(['GX-1004', 'GX-1003', 'GX-1002', 'GX-1001']);
    expect(orders[3]).toMatchObject({
      orderNo: 'GX-1001',
      customer: { name: '王小明', phone: '138****8000' },
      status: 'paid',
      total: 4000,
      itemCount: 2,
      carrier: null,
      trackingNo: null,
    });
    expect(orders[3]?.placedAt.toISOString()).toBe('2026-03-01T02:00:00.000Z');
    expect(JSON.stringify(orders)).not.toContain('13800138000');
  });

  it('searches by order number, customer name and phone, and filters by status', async () => {
    expect((await list('?q=1002')).map((o) => o.orderNo)).toEqual(['GX-1002']);
    expect((await list(`?q=${encodeURIComponent('王小明')}`)).map((o) => o.orderNo)).toEqual(['GX-1003', 'GX-1001']);
    expect((await list('?q=13912345678')).map((o) => o.orderNo)).toEqual(['GX-1004', 'GX-1002']);
    expect((await list('?status=paid')).map((o) => o.orderNo)).toEqual(['GX-1003', 'GX-1001']);
    expect((await list(`?status=cancelled&q=${encodeURIComponent('李')}`)).map((o) => o.orderNo)).toEqual(['GX-1004']);
    expect(await list('?q=nothing-like-this')).toEqual([]);
  });

  it('pages with take and skip, each order once', async () => {
    const seen: string[] = [];
    for (let skip = 0; skip < 6; skip += 3) seen.push(...(await list(`?take=3&skip=${skip}`)).map((o) => o.orderNo));
    expect(seen).toEqual(['GX-1004', 'GX-1003', 'GX-1002', 'GX-1001']);
  });

  it('is for admins: agents get 403, bad queries 400 with a message', async () => {
    await addStaff(t, 'alice');
    const alice = await loginAs(t, 'alice');
    expect((await alice('GET', '/api/orders')).status).toBe(403);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/orders' })).statusCode).toBe(401);
    for (const bad of ['?status=lost', '?take=0', '?take=500', '?skip=-1', '?page=2', `?q=${'x'.repeat(101)}`]) {
      const response = await t.admin('GET', `/api/orders${bad}`);
      expect(response.status, bad).toBe(400);
      expect(JSON.stringify(response.body), bad).toMatch(/message/);
    }
  });
});
