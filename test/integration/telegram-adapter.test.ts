// Telegram specifics beyond the shared contract, against the fake Bot API: webhook secret, setWebhook,
// long callback data, answerCallbackQuery, menu edits, group threads, deep links, 429 and 403, polling.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { splitText } from '../../adapters/telegram/channel.ts';
import {
  groupIdOf,
  type TelegramHarness,
  telegramHarness,
  userOf,
  WEBHOOK_SECRET,
  WEBHOOK_URL,
} from '../contract/telegram-harness.ts';
import { describeEachProvider, postgresAvailable } from '../helpers/databases.ts';
import { BOT } from '../helpers/fake-telegram.ts';

const path = new URL(WEBHOOK_URL).pathname;

describe('telegram adapter (grammY, webhook)', () => {
  let h: TelegramHarness;
  beforeAll(async () => {
    h = await telegramHarness('sqlite', 'grammy');
  });
  afterAll(async () => {
    await h.close();
  });

  const processedCount = () => h.app.store.repos.interactions.count({});

  it('registers the webhook with its secret token', () => {
    expect(h.fake.webhook).toEqual({ url: WEBHOOK_URL, secret_token: WEBHOOK_SECRET });
  });

  it('refuses a webhook call with a wrong or missing secret: 401, nothing processed', async () => {
    const before = await processedCount();
    const update = h.fake.textUpdate({ chat: { id: userOf(1).id, type: 'private' }, from: userOf(1), text: '/start' });
    for (const headers of [{ 'x-telegram-bot-api-secret-token': 'wrong' }, {}]) {
      const response = await h.app.http.inject({ method: 'POST', url: path, headers, payload: update });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(await processedCount()).toBe(before);
    expect(await h.app.store.repos.processed.get('telegram', `u${update.update_id}`)).toBeNull();
    expect(await h.flush()).toHaveLength(0);
  });

  it('answers every button press, edits the pressed menu, and dedupes a redelivered press', async () => {
    await h.message({ user: 2, text: '/start' });
    expect(await h.flush()).toHaveLength(1);
    const before = h.fake.answeredCallbacks.length;
    const press = await h.press({ user: 2, label: '我的资料' });
    await press.replay();
    expect(h.fake.answeredCallbacks.length).toBe(before + 2);
    // Both answered in the webhook's answer (Telegram performs it), not by calls of the bot's own.
    const answers = h.fake.calls.filter((c) => c.method === 'answerCallbackQuery').slice(-2);
    expect(answers.map((c) => c.viaWebhookAnswer)).toEqual([true, true]);
    await h.flush();
    const edits = h.fake.sent.filter((m) => m.edited && m.chatId === String(userOf(2).id));
    expect(edits).toHaveLength(1);
    expect(edits[0]?.text).toContain('你的资料');
  });

  it('stores callback data over 64 bytes server-side and resolves it on press', async () => {
    const long = `profile:${'x'.repeat(80)}`;
    await h.message({ user: 3, text: '/start' });
    await h.flush();
    await h.telegram.send({
      chatId: String(userOf(3).id),
      text: 'long button',
      buttons: [{ label: 'Long', data: long }],
      outboxId: 0,
    });
    const sent = h.fake.sentTo(userOf(3).id).at(-1);
    const callbackData = sent?.buttons[0]?.callback_data ?? '';
    expect(Buffer.byteLength(callbackData)).toBeLessThanOrEqual(64);
    expect(callbackData).not.toBe(long);
    await h.press({ user: 3, label: 'Long' });
    const identity = await h.app.store.repos.customers.findIdentity('telegram', String(userOf(3).id));
    const presses = (await h.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1)).filter(
      (i) => i.kind === 'button',
    );
    expect(presses.map((i) => i.text)).toContain(long);
    await h.flush();
  });

  it('replies in the group to the customer message, and points to a deep link for private data', async () => {
    const update = h.fake.textUpdate({
      chat: { id: groupIdOf(5), type: 'supergroup', title: '群5' },
      from: userOf(5),
      text: '我的资料',
      mention: true,
    });
    await h.deliver(update);
    const out = await h.flush();
    expect(out).toHaveLength(1);
    expect(out[0]?.text).toContain(`https://t.me/${BOT.username}?start=start`);
    const raw = h.fake.sentTo(groupIdOf(5)).at(-1)?.payload;
    const message = update.message;
    const messageId =
      typeof message === 'object' && message !== null && 'message_id' in message ? message.message_id : -1;
    expect(JSON.stringify(raw?.reply_parameters)).toContain(`"message_id":${messageId}`);
  });

  it('ignores commands addressed to another bot in a group', async () => {
    await h.message({ user: 6, group: 6, text: '/start@other_bot' });
    expect(await h.flush()).toHaveLength(0);
    expect(await h.app.store.repos.customers.findIdentity('telegram', String(userOf(6).id))).toBeNull();
  });

  it('routes a deep link /start <flow>_<arg> to that flow', async () => {
    await h.message({ user: 7, text: '/start profile' });
    const out = await h.flush();
    expect(out.map((m) => m.text).join('\n')).toContain('你的资料');
  });

  it('honours 429 retry_after: the reply waits in the outbox and goes out once', async () => {
    h.fake.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      retry_after: 7,
    });
    const update = h.fake.textUpdate({ chat: { id: userOf(8).id, type: 'private' }, from: userOf(8), text: '/start' });
    await h.deliver(update);
    await h.app.sender.drainChannel('telegram');
    expect(h.fake.sentTo(userOf(8).id)).toHaveLength(0);
    const [row] = await h.app.store.repos.outbox.bySource(`telegram:u${update.update_id}`);
    expect(row?.status).toBe('queued');
    expect(row?.notBefore.getTime()).toBe(h.app.clock.now().getTime() + 7000);
    await h.flush();
    expect(h.fake.sentTo(userOf(8).id)).toHaveLength(1);
  });

  it('403 on a private send fails permanently and marks the identity unreachable until /start', async () => {
    await h.message({ user: 9, text: '/start' });
    await h.flush();
    h.fake.blockChat(userOf(9).id);
    const identity = await h.app.store.repos.customers.findIdentity('telegram', String(userOf(9).id));
    const row = await h.app.services.messaging.sendToCustomer(
      identity?.customerId ?? -1,
      { text: '订单已发货' },
      {
        purpose: 'notification',
      },
    );
    await h.flush();
    expect((await h.app.store.repos.outbox.get(row?.id ?? -1))?.status).toBe('failed');
    expect((await h.app.store.repos.customers.findIdentity('telegram', String(userOf(9).id)))?.canMessage).toBe(false);
    await h.message({ user: 9, text: '/start' });
    expect((await h.app.store.repos.customers.findIdentity('telegram', String(userOf(9).id)))?.canMessage).toBe(true);
  });

  it('lets an interceptor claim updates before the pipeline (staff group relay)', async () => {
    const staffGroup = groupIdOf(99);
    const claimed: number[] = [];
    h.telegram.intercept(async (update) => {
      if (update.message?.chat.id !== staffGroup) return false;
      claimed.push(update.update_id);
      return true;
    });
    await h.message({ user: 11, group: 99, text: '我的资料', mention: true });
    expect(claimed).toHaveLength(1);
    expect(await h.flush()).toHaveLength(0);
    expect(await h.app.store.repos.customers.findIdentity('telegram', String(userOf(11).id))).toBeNull();
  });

  it('splits text over 4096 characters, buttons on the last piece', async () => {
    const pieces = splitText(`${'甲'.repeat(3000)}\n${'乙'.repeat(3000)}`);
    expect(pieces.map((p) => p.length)).toEqual([3000, 3000]);
    await h.telegram.send({
      chatId: String(userOf(10).id),
      text: 'x'.repeat(5000),
      buttons: [{ label: 'OK', data: 'menu' }],
      outboxId: 0,
    });
    const sent = h.fake.sentTo(userOf(10).id);
    expect(sent.map((m) => m.text.length)).toEqual([4096, 904]);
    expect(sent.map((m) => m.buttons.length)).toEqual([0, 1]);
  });
});

describe.skipIf(!(await postgresAvailable()))('telegram adapter on PostgreSQL (reachability)', () => {
  it('403 marks the identity unreachable; /start through the webhook marks it reachable again', async () => {
    const h = await telegramHarness('postgresql', 'grammy');
    try {
      await h.message({ user: 9, text: '/start' });
      await h.flush();
      h.fake.blockChat(userOf(9).id);
      const identity = await h.app.store.repos.customers.findIdentity('telegram', String(userOf(9).id));
      expect(identity?.canMessage).toBe(true);
      await h.app.services.messaging.sendToCustomer(
        identity?.customerId ?? -1,
        { text: '订单已发货' },
        {
          purpose: 'notification',
        },
      );
      await h.flush();
      const reachable = async () =>
        (await h.app.store.repos.customers.findIdentity('telegram', String(userOf(9).id)))?.canMessage;
      expect(await reachable()).toBe(false);
      await h.message({ user: 9, text: '/start' });
      expect(await reachable()).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('telegram adapter (TELEGRAM_MAX_PER_SECOND)', () => {
  it('paces at 30/s with free sends by default', async () => {
    const h = await telegramHarness('sqlite', 'grammy');
    try {
      expect(h.telegram.pacing).toMatchObject({
        globalPerSecond: 30,
        privateChatIntervalMs: 1000,
        groupIntervalMs: 3000,
      });
      await h.message({ user: 1, text: '/start' });
      expect(await h.flush()).toHaveLength(1);
      expect(h.fake.sentTo(userOf(1).id)[0]?.payload.allow_paid_broadcast).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('above 30/s paces at the configured rate and sends paid broadcasts; per-chat limits stay', async () => {
    const h = await telegramHarness('sqlite', 'grammy', { TELEGRAM_MAX_PER_SECOND: '1000' });
    try {
      expect(h.telegram.pacing).toMatchObject({
        globalPerSecond: 1000,
        privateChatIntervalMs: 1000,
        groupIntervalMs: 3000,
      });
      await h.message({ user: 1, text: '/start' });
      expect(await h.flush()).toHaveLength(1);
      expect(h.fake.sentTo(userOf(1).id)[0]?.payload.allow_paid_broadcast).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describeEachProvider('telegram webhook answers (button presses)', (provider) => {
  const pressOn = async (h: TelegramHarness, user: number) => {
    await h.message({ user, text: '/start' });
    await h.flush();
    const menu = h.fake.sentTo(userOf(user).id).at(-1);
    const button = menu?.buttons.find((b) => b.text.includes('我的资料'));
    if (!menu || !button) throw new Error('no profile button');
    return h.fake.callbackUpdate(menu, userOf(user), button.callback_data);
  };
  const post = (h: TelegramHarness, update: object) =>
    h.app.http.inject({
      method: 'POST',
      url: path,
      headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      payload: update,
    });

  it('answers a press in the webhook answer, after the press is logged', async () => {
    const h = await telegramHarness(provider, 'grammy');
    try {
      const update = await pressOn(h, 1);
      const calls = h.fake.calls.length;
      const response = await post(h, update);
      expect(response.statusCode).toBe(200);
      const callback = update.callback_query;
      if (typeof callback !== 'object' || callback === null || !('id' in callback)) throw new Error('not a press');
      expect(response.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: callback.id });
      // Nothing was called for it meanwhile, and the press is already logged when Telegram gets the answer.
      expect(h.fake.calls.slice(calls).filter((c) => c.method === 'answerCallbackQuery')).toEqual([]);
      expect(await h.app.store.repos.processed.get('telegram', `u${update.update_id}`)).not.toBeNull();
      // A message (nothing to answer) gets the plain acknowledgement.
      const text = h.fake.textUpdate({ chat: { id: userOf(1).id, type: 'private' }, from: userOf(1), text: '积分' });
      expect((await post(h, text)).json()).toEqual({ ok: true });
    } finally {
      await h.close();
    }
  });

  it('answers by a call of its own when handling outlasts the budget (through grammY middleware)', async () => {
    // Middleware ahead of the pipeline, as main.ts installs the staff group relay; this one is slow.
    const h = await telegramHarness(
      provider,
      'grammy',
      {},
      {
        before: (bot) =>
          bot.use(async (_ctx, next) => {
            await new Promise((resolve) => setTimeout(resolve, 800));
            await next();
          }),
      },
    );
    try {
      const update = await pressOn(h, 2);
      const response = await post(h, update);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ok: true });
      // The call is not awaited by the webhook request.
      const answers = () => h.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
      await vi.waitFor(() => expect(answers()).toHaveLength(1), { timeout: 10_000 });
      expect(answers()[0]?.viaWebhookAnswer).toBeUndefined();
      // The press still took effect (the profile menu replaces the pressed one).
      await h.flush();
      expect(h.fake.sentTo(userOf(2).id).some((m) => m.edited && m.text.includes('你的资料'))).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('telegram adapter (Bot API unreachable)', () => {
  it('a refused connection is a send that never left: the reply stays queued for a retry', async () => {
    const h = await telegramHarness('sqlite', 'grammy');
    try {
      await h.message({ user: 1, text: '/start' });
      expect(await h.flush()).toHaveLength(1);
      // The kept-alive connection and the listener go away; the next call cannot connect.
      await h.fake.close();
      const update = h.fake.textUpdate({ chat: { id: userOf(1).id, type: 'private' }, from: userOf(1), text: '积分' });
      await h.deliver(update);
      await h.app.sender.drainChannel('telegram');
      const [row] = await h.app.store.repos.outbox.bySource(`telegram:u${update.update_id}`);
      expect(row?.status).toBe('queued');
      expect(row?.error).toContain('ECONNREFUSED');
      expect(row?.error).not.toContain(h.fake.token);
    } finally {
      await h.close();
    }
  });
});

describe('telegram adapter (grammY, long polling)', () => {
  it('receives updates by polling and replies', async () => {
    const h = await telegramHarness('sqlite', 'polling');
    try {
      await h.message({ user: 1, text: '/start' });
      const out = await h.flush();
      expect(out).toHaveLength(1);
      expect(out[0]?.text).toContain('小助手');
      expect(h.fake.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('telegram adapter (webhook on its own port)', () => {
  it('serves the webhook on TELEGRAM_WEBHOOK_PORT with the same secret check', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const h = await telegramHarness('sqlite', 'grammy', { TELEGRAM_WEBHOOK_PORT: String(port) });
    try {
      const update = h.fake.textUpdate({
        chat: { id: userOf(1).id, type: 'private' },
        from: userOf(1),
        text: '/start',
      });
      const url = `http://127.0.0.1:${port}${path}`;
      const refused = await fetch(url, {
        method: 'POST',
        body: JSON.stringify(update),
        headers: { 'content-type': 'application/json' },
      });
      expect(refused.status).toBe(401);
      const accepted = await fetch(url, {
        method: 'POST',
        body: JSON.stringify(update),
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      });
      expect(accepted.status).toBe(200);
      expect(await h.flush()).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe('telegram adapter (webhook over a real connection: the direct path)', () => {
  let h: TelegramHarness;
  let base = '';
  beforeAll(async () => {
    h = await telegramHarness('sqlite', 'grammy');
    base = await h.app.http.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await h.close();
  });
  const url = () => `${base}${path}`;
  const secret = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
  const post = (body: string, headers: Record<string, string> = secret) =>
    fetch(url(), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('handles an update and answers a button press in its answer, as the route does', async () => {
    const start = h.fake.textUpdate({ chat: { id: userOf(40).id, type: 'private' }, from: userOf(40), text: '/start' });
    const handedOver = vi.spyOn(h.app.http, 'inject');
    const accepted = await post(JSON.stringify(start));
    expect(accepted.status).toBe(200);
    expect(handedOver).not.toHaveBeenCalled();
    handedOver.mockRestore();
    expect(accepted.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // The same headers as the route's answer (security headers included).
    const routed = await h.app.http.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', ...secret },
      payload: '{"update_id": 7}',
    });
    const comparable = (headers: Array<[string, unknown]>) =>
      Object.fromEntries(headers.filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)));
    const direct: Array<[string, unknown]> = [];
    accepted.headers.forEach((value, name) => {
      direct.push([name, value]);
    });
    expect(comparable(direct)).toEqual(
      comparable(Object.entries(routed.headers).map(([name, value]) => [name, String(value)])),
    );
    expect(await accepted.json()).toEqual({ ok: true });
    expect(await h.flush()).toHaveLength(1);
    const button = { text: '👤 我的资料', callback_data: 'profile' };
    const press = {
      update_id: start.update_id + 1,
      callback_query: {
        id: 'cq-direct',
        from: { is_bot: false, ...userOf(40) },
        data: button.callback_data,
        message: {
          message_id: 1,
          date: 1_772_424_000,
          chat: { id: userOf(40).id, type: 'private' },
          text: 'menu',
          reply_markup: { inline_keyboard: [[button]] },
        },
      },
    };
    const pressed = await post(JSON.stringify(press));
    expect(pressed.status).toBe(200);
    expect(await pressed.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: 'cq-direct' });
    const identity = await h.app.store.repos.customers.findIdentity('telegram', String(userOf(40).id));
    const logged = await h.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1);
    expect(
      logged
        .filter((i) => i.direction === 'in')
        .map((i) => i.kind)
        .sort(),
    ).toEqual(['button', 'message']);
  });

  it('answers every body it does not take exactly as the Fastify route does', async () => {
    const update = (text: string) =>
      JSON.stringify(h.fake.textUpdate({ chat: { id: userOf(41).id, type: 'private' }, from: userOf(41), text }));
    // Refused on its headers: straight to Fastify; refused on its body: handed over through inject.
    const handedOver = vi.spyOn(h.app.http, 'inject');
    const cases: Array<{ body: string; headers?: Record<string, string> }> = [
      { body: update('hi'), headers: { 'x-telegram-bot-api-secret-token': 'wrong' } },
      { body: update('hi'), headers: {} },
      { body: '{"update_id": 1,' },
      { body: '[1, 2]' },
      { body: '"text"' },
      { body: '{"update_id": 5, "__proto__": {"x": 1}}' },
      { body: '{"update_id": 6, "constructor": {"prototype": {"x": 1}}}' },
      { body: update('nul \u0000 here') },
      { body: update('lone \ud800 surrogate') },
      { body: `${'['.repeat(40)}${']'.repeat(40)}` },
    ];
    for (const { body, headers } of cases) {
      const direct = await post(body, headers);
      expect(handedOver.mock.calls.length, body).toBe(headers ? 0 : 1);
      const routed = await h.app.http.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json', ...(headers ?? secret) },
        payload: body,
      });
      expect({ body, status: direct.status, answer: await direct.text() }).toEqual({
        body,
        status: routed.statusCode,
        answer: routed.body,
      });
      handedOver.mockClear();
    }
    handedOver.mockRestore();
    expect(await h.app.store.repos.customers.findIdentity('telegram', String(userOf(41).id))).toBeNull();
  });
});

describe('telegram adapter (Telegraf middleware)', () => {
  it("lets updates Guanxi does not handle fall through to the shop's own handlers", async () => {
    const h = await telegramHarness('sqlite', 'telegraf');
    try {
      const seen: string[] = [];
      h.telegraf?.on('edited_message', async () => {
        seen.push('edited');
      });
      await h.deliver({
        update_id: 900_001,
        edited_message: {
          message_id: 1,
          date: 1_772_424_000,
          edit_date: 1_772_424_001,
          chat: { id: userOf(1).id, type: 'private' },
          from: { is_bot: false, ...userOf(1) },
          text: 'edited',
        },
      });
      expect(seen).toEqual(['edited']);
      await h.message({ user: 1, text: '/start' });
      expect(await h.flush()).toHaveLength(1);
      expect(seen).toEqual(['edited']);
    } finally {
      await h.close();
    }
  });
});
