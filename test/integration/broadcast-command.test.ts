import { afterEach, beforeEach, expect, it } from 'vitest';
import { Button, type Inbound } from '../../src/domain/messages.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// The Telegram adapter lives on another branch: these messages enter the pipeline as the adapter
// would hand them over (neutral Inbound), and replies are read from the outbox.
let t: TestApp;
let seq = 0;
beforeEach(async () => {
  t = await createTestApp({
    env: { CAMPAIGN_TICK_MS: '0', TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_ADMIN_IDS: '4242' },
  });
});
afterEach(async () => {
  await t.close();
});

async function tg(from: string, text: string, action?: string) {
  const inbound: Inbound = {
    channel: 'telegram',
    messageId: `m${++seq}`,
    at: t.clock.now(),
    chat: { id: from, kind: 'private' },
    sender: { id: from, name: `u${from}` },
    text,
    mentionsBot: false,
    ...(action ? { action: { data: action } } : {}),
  };
  const result = await t.app.pipeline.handle(inbound);
  const rows = await Promise.all(result.outboxIds.map((id) => t.app.store.repos.outbox.get(id)));
  return rows.flatMap((r) => {
    const buttons = Button.array().safeParse(r?.buttons ?? []);
    return r ? [{ text: r.text, buttons: buttons.success ? buttons.data : [] }] : [];
  });
}

it('guides an admin through audience, text, preview and confirm; the campaign then starts', async () => {
  await t.say('w-1', 'hi', { name: '小李' });
  await t.say('w-2', 'hi');
  const menu = await tg('4242', '/broadcast');
  expect(menu[0]?.buttons.map((b) => b.data)).toEqual(['broadcast:to:all', 'broadcast:to:dormant']);
  await tg('4242', '所有订阅客户', 'broadcast:to:all');
  const preview = await tg('4242', '{name}，周末全场八折');
  // The admin's own Telegram profile counts too: three customers have consent.
  expect(preview[0]?.text).toContain('3');
  const confirm = preview[0]?.buttons[0]?.data ?? '';
  expect(confirm).toMatch(/^broadcast:confirm:\d+$/);
  const id = Number(confirm.split(':')[2]);
  expect((await t.app.services.campaigns.get(id)).status).toBe('draft');
  await tg('4242', '确认发送', confirm);
  expect((await t.app.services.campaigns.get(id)).status).toBe('scheduled');
  await t.app.services.campaignRunner.tick();
  await t.app.sender.drainChannel('webchat');
  const rows = await t.app.store.repos.outbox.forChat('webchat', 'w-1', 0, 50);
  expect(rows.filter((r) => r.purpose === 'campaign').map((r) => r.text)).toEqual(['小李，周末全场八折']);
});

it('refuses anyone who is not a configured Telegram admin', async () => {
  const replies = await tg('999', '/broadcast');
  expect(replies[0]?.text).toContain('管理员');
  expect(await t.app.services.campaigns.list()).toEqual([]);
});

it('takes a second audience button while waiting for the text as a new choice, not as the message', async () => {
  await t.say('w-1', 'hi');
  await tg('4242', '/broadcast');
  await tg('4242', '所有订阅客户', 'broadcast:to:all');
  const again = await tg('4242', '沉睡客户', 'broadcast:to:dormant');
  expect(again[0]?.text).toContain('请输入要群发的内容');
  // Nobody is dormant yet: the broadcast to that audience stops before any draft is saved.
  const preview = await tg('4242', '老朋友，好久不见');
  expect(preview[0]?.text).toContain('没有符合条件的客户');
  expect(await t.app.services.campaigns.list()).toEqual([]);
});
