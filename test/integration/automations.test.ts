import { afterEach, beforeEach, expect, it } from 'vitest';
import { DAY } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// SQLite only: the automation triggers reuse the segment compiler and the campaign runner, which
// are covered on both providers by segments.test.ts and campaigns.test.ts.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { CAMPAIGN_TICK_MS: '0' } });
});
afterEach(async () => {
  await t.close();
});

async function drive() {
  await t.admin('POST', '/api/automations/run');
  for (let i = 0; i < 3; i++) {
    await t.app.services.campaignRunner.tick();
    await t.app.sender.drainChannel('webchat');
  }
}
const texts = async (visitor: string) =>
  (await t.app.store.repos.outbox.forChat('webchat', visitor, 0, 100))
    .filter((r) => r.purpose === 'campaign')
    .map((r) => r.text);

it('welcome is opt-in, sent once per new customer, never to those who opted out', async () => {
  await t.say('w-1', '你好', { name: '小王' });
  await t.say('w-2', '退订');
  await drive();
  expect(await texts('w-1')).toEqual([]);
  const on = await t.admin('PUT', '/api/automations/welcome', { enabled: true });
  expect(on).toMatchObject({ status: 200, body: { enabled: true } });
  await drive();
  await drive();
  expect(await texts('w-1')).toHaveLength(1);
  expect((await texts('w-1'))[0]).toContain('小王');
  expect(await texts('w-2')).toEqual([]);
  t.clock.advance(3 * DAY);
  await t.say('w-3', 'hi');
  await drive();
  expect(await texts('w-3')).toHaveLength(1);
  expect(await texts('w-1')).toHaveLength(1);
});

it('birthday greets customers whose birthday is today in the shop time zone', async () => {
  await t.admin('PUT', '/api/automations/birthday', { enabled: true, points: 100 });
  await t.say('b-1', 'hi');
  await t.say('b-2', 'hi');
  const id = async (v: string) => (await t.app.store.repos.customers.findIdentity('webchat', v))?.customerId ?? 0;
  // The test clock is 2026-03-02 12:00 in Shanghai.
  await t.admin('PATCH', `/api/customers/${await id('b-1')}`, { birthday: '1990-03-02' });
  await t.admin('PATCH', `/api/customers/${await id('b-2')}`, { birthday: '03-03' });
  await drive();
  expect(await texts('b-1')).toHaveLength(1);
  expect(await texts('b-2')).toEqual([]);
});

it('rejects an unknown automation', async () => {
  expect((await t.admin('PUT', '/api/automations/spam', { enabled: true })).status).toBe(400);
});
