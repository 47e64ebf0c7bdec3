// Redemptions through the chat, as a customer redeems (the 积分 menu's reward button, then 确认 in
// POST /api/webchat/messages), under concurrency, on SQLite and PostgreSQL: the last points or the
// last item pressed from several places at once go to exactly one redemption, stock and balance
// never go below zero, and a confirmation pressed twice redeems once.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp, visitorHeaders } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const IDENTITY_SECRET = 'shop-identity-secret-0123456789';
const env = { JOBS_ENABLED: 'false', POINTS_FIRST_ORDER: '0', WEBCHAT_IDENTITY_SECRET: IDENTITY_SECRET };

describeEachProvider('redeeming rewards in chat under concurrency', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider, env });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A shop customer (signed identity) chatting from each of `devices`; returns the customer's id. */
  async function shopCustomer(app: TestApp, externalId: string, devices: string[]): Promise<number> {
    const identity = {
      externalId,
      hash: createHmac('sha256', IDENTITY_SECRET).update(externalId).digest('hex'),
    };
    for (const visitorId of devices) {
      const response = await app.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        headers: visitorHeaders(visitorId),
        payload: { visitorId, text: '你好', identity },
      });
      expect(response.statusCode).toBe(200);
    }
    const found = await app.app.store.repos.customers.findIdentity('webchat', externalId);
    if (!found) throw new Error(`no customer for ${externalId}`);
    return found.customerId;
  }

  async function grant(customerId: number, amount: number) {
    const granted = await t.admin('POST', `/api/customers/${customerId}/points/adjust`, { amount, reason: '测试' });
    expect(granted.status).toBe(201);
  }

  async function reward(body: Record<string, unknown>, codes?: string[]): Promise<number> {
    const created = await t.admin('POST', '/api/rewards', body);
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    if (codes) expect((await t.admin('POST', `/api/rewards/${id}/codes`, { codes })).status).toBe(201);
    return id;
  }

  /** Presses the reward's button in the points menu; returns the data of the 确认 button it asks with. */
  async function confirmButton(app: TestApp, visitorId: string, rewardId: number): Promise<string> {
    const asked = await app.press(visitorId, `loyalty:redeem:${rewardId}`);
    const data = asked.replies[0]?.buttons?.[0]?.data;
    if (!data?.startsWith('loyalty:confirm:')) throw new Error(`no confirmation: ${asked.text}`);
    return data;
  }

  async function expectConsistent(customerId: number) {
    const repos = t.app.store.repos;
    expect(await repos.loyalty.cachedBalance(customerId)).toBe(await repos.loyalty.ledgerSum(customerId));
    const verify = await t.admin('GET', '/api/points/verify');
    expect(verify.body).toEqual({ ok: true, mismatches: [] });
  }

  it('the last points, confirmed from four devices at once: exactly one redemption', async () => {
    const devices = ['last-a', 'last-b', 'last-c', 'last-d'];
    const customerId = await shopCustomer(t, 'shop-last-points', devices);
    const gift = await reward({ name: '帆布袋', kind: 'gift', cost: 30, stock: 10 });
    await grant(customerId, 30);
    const buttons = await Promise.all(devices.map((device) => confirmButton(t, device, gift)));
    expect(new Set(buttons).size).toBe(4);

    const answers = await Promise.all(devices.map((device, i) => t.press(device, buttons[i] ?? '', '确认')));
    expect(answers.filter((a) => a.text.includes('兑换成功'))).toHaveLength(1);
    expect(answers.filter((a) => a.text.includes('积分不足：需要 30，当前 0'))).toHaveLength(3);
    expect(await t.app.services.loyalty.balance(customerId)).toBe(0);
    expect((await t.app.services.rewards.get(gift)).stock).toBe(9);
    expect(await t.app.store.repos.loyalty.redemptions(customerId)).toHaveLength(1);
    await expectConsistent(customerId);
  });

  it('the last item and the last code, confirmed by six customers at once: one each, stock never below zero', async () => {
    const gift = await reward({ name: '保温杯', kind: 'gift', cost: 10, stock: 1 });
    const coupon = await reward({ name: '10元券', kind: 'coupon', cost: 10 }, ['LAST-CODE']);
    const customers = ['stock-1', 'stock-2', 'stock-3', 'stock-4', 'stock-5', 'stock-6'];
    const ids: number[] = [];
    for (const visitor of customers) {
      const id = await shopCustomer(t, `shop-${visitor}`, [visitor]);
      await grant(id, 50);
      ids.push(id);
    }
    for (const [rewardId, won] of [
      [gift, '兑换成功'],
      [coupon, '券码：LAST-CODE'],
    ] as const) {
      const buttons = await Promise.all(customers.map((visitor) => confirmButton(t, visitor, rewardId)));
      const answers = await Promise.all(customers.map((visitor, i) => t.press(visitor, buttons[i] ?? '', '确认')));
      expect(answers.filter((a) => a.text.includes(won))).toHaveLength(1);
      expect(answers.filter((a) => a.text.includes('已兑完。积分未变动'))).toHaveLength(5);
    }
    expect((await t.app.services.rewards.get(gift)).stock).toBe(0);
    const left = (await t.admin('GET', '/api/rewards')).body as { rewards: Array<{ id: number; codesLeft: number }> };
    expect(left.rewards.find((r) => r.id === coupon)?.codesLeft).toBe(0);
    const balances = await Promise.all(ids.map((id) => t.app.services.loyalty.balance(id)));
    expect(balances.reduce((sum, b) => sum + b, 0)).toBe(6 * 50 - 2 * 10);
    expect(balances.every((b) => b === 50 || b === 40 || b === 30)).toBe(true);
    for (const id of ids) await expectConsistent(id);
  });

  it('one confirmation pressed on two devices at once, and again later: redeemed once, the same code each time', async () => {
    const devices = ['twice-a', 'twice-b'];
    const customerId = await shopCustomer(t, 'shop-twice', devices);
    const coupon = await reward({ name: '满减券', kind: 'coupon', cost: 20 }, ['TWICE-1', 'TWICE-2']);
    await grant(customerId, 100);
    const button = await confirmButton(t, 'twice-a', coupon);

    const answers = await Promise.all(devices.map((device) => t.press(device, button, '确认')));
    for (const answer of answers) expect(answer.text).toContain('券码：TWICE-1');
    expect((await t.press('twice-b', button, '确认')).text).toContain('券码：TWICE-1');
    expect(await t.app.services.loyalty.balance(customerId)).toBe(80);
    const redemptions = await t.app.store.repos.loyalty.redemptions(customerId);
    expect(redemptions.map((r) => r.code)).toEqual(['TWICE-1']);
    const events = await t.app.store.repos.interactions.forCustomer(customerId);
    expect(events.filter((e) => e.payload !== null && JSON.stringify(e.payload).includes('loyalty.redeem'))).toEqual([
      expect.objectContaining({
        text: 'redeemed 满减券 for 20 points',
        payload: { type: 'loyalty.redeem', rewardId: coupon, redemptionId: redemptions[0]?.id, points: 20 },
      }),
    ]);
    await expectConsistent(customerId);
  });

  it('redeems the oldest points first (FIFO), so expiry takes only what is left', async () => {
    const customerId = await shopCustomer(t, 'shop-fifo', ['fifo']);
    await grant(customerId, 40);
    await grant(customerId, 25);
    const gift = await reward({ name: '茶叶', kind: 'gift', cost: 50, stock: 5 });
    expect((await t.press('fifo', await confirmButton(t, 'fifo', gift), '确认')).text).toContain('剩余积分：15');
    const entries = await t.app.store.repos.loyalty.entries(customerId, 10);
    expect(entries.map((e) => [e.kind, e.amount, e.remaining])).toEqual([
      ['redeem', -50, null],
      ['adjust', 25, 15],
      ['adjust', 40, 0],
    ]);
  });

  it.runIf(provider === 'postgresql')(
    'two instances on one database: the last points confirmed on both at once go to one redemption',
    async () => {
      const second = await createTestApp({ provider, env, database: t.database, clock: t.clock });
      try {
        const customerId = await shopCustomer(t, 'shop-two-instances', ['inst-a']);
        await shopCustomer(second, 'shop-two-instances', ['inst-b']);
        const gift = await reward({ name: '围巾', kind: 'gift', cost: 25, stock: 3 });
        await grant(customerId, 25);
        const [a, b] = await Promise.all([confirmButton(t, 'inst-a', gift), confirmButton(second, 'inst-b', gift)]);
        const answers = await Promise.all([
          t.press('inst-a', a ?? '', '确认'),
          second.press('inst-b', b ?? '', '确认'),
        ]);
        expect(answers.filter((x) => x.text.includes('兑换成功'))).toHaveLength(1);
        expect(answers.filter((x) => x.text.includes('积分不足'))).toHaveLength(1);
        expect(await t.app.services.loyalty.balance(customerId)).toBe(0);
        expect((await t.app.services.rewards.get(gift)).stock).toBe(2);
        await expectConsistent(customerId);
      } finally {
        await second.close();
      }
    },
  );
});
