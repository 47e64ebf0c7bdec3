import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const admin = { type: 'admin' } as const;

describeEachProvider('loyalty ledger', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider, env: { JOBS_ENABLED: 'false', POINTS_FIRST_ORDER: '50' } });
  });
  afterEach(async () => {
    await t.close();
  });

  async function customer(visitor: string): Promise<number> {
    await t.say(visitor, '/start');
    const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
    if (!identity) throw new Error('no customer');
    return identity.customerId;
  }

  async function expectConsistent(customerId: number) {
    const repos = t.app.store.repos;
    expect(await repos.loyalty.cachedBalance(customerId)).toBe(await repos.loyalty.ledgerSum(customerId));
    expect(await t.app.services.loyalty.verify()).toEqual([]);
  }

  it('100 concurrent redemptions with a balance for exactly 3: 3 succeed, never negative, codes not reused', async () => {
    const { loyalty, rewards } = t.app.services;
    const id = await customer('v-race');
    const reward = await rewards.create({ name: '满减券', kind: 'coupon', cost: 100 }, admin);
    await rewards.addCodes(
      reward.id,
      Array.from({ length: 10 }, (_, i) => `CODE-${i}`),
      admin,
    );
    await loyalty.adjust(id, { amount: 300, reason: 'test grant' }, admin);

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => rewards.redeem(id, reward.id, `race-${i}`)),
    );
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === 'insufficient')).toHaveLength(97);
    const codes = ok.map((r) => (r.ok ? r.code : null));
    expect(new Set(codes).size).toBe(3);
    expect(await loyalty.balance(id)).toBe(0);
    const left = (await rewards.list()).find((r) => r.id === reward.id);
    expect(left?.codesLeft).toBe(7);
    await expectConsistent(id);
  });

  it('never oversells stock under 100 concurrent redemptions', async () => {
    const { loyalty, rewards } = t.app.services;
    const id = await customer('v-stock');
    const gift = await rewards.create({ name: '帆布袋', kind: 'gift', cost: 10, stock: 2 }, admin);
    await loyalty.adjust(id, { amount: 1000, reason: 'test grant' }, admin);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => rewards.redeem(id, gift.id, `s-${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.reason === 'out_of_stock')).toHaveLength(98);
    expect((await rewards.get(gift.id)).stock).toBe(0);
    expect(await loyalty.balance(id)).toBe(980);
    await expectConsistent(id);
  });

  it('a redemption replayed with the same key redeems once', async () => {
    const { loyalty, rewards } = t.app.services;
    const id = await customer('v-replay');
    const gift = await rewards.create({ name: 'Gift', kind: 'gift', cost: 10, stock: 5 }, admin);
    await loyalty.adjust(id, { amount: 100, reason: 'grant' }, admin);
    const results = await Promise.all(Array.from({ length: 5 }, () => rewards.redeem(id, gift.id, 'same-key')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.replay)).toHaveLength(1);
    expect(await loyalty.balance(id)).toBe(90);
    expect((await rewards.get(gift.id)).stock).toBe(4);
  });

  it('the same earn event delivered 5 times credits once', async () => {
    const { loyalty } = t.app.services;
    const id = await customer('v-earn');
    const at = t.clock.now();
    const event = {
      customerId: id,
      amount: 42,
      kind: 'earn' as const,
      reason: 'purchase',
      reference: 'order:X1',
      idempotencyKey: 'order:X1:earn',
      at,
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => loyalty.post(event)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await loyalty.balance(id)).toBe(42);

    // The shop's order webhook replayed 5 times: the completion credits once.
    const order = {
      orderNo: 'E-1001',
      customer: { channel: 'webchat', externalId: 'v-earn' },
      items: [{ sku: 'TEA', name: 'Tea', qty: 1, price: 12_000 }],
      total: 12_000,
      status: 'completed',
    };
    for (let i = 0; i < 5; i++) expect((await t.admin('POST', '/api/orders', order)).status).toBe(200);
    const entries = await t.app.store.repos.loyalty.entriesByReference('order:E-1001');
    expect(entries.map((e) => [e.idempotencyKey, e.amount])).toEqual([
      ['order:E-1001:earn', 120],
      [`customer:${id}:first-order`, 50],
    ]);
    expect(await loyalty.balance(id)).toBe(42 + 120 + 50);
    await expectConsistent(id);
  });

  it('a refund after a partial redemption reverses the purchase points with an auditable trail', async () => {
    const { loyalty, rewards } = t.app.services;
    const id = await customer('v-refund');
    const order = {
      orderNo: 'R-2001',
      customer: { channel: 'webchat', externalId: 'v-refund' },
      items: [{ sku: 'POT', name: 'Teapot', qty: 1, price: 50_000 }],
      total: 50_000,
      status: 'delivered',
    };
    await t.admin('POST', '/api/orders', order);
    await t.admin('PATCH', '/api/orders/R-2001', { status: 'completed' });
    expect(await loyalty.balance(id)).toBe(550);
    const gift = await rewards.create({ name: 'Cup', kind: 'gift', cost: 300, stock: 10 }, admin);
    const redeemed = await rewards.redeem(id, gift.id, 'cup-1');
    expect(redeemed.ok).toBe(true);
    expect(await loyalty.balance(id)).toBe(250);

    expect((await t.admin('PATCH', '/api/orders/R-2001', { status: 'refunded' })).status).toBe(200);
    // Replayed refund notice: no second reversal.
    await t.admin('POST', '/api/orders', { ...order, status: 'refunded' });
    const trail = await t.app.store.repos.loyalty.entriesByReference('order:R-2001');
    expect(trail.map((e) => [e.kind, e.amount])).toEqual([
      ['earn', 500],
      ['earn', 50],
      ['reverse', -500],
    ]);
    expect(trail[2]?.reason).toContain('refund 50000/50000');
    expect(await loyalty.balance(id)).toBe(-250);
    // With a points debt nothing can be redeemed, and nothing changes.
    const blocked = await rewards.redeem(id, gift.id, 'cup-2');
    expect(blocked).toMatchObject({ ok: false, reason: 'insufficient' });
    expect(await loyalty.balance(id)).toBe(-250);
    await expectConsistent(id);
    const ledger = await t.admin('GET', `/api/customers/${id}/points`);
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({ balance: -250, cachedBalance: -250 });
  });

  it('verify finds a cached balance that drifted from the ledger', async () => {
    const id = await customer('v-drift');
    await t.app.services.loyalty.adjust(id, { amount: 10, reason: 'grant' }, admin);
    expect((await t.admin('GET', '/api/points/verify')).body).toEqual({ ok: true, mismatches: [] });
    await t.app.store.repos.loyalty.setCachedBalance(id, 11);
    expect((await t.admin('GET', '/api/points/verify')).body).toEqual({
      ok: false,
      mismatches: [{ customerId: id, cached: 11, ledger: 10 }],
    });
  });
});
