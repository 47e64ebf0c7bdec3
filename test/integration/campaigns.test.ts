import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { HOUR } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

// The runner's background loop is off (CAMPAIGN_TICK_MS=0): each test drives tick() and the sender
// by hand with a ManualClock, so every step is deterministic.
describeEachProvider('campaigns', (provider) => {
  let t: TestApp;
  const visitors = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'];

  beforeEach(async () => {
    t = await createTestApp({
      provider,
      env: { CAMPAIGN_TICK_MS: '0', CAMPAIGN_WINDOW: '2', MARKETING_WEEKLY_CAP: '2', QUIET_HOURS: '22:00-08:00' },
    });
    for (const [i, v] of visitors.entries()) await t.say(v, '你好', { name: `客户${i + 1}` });
    await t.app.sender.drainChannel('webchat');
  });
  afterEach(async () => {
    await t.close();
  });

  const runner = () => t.app.services.campaignRunner;
  /** Ticks and drains until the campaign leaves `running` (bounded, so a bug fails instead of hanging). */
  async function runToEnd(id: number): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await runner().tick();
      await t.app.sender.drainChannel('webchat');
      const campaign = await t.app.services.campaigns.get(id);
      if (campaign.status !== 'running' && campaign.status !== 'scheduled') break;
    }
    await runner().tick();
  }
  async function campaignTexts(visitor: string): Promise<string[]> {
    const rows = await t.app.store.repos.outbox.forChat('webchat', visitor, 0, 100);
    return rows.filter((r) => r.purpose === 'campaign').map((r) => r.text);
  }
  async function create(body: Record<string, unknown>) {
    const res = await t.admin('POST', '/api/campaigns', {
      name: 'spring',
      audience: { rules: { type: 'consent', optIn: true } },
      message: { text: '{name}，{tier}专享：春季上新', buttons: [{ label: '看看', action: 'menu' }] },
      channels: ['webchat'],
      ...body,
    });
    expect(res.status).toBe(201);
    return z.object({ id: z.number(), status: z.string() }).parse(res.body);
  }

  it('sends one personalised message per consenting customer and reports progress', async () => {
    const campaign = await create({});
    await runToEnd(campaign.id);
    for (const [i, v] of visitors.entries())
      expect(await campaignTexts(v)).toEqual([`客户${i + 1}，普通会员专享：春季上新`]);
    const progress = await t.admin('GET', `/api/campaigns/${campaign.id}/progress`);
    expect(progress.body).toMatchObject({ status: 'completed', total: 5, sent: 5, queued: 0, sending: 0 });
    // Running it again changes nothing: deliveries are unique per recipient.
    await runToEnd(campaign.id);
    for (const v of visitors) expect(await campaignTexts(v)).toHaveLength(1);
    const Deliveries = z.object({ deliveries: z.array(z.object({ id: z.number(), status: z.string() })) });
    const first = Deliveries.parse((await t.admin('GET', `/api/campaigns/${campaign.id}/deliveries?take=3`)).body);
    expect(first.deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
    const after = first.deliveries.at(-1)?.id;
    const rest = Deliveries.parse(
      (await t.admin('GET', `/api/campaigns/${campaign.id}/deliveries?after=${after}`)).body,
    );
    expect(rest.deliveries).toHaveLength(2);
    expect((await t.admin('GET', '/api/campaigns/999999/deliveries')).status).toBe(404);
  });

  /** 23:00 in Shanghai: campaign messages wait in the outbox for quiet hours to end. */
  const quiet = () => t.clock.set('2026-03-02T15:00:00Z');
  const morning = () => t.clock.set('2026-03-03T01:00:00Z');

  it('honours 退订 mid-campaign, both for queued deliveries and for messages already waiting in the outbox', async () => {
    const campaign = await create({});
    quiet();
    await runner().tick(); // window 2: c-1 and c-2 are in the outbox, waiting out quiet hours
    await t.app.sender.drainChannel('webchat');
    expect(await campaignTexts('c-1')).toEqual([]);
    await t.say('c-1', '退订');
    await t.say('c-4', 'stop');
    morning();
    await runToEnd(campaign.id);
    expect(await campaignTexts('c-1')).toEqual([]);
    expect(await campaignTexts('c-4')).toEqual([]);
    for (const v of ['c-2', 'c-3', 'c-5']) expect(await campaignTexts(v)).toHaveLength(1);
    const progress = await t.admin('GET', `/api/campaigns/${campaign.id}/progress`);
    expect(progress.body).toMatchObject({ sent: 3, skipped: 2 });
    // …and by every later campaign.
    const later = await create({ audience: { rules: { type: 'channel', channel: 'webchat' } } });
    await runToEnd(later.id);
    expect(await campaignTexts('c-1')).toEqual([]);
    expect(await t.admin('GET', `/api/campaigns/${later.id}/progress`)).toMatchObject({
      body: { sent: 3, skipped: 2, reasons: [{ status: 'skipped', reason: 'opted_out', count: 2 }] },
    });
  });

  it('caps marketing messages per customer per week', async () => {
    for (let i = 0; i < 3; i++) {
      const campaign = await create({ name: `c${i}` });
      await runToEnd(campaign.id);
      t.clock.advance(HOUR);
    }
    expect(await campaignTexts('c-3')).toHaveLength(2);
    t.clock.advance(8 * 24 * HOUR);
    const fourth = await create({ name: 'next week' });
    await runToEnd(fourth.id);
    expect(await campaignTexts('c-3')).toHaveLength(3);
  });

  it('pause withdraws waiting messages, resume finishes without sending anyone twice, cancel skips the rest', async () => {
    const campaign = await create({});
    quiet();
    await runner().tick();
    await t.app.sender.drainChannel('webchat');
    const paused = await t.admin('POST', `/api/campaigns/${campaign.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused' });
    morning();
    await t.app.sender.drainChannel('webchat');
    await runner().tick();
    for (const v of visitors) expect(await campaignTexts(v)).toEqual([]);
    expect((await t.admin('POST', `/api/campaigns/${campaign.id}/pause`)).status).toBe(409);
    await t.admin('POST', `/api/campaigns/${campaign.id}/resume`);
    await runner().tick();
    await t.app.sender.drainChannel('webchat');
    await t.admin('POST', `/api/campaigns/${campaign.id}/cancel`);
    await runToEnd(campaign.id);
    const sent = (await Promise.all(visitors.map(campaignTexts))).map((x) => x.length);
    expect(sent).toEqual([1, 1, 0, 0, 0]);
    expect((await t.admin('GET', `/api/campaigns/${campaign.id}/progress`)).body).toMatchObject({
      status: 'cancelled',
      sent: 2,
      skipped: 3,
    });
  });

  it('schedules at a time and recurring by cron in the shop time zone', async () => {
    const at = await create({ schedule: { kind: 'at', at: '2026-03-02T06:00:00Z' } });
    // 12:00 Shanghai daily = 04:00Z; the clock starts at 04:00Z, so the first run is tomorrow.
    const daily = await create({ name: 'daily', schedule: { kind: 'cron', cron: '0 12 * * *' } });
    await runToEnd(at.id);
    expect(await campaignTexts('c-1')).toEqual([]);
    t.clock.set('2026-03-02T06:00:00Z');
    await runToEnd(at.id);
    expect(await campaignTexts('c-1')).toHaveLength(1);
    t.clock.set('2026-03-09T04:00:30Z');
    await runToEnd(daily.id);
    const campaign = await t.app.services.campaigns.get(daily.id);
    expect(campaign.status).toBe('scheduled');
    // Missed runs are not caught up one by one: only the latest due run is sent.
    expect(campaign.lastRunKey).toBe('2026-03-09T04:00:00.000Z');
    expect(await campaignTexts('c-1')).toHaveLength(2);
    t.clock.set('2026-03-17T04:01:00Z');
    await runToEnd(daily.id);
    expect(await campaignTexts('c-1')).toHaveLength(3);
  });

  it('rejects bad input with a 400 and no campaign', async () => {
    const bad = await t.admin('POST', '/api/campaigns', {
      name: 'x',
      audience: { rules: { type: 'tier', in: ['platinum'] } },
      message: { text: 'hi' },
      channels: ['webchat'],
    });
    expect(bad.status).toBe(400);
    const cron = await t.admin('POST', '/api/campaigns', {
      name: 'x',
      audience: { rules: { type: 'consent', optIn: true } },
      message: { text: 'hi' },
      channels: ['webchat'],
      schedule: { kind: 'cron', cron: 'every day at noon' },
    });
    expect(cron.status).toBe(400);
    expect((await t.admin('GET', '/api/campaigns')).body).toEqual({ campaigns: [] });
  });

  it('counts clicks, replies, opt-outs and attributed orders', async () => {
    const campaign = await create({});
    await runToEnd(campaign.id);
    const delivery = (await t.app.store.repos.campaigns.deliveries(campaign.id, { take: 10, afterId: 0 })).find(
      (d) => d.target === 'c-2',
    );
    t.clock.advance(HOUR);
    await t.press('c-2', `campaign:${delivery?.id}:0`, '看看');
    await t.press('c-2', `campaign:${delivery?.id}:0`, '看看');
    await t.say('c-3', '有优惠吗');
    await t.say('c-5', '退订');
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'A-1',
      customer: { channel: 'webchat', externalId: 'c-2' },
      items: [{ sku: 'SKU1', name: '春装', qty: 1, price: 19900 }],
      total: 19900,
      status: 'paid',
      placedAt: t.clock.now().toISOString(),
    });
    expect(order.status).toBe(200);
    const results = await t.admin('GET', `/api/campaigns/${campaign.id}/results`);
    expect(results.body).toMatchObject({
      delivered: 5,
      clicked: 1,
      replied: 3,
      optedOut: 1,
      orders: 1,
      revenue: 19900,
    });
  });
});
