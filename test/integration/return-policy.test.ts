// The after-sale policy (src/crm/return-policy.ts) through the chat: which orders take a request,
// returns and exchanges only after delivery and within RETURN_WINDOW_DAYS (here 3) of it, never for a
// non-returnable product, missing/damaged items only once shipped. Orders arrive through the admin API.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('return policy', (provider) => {
  let t: TestApp;
  const visitor = 'rp-buyer';
  const order = async (orderNo: string, sku: string, status: 'paid' | 'shipped' | 'delivered' | 'cancelled') => {
    const res = await t.admin('POST', '/api/orders', {
      orderNo,
      customer: { channel: 'webchat', externalId: visitor },
      items: [{ sku, name: sku === 'UW-1' ? '内裤' : '纯棉T恤', qty: 1, price: 7900 }],
      total: 7900,
      status: 'paid',
    });
    expect(res.status).toBe(200);
    const path = { paid: [], shipped: ['shipped'], delivered: ['shipped', 'delivered'], cancelled: ['cancelled'] };
    for (const next of path[status]) {
      expect((await t.admin('PATCH', `/api/orders/${orderNo}`, { status: next })).status).toBe(200);
    }
  };
  /** One request from a fresh start: leave whatever flow the previous one left open. */
  const request = async (text: string) => {
    await t.say(visitor, '取消');
    return t.say(visitor, text);
  };

  beforeAll(async () => {
    t = await createTestApp({ provider, env: { RETURN_WINDOW_DAYS: '3' } });
    await t.admin('PUT', '/api/products/TS-1', { name: '纯棉T恤', price: 7900, stock: 5 });
    await t.admin('PUT', '/api/products/UW-1', { name: '内裤', price: 7900, stock: 5, returnable: false });
    await order('RP-1001', 'TS-1', 'paid');
    await order('RP-1002', 'TS-1', 'shipped');
    await order('RP-1003', 'TS-1', 'delivered');
    await order('RP-1004', 'UW-1', 'delivered');
    await order('RP-1005', 'TS-1', 'cancelled');
  });
  afterAll(async () => {
    await t.close();
  });

  it('offers only orders whose status takes a request', async () => {
    const res = await request('我要开发票');
    const offered = res.replies.flatMap((r) => r.buttons ?? []).map((b) => b.data);
    expect(offered).toEqual(
      expect.arrayContaining(['aftersale:order:RP-1001', 'aftersale:order:RP-1002', 'aftersale:order:RP-1003']),
    );
    expect(offered).not.toContain('aftersale:order:RP-1005');
    expect((await request('我要开发票 RP-1005')).text).toMatch(/订单 RP-1005 当前状态为“已取消”，不能申请开发票/);
  });

  it('refuses returns before delivery and missing items before shipping, explaining why', async () => {
    expect((await request('我要退货 RP-1002')).text).toMatch(/订单 RP-1002 还未签收（已发货），签收后才能申请退货退款/);
    expect((await request('少发了一件 RP-1001')).text).toMatch(/订单 RP-1001 还未签收/);
    expect((await request('少发了一件 RP-1002')).text).toMatch(/请选择原因/);
  });

  it('refuses a return of a product sold without no-reason returns', async () => {
    expect((await request('我要退货 RP-1004')).text).toMatch(/「内裤」属于不支持无理由退换的商品/);
    expect((await request('收到的破了 RP-1004')).text).toMatch(/请选择原因/);
  });

  it('allows returns until the last day of the configured window after delivery, not after it', async () => {
    t.clock.advance(3 * DAY + HOUR);
    expect((await request('我要换货 RP-1003')).text).toMatch(/请选择原因/);
    t.clock.advance(DAY);
    const late = await request('我要退货 RP-1003');
    expect(late.text).toMatch(/订单 RP-1003 已签收 4 天，超过了 3 天无理由退换期限，不能申请退货退款/);
    expect(late.conversation?.flow).toBeNull();
    expect((await request('收到的破了 RP-1003')).text).toMatch(/请选择原因/);
  });
});
