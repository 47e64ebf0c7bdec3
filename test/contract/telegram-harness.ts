// Drives the Telegram adapters for the contract suite: a fake Bot API records what the bot sends;
// updates arrive through the webhook route (grammY) or Telegraf's own handleUpdate.
import { Telegraf } from 'telegraf';
import {
  createTelegrafMiddleware,
  createTelegramChannel,
  type GrammyOptions,
  type TelegramChannel,
} from '../../adapters/telegram/index.ts';
import type { App } from '../../src/app.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Provider } from '../helpers/databases.ts';
import { FakeTelegram, type FakeUser } from '../helpers/fake-telegram.ts';
import type { ContractHarness, Outgoing } from './channel-contract.ts';

export const WEBHOOK_URL = 'https://shop.example.com/telegram/webhook';
export const WEBHOOK_SECRET = 'test-secret_123';

export const userOf = (n: number): FakeUser => ({ id: 5000 + n, first_name: `用户${n}` });
export const groupIdOf = (n: number) => -1_001_000_000_000 - n;

export interface TelegramHarness extends ContractHarness {
  fake: FakeTelegram;
  test: TestApp;
  telegram: TelegramChannel;
  /** The host Telegraf bot (telegraf variant only), for the shop's own handlers. */
  telegraf: Telegraf | undefined;
  deliver(update: Record<string, unknown>): Promise<void>;
}

/**
 * `grammy`: updates through the webhook route; `polling`: grammY long-polls the fake; `telegraf`: the
 * middleware. `before`: grammY middleware ahead of the customer pipeline (as main.ts installs the staff group).
 */
export async function telegramHarness(
  provider: Provider,
  variant: 'grammy' | 'polling' | 'telegraf',
  extraEnv: Record<string, string> = {},
  grammy: Pick<GrammyOptions, 'before'> = {},
): Promise<TelegramHarness> {
  const fake = await FakeTelegram.start();
  let deliver: (update: Record<string, unknown>) => Promise<void> = async () => {};
  let telegramChannel: TelegramChannel | undefined;
  let telegraf: Telegraf | undefined;
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...(variant === 'grammy' ? { TELEGRAM_WEBHOOK_URL: WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET } : {}),
    ...extraEnv,
  };
  const test = await createTestApp({
    provider,
    env,
    beforeStart: async (app: App) => {
      if (variant === 'polling') {
        const telegram = app.config.telegram;
        if (!telegram) throw new Error('telegram config missing');
        const runtime = await createTelegramChannel(telegram, app.ports.adapter, {
          maxRetryDelaySeconds: 0,
        });
        telegramChannel = runtime.channel;
        await app.addChannel(runtime.channel);
        deliver = async (update) => {
          fake.push({ ...update, update_id: Number(update.update_id) });
          await fake.consumed(Number(update.update_id));
        };
      } else if (variant === 'grammy') {
        const telegram = app.config.telegram;
        if (!telegram) throw new Error('telegram config missing');
        const runtime = await createTelegramChannel(telegram, app.ports.adapter, {
          maxRetryDelaySeconds: 0,
          host: '127.0.0.1',
          ...grammy,
        });
        telegramChannel = runtime.channel;
        runtime.mount();
        await app.addChannel(runtime.channel);
        deliver = async (update) => {
          const response = await app.http.inject({
            method: 'POST',
            url: new URL(WEBHOOK_URL).pathname,
            headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
            payload: update,
          });
          if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}: ${response.body}`);
          // As Telegram does: a Bot API method in the answer is performed.
          await fake.webhookAnswer(response.json());
        };
      } else {
        const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
        telegraf = bot;
        const middleware = await createTelegrafMiddleware(app, bot.telegram);
        telegramChannel = middleware.channel;
        bot.use(middleware);
        // The wire form, exactly as Telegraf receives it from polling or its webhook.
        deliver = (update) => bot.handleUpdate(JSON.parse(JSON.stringify(update)));
      }
    },
  });
  const { app, clock } = test;
  if (!telegramChannel) throw new Error('telegram channel not created');
  const telegram = telegramChannel;
  let seen = 0;
  const once = async (update: Record<string, unknown>) => {
    await deliver(update);
    return { replay: () => deliver(update) };
  };
  const chatOf = (user: number, group?: number) =>
    group === undefined
      ? { id: userOf(user).id, type: 'private' as const }
      : { id: groupIdOf(group), type: 'supergroup' as const, title: `群${group}` };
  return {
    app,
    fake,
    test,
    telegram,
    telegraf,
    deliver,
    channel: 'telegram',
    message: ({ user, group, text, mention }) =>
      once(fake.textUpdate({ chat: chatOf(user, group), from: userOf(user), text, ...(mention ? { mention } : {}) })),
    attachment: ({ user }) =>
      once(
        fake.textUpdate({
          chat: chatOf(user),
          from: userOf(user),
          extra: { sticker: { file_id: 'CAACAgIAAxk', emoji: '😀', width: 512, height: 512, is_animated: false } },
        }),
      ),
    press: ({ user, group, label }) => {
      const chatId = String(chatOf(user, group).id);
      const message = fake
        .sentTo(chatId)
        .reverse()
        .find((m) => m.buttons.some((b) => b.text.includes(label)));
      const button = message?.buttons.find((b) => b.text.includes(label));
      if (!message || !button) throw new Error(`no button "${label}" in chat ${chatId}`);
      return once(fake.callbackUpdate(message, userOf(user), button.callback_data));
    },
    async flush(): Promise<Outgoing[]> {
      for (let round = 0; round < 4; round++) {
        await app.sender.drainChannel('telegram');
        clock.advance(5000);
      }
      const fresh = fake.sent.slice(seen);
      seen = fake.sent.length;
      return fresh.map((m) => ({
        chatId: m.chatId,
        text: m.text,
        buttons: m.buttons.map((b) => b.text),
        ...(m.photo ? { photo: m.photo } : {}),
      }));
    },
    privateChatId: (user) => String(userOf(user).id),
    groupChatId: (group) => String(groupIdOf(group)),
    senderId: (user) => String(userOf(user).id),
    async close() {
      await test.close();
      await fake.close();
    },
  };
}
