// Binding across two channels: a code asked for in the web chat, typed in Telegram (through the
// webhook, against the fake Bot API), makes one profile; both chats get a confirmation.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachProvider } from '../helpers/databases.ts';
import { type TelegramHarness, telegramHarness, userOf } from './telegram-harness.ts';

const MINUTE = 60_000;

describeEachProvider('binding codes (webchat + Telegram)', (provider) => {
  let h: TelegramHarness;
  beforeEach(async () => {
    h = await telegramHarness(provider, 'grammy');
  });
  afterEach(async () => {
    await h.close();
  });

  const customerOf = async (channel: 'webchat' | 'telegram', externalId: string) =>
    (await h.app.store.repos.customers.findIdentity(channel, externalId))?.customerId;

  async function codeFor(visitor: string): Promise<string> {
    const asked = await h.test.say(visitor, '绑定');
    const code = /(\d{6})/.exec(asked.text)?.[1];
    expect(asked.text).toContain('分钟内有效');
    if (!code) throw new Error(`no code in: ${asked.text}`);
    return code;
  }

  async function webchatTexts(visitor: string): Promise<string[]> {
    await h.app.sender.drainChannel('webchat');
    return (await h.app.store.repos.outbox.forChat('webchat', visitor, 0, 200)).map((row) => row.text);
  }

  it('a code from the web chat typed in Telegram links both into one profile, confirmed in both chats', async () => {
    await h.test.say('v-bind', '/start');
    await h.message({ user: 1, text: '/start' });
    await h.flush();
    const tg = String(userOf(1).id);
    const web = await customerOf('webchat', 'v-bind');
    const telegram = await customerOf('telegram', tg);
    expect(web).not.toBe(telegram);
    const order = await h.test.admin('POST', '/api/orders', {
      orderNo: 'B-1',
      customer: { channel: 'webchat', externalId: 'v-bind' },
      items: [{ sku: 'S', name: '杯子', qty: 1, price: 9900 }],
      total: 9900,
      status: 'paid',
    });
    expect(order.status).toBe(200);

    const code = await codeFor('v-bind');
    await h.message({ user: 1, text: `绑定 ${code}` });
    const sent = await h.flush();
    expect(sent.map((m) => m.text).join('\n')).toContain('绑定成功');
    expect(await webchatTexts('v-bind')).toEqual(
      expect.arrayContaining([expect.stringContaining('这个聊天已与你在Telegram的账户合并')]),
    );

    const survivor = await customerOf('telegram', tg);
    expect(survivor).toBe(telegram);
    expect(await customerOf('webchat', 'v-bind')).toBe(telegram);
    const profile = await h.test.admin('GET', `/api/customers/${telegram}`);
    expect(profile.body).toMatchObject({ orderCount: 1, totalSpent: 9900 });
    const audit = await h.app.store.repos.audit.forEntity('customer', String(telegram));
    expect(audit.find((e) => e.action === 'customer.merge')).toMatchObject({
      actorType: 'customer',
      actorId: String(telegram),
      details: expect.objectContaining({ reason: 'binding', sourceId: web, targetId: telegram }),
    });

    // Single use: the same code again, from anyone, is just "invalid".
    await h.test.say('v-late', '你好');
    const again = await h.test.say('v-late', `绑定 ${code}`);
    expect(again.text).toContain('绑定码无效或已过期');
    expect(await customerOf('webchat', 'v-late')).not.toBe(telegram);
    // Asking from the profile that already owns both chats.
    const own = await codeFor('v-bind');
    await h.message({ user: 1, text: `link ${own}` });
    expect((await h.flush()).map((m) => m.text).join('\n')).toMatch(
      /这两个聊天已经是同一个账户|already belong to one account/,
    );
  });

  it('codes expire after ten minutes, and wrong guesses are limited without revealing anything', async () => {
    await h.test.say('v-old', '/start');
    const code = await codeFor('v-old');
    h.test.clock.advance(11 * MINUTE);
    await h.message({ user: 2, text: `绑定 ${code}` });
    expect((await h.flush()).map((m) => m.text).join('\n')).toContain('绑定码无效或已过期');

    const fresh = await codeFor('v-old');
    const wrong = fresh === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) {
      expect((await h.test.say('v-guess', `绑定 ${wrong}`)).text).toContain('绑定码无效或已过期');
    }
    // The fifth wrong guess is still "invalid"; after it even the right code is refused.
    expect((await h.test.say('v-guess', `绑定 ${wrong}`)).text).toContain('绑定码无效或已过期');
    expect((await h.test.say('v-guess', `绑定 ${fresh}`)).text).toContain('操作太频繁');
    expect(await customerOf('webchat', 'v-guess')).not.toBe(await customerOf('webchat', 'v-old'));
    // An hour later the guesser may try again, with a fresh code.
    h.test.clock.advance(61 * MINUTE);
    const last = await codeFor('v-old');
    expect((await h.test.say('v-guess', `link ${last}`)).text).toMatch(/绑定成功|Linked/);
    expect(await customerOf('webchat', 'v-old')).toBe(await customerOf('webchat', 'v-guess'));
  });
});
