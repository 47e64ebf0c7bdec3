import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe('loyalty in chat and for staff [sqlite]', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({
      env: {
        JOBS_ENABLED: 'false',
        POINTS_CHECKIN: '5',
        POINTS_CHECKIN_STREAK_DAYS: '3',
        POINTS_CHECKIN_STREAK_BONUS: '20',
        POINTS_REFERRAL: '100',
        POINTS_FIRST_ORDER: '0',
        POINTS_EXPIRY_REMINDER_DAYS: '30',
        TIER_THRESHOLDS: '500,5000,20000',
      },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  async function customerId(visitor: string): Promise<number> {
    const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
    return identity?.customerId ?? -1;
  }

  async function rewardViaApi(body: Record<string, unknown>, codes?: string[]): Promise<number> {
    const created = await t.admin('POST', '/api/rewards', body);
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    if (codes)
      expect((await t.admin('POST', `/api/rewards/${id}/codes`, { codes })).body).toEqual({
        added: codes.length,
        skipped: 0,
      });
    return id;
  }

  it('the menu button shows balance, tier and affordable rewards; check-in builds a streak', async () => {
    await t.say('v-1', '/start');
    const id = await customerId('v-1');
    await rewardViaApi({ name: '10元券', kind: 'coupon', cost: 10 }, ['C10-A']);
    await rewardViaApi({ name: '保温杯', kind: 'gift', cost: 5000, stock: 3 });

    const menu = await t.press('v-1', 'loyalty');
    expect(menu.text).toContain('可用积分：0');
    expect(menu.replies[0]?.buttons?.map((b) => b.data)).toEqual([
      'loyalty:checkin',
      'loyalty:history',
      'loyalty:invite',
    ]);

    expect((await t.say('v-1', '签到')).text).toContain('连续签到 1 天，获得 5 积分');
    expect((await t.press('v-1', 'loyalty:checkin')).text).toContain('今天已经签到过了');
    t.clock.advance(DAY);
    expect((await t.press('v-1', 'loyalty:checkin')).text).toContain('连续签到 2 天');
    t.clock.advance(DAY);
    expect((await t.press('v-1', 'loyalty:checkin')).text).toContain('连续签到 3 天，获得 25 积分');
    t.clock.advance(2 * DAY);
    expect((await t.press('v-1', 'loyalty:checkin')).text).toContain('连续签到 1 天');
    expect(await t.app.services.loyalty.balance(id)).toBe(40);

    const points = await t.say('v-1', '积分');
    expect(points.text).toContain('可用积分：40');
    expect(points.replies[0]?.buttons?.[0]).toEqual({
      label: '10元券 (10)',
      data: expect.stringMatching(/^loyalty:redeem:\d+$/),
    });
  });

  it('redeeming asks for confirmation, then deducts and delivers the code once', async () => {
    await t.say('v-2', '/start');
    const id = await customerId('v-2');
    const reward = await rewardViaApi({ name: '10元券', kind: 'coupon', cost: 30 }, ['C10-A', 'C10-B']);
    expect((await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount: 50 })).status).toBe(400);
    expect(
      (await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount: 50, reason: '活动补偿' })).status,
    ).toBe(201);

    const ask = await t.press('v-2', `loyalty:redeem:${reward}`);
    expect(ask.text).toContain('确认用 30 积分兑换「10元券」');
    expect(await t.app.services.loyalty.balance(id)).toBe(50);
    const confirm = ask.replies[0]?.buttons?.[0]?.data ?? '';
    const done = await t.press('v-2', confirm);
    expect(done.text).toContain('券码：C10-A');
    expect(done.text).toContain('剩余积分：20');
    const twice = await t.press('v-2', confirm);
    expect(twice.text).toContain('券码：C10-A');
    expect(await t.app.services.loyalty.balance(id)).toBe(20);

    const ask2 = await t.press('v-2', `loyalty:redeem:${reward}`);
    const poor = await t.press('v-2', ask2.replies[0]?.buttons?.[0]?.data ?? '');
    expect(poor.text).toContain('积分不足');
    expect(await t.app.services.loyalty.balance(id)).toBe(20);

    const audit = await t.app.store.repos.audit.forEntity('customer', String(id));
    expect(audit.map((a) => a.action)).toContain('points.adjust');
    const csv = await t.app.http.inject({
      method: 'GET',
      url: `/api/customers/${id}/points.csv`,
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n')[0]).toContain('idempotencyKey');
    expect(csv.body).toContain('redeem,-30');
    expect((await t.app.store.repos.audit.recent(10, 'points.export')).length).toBe(1);
  });

  it('the points menu reads the catalogue at most every 5 s, but shows changes made here at once', async () => {
    await t.say('v-menu', '/start');
    const id = await customerId('v-menu');
    await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount: 100, reason: '活动' });
    const rewardButtons = async () =>
      ((await t.press('v-menu', 'loyalty')).replies[0]?.buttons ?? [])
        .map((b) => b.data)
        .filter((d) => d.startsWith('loyalty:redeem:'));
    expect(await rewardButtons()).toEqual([]);
    const gift = await rewardViaApi({ name: '帆布袋', kind: 'gift', cost: 40, stock: 1 });
    expect(await rewardButtons()).toEqual([`loyalty:redeem:${gift}`]);

    const ask = await t.press('v-menu', `loyalty:redeem:${gift}`);
    expect((await t.press('v-menu', ask.replies[0]?.buttons?.[0]?.data ?? '')).text).toContain('兑换成功');
    expect(await rewardButtons()).toEqual([]);

    // A change that bypasses this process's services (another instance) shows within the snapshot's life.
    const other = await rewardViaApi({ name: '贴纸', kind: 'gift', cost: 10, stock: 5 });
    expect(await rewardButtons()).toEqual([`loyalty:redeem:${other}`]);
    await t.app.store.repos.loyalty.updateReward(other, { active: false });
    expect(await rewardButtons()).toEqual([`loyalty:redeem:${other}`]);
    t.clock.advance(5_000);
    expect(await rewardButtons()).toEqual([]);
  });

  it('a referral deep link credits the referrer when the friend’s first order completes', async () => {
    await t.say('v-ref', '/start');
    const referrer = await customerId('v-ref');
    const invite = await t.press('v-ref', 'loyalty:invite');
    const code = /loyalty_ref-([A-Z0-9]+)/.exec(invite.text)?.[1];
    expect(code).toBeTruthy();
    const joined = await t.say('v-friend', `/start loyalty_ref-${code}`);
    expect(joined.text).toContain('已记录邀请关系');
    expect((await t.app.store.repos.customers.get(await customerId('v-friend')))?.referredById).toBe(referrer);

    const order = (orderNo: string) => ({
      orderNo,
      customer: { channel: 'webchat', externalId: 'v-friend' },
      items: [{ sku: 'A', name: 'A', qty: 1, price: 1000 }],
      total: 1000,
      status: 'completed',
    });
    await t.admin('POST', '/api/orders', order('F-1'));
    await t.admin('POST', '/api/orders', order('F-2'));
    expect(await t.app.services.loyalty.balance(referrer)).toBe(100);
  });

  it('birthday points are credited once a year, on the day', async () => {
    await t.say('v-bd', '/start');
    const id = await customerId('v-bd');
    await t.app.store.repos.customers.update(id, { birthday: '1990-03-03' });
    t.clock.set('2026-03-02T12:00:00Z');
    expect((await t.app.jobs.loyalty.runOnce(t.clock.now())).birthdays).toBe(0);
    t.clock.set('2026-03-02T17:00:00Z'); // 01:00 on 3 March in Shanghai
    expect((await t.app.jobs.loyalty.runOnce(t.clock.now())).birthdays).toBe(1);
    t.clock.set('2026-03-03T10:00:00Z');
    expect((await t.app.jobs.loyalty.runOnce(t.clock.now())).birthdays).toBe(0);
    expect(await t.app.services.loyalty.balance(id)).toBe(100);
  });

  it('tier upgrades are notified and logged; points expire once with a reminder before', async () => {
    await t.say('v-3', '/start');
    const id = await customerId('v-3');
    await t.admin('POST', '/api/orders', {
      orderNo: 'T-1',
      customer: { channel: 'webchat', externalId: 'v-3' },
      items: [{ sku: 'A', name: 'A', qty: 1, price: 60_000 }],
      total: 60_000,
      status: 'completed',
    });
    const customer = await t.app.store.repos.customers.get(id);
    expect(customer?.tier).toBe('silver');
    const log = await t.app.store.repos.interactions.forCustomer(id, 50);
    expect(log.some((i) => i.kind === 'notification' && i.text?.includes('银卡会员'))).toBe(true);
    expect(log.some((i) => i.text === 'tier normal → silver')).toBe(true);

    // Earned 2026-03-02: expires at the end of 2027 (shop time). A reminder 30 days before, once.
    t.clock.set('2027-12-05T02:00:00Z');
    expect((await t.app.jobs.loyalty.runOnce(t.clock.now())).reminded).toBe(1);
    expect((await t.app.jobs.loyalty.runOnce(t.clock.now())).reminded).toBe(0);
    t.clock.set('2028-01-02T00:00:00Z');
    const first = await t.app.jobs.loyalty.runOnce(t.clock.now());
    const second = await t.app.jobs.loyalty.runOnce(t.clock.now());
    expect(first.expired).toBe(1);
    expect(second.expired).toBe(0);
    expect(await t.app.services.loyalty.balance(id)).toBe(0);
    expect(await t.app.services.loyalty.verify()).toEqual([]);
    // Nothing earned in the last 12 months any more: back to the normal tier.
    expect((await t.app.store.repos.customers.get(id))?.tier).toBe('normal');
  });
});
