// Telegram with grammY: long polling by default, a webhook when TELEGRAM_WEBHOOK_URL is set.
// main.ts calls `createTelegramChannel(config.telegram, app.ports.adapter)`, mounts the webhook on the
// main HTTP server and registers the channel with the app.
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, InputFile } from 'grammy';
import type { Update } from 'grammy/types';
import type { ChannelDeps } from '../deps.ts';
import { botApiFetch } from './bot-api-fetch.ts';
import { type TelegramApi, TelegramChannel } from './channel.ts';
import { type CallbackAnswer, telegramWebhook } from './webhook.ts';

export type { TelegramApi, UpdateInterceptor } from './channel.ts';
export { TelegramChannel, telegramPacing } from './channel.ts';
export { createTelegrafMiddleware } from './telegraf.ts';

/** The Telegram settings (TELEGRAM_* in src/config.ts) the channel needs. */
export interface TelegramConfig {
  token: string;
  /** A self-hosted Bot API server. */
  apiRoot?: string | undefined;
  /** Served on the main HTTP server at the URL's path; also on `port` when set (a separate listener). */
  webhook?: { url: string; secret: string; port?: number | undefined } | undefined;
  /** TELEGRAM_MAX_PER_SECOND: above 30, sends are paid broadcasts (`allow_paid_broadcast`). */
  maxPerSecond?: number | undefined;
}

export interface GrammyOptions {
  /** 429s asking to wait up to this long are retried inside grammY; longer waits go back to the outbox. */
  maxRetryDelaySeconds?: number;
  /** Host for the separate webhook listener (TELEGRAM_WEBHOOK_PORT). */
  host?: string;
  /**
   * Middleware installed before the customer pipeline (the staff group relay): it sees every update
   * first, from polling and webhook alike, and passes on what is not its own.
   */
  before?: (bot: Bot) => void;
}

/** Just enough of a check to hand a webhook body to grammY, which reads only the parts it knows. */
function isUpdate(value: unknown): value is Update {
  return typeof value === 'object' && value !== null && 'update_id' in value && typeof value.update_id === 'number';
}

export interface TelegramRuntime {
  channel: TelegramChannel;
  /** The grammY bot, for features that talk to Telegram outside the customer pipeline (staff group relay). */
  bot: Bot;
  /** Mounts the webhook route on the main HTTP server; a no-op in polling mode. Call before listen. */
  mount(): void;
  /** Sends straight to a chat, bypassing the outbox (staff group notices); buttons as for customers. */
  sendToChat(chatId: string, text: string, buttons?: Array<{ label: string; data: string }>): Promise<number>;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export async function createTelegramChannel(
  config: TelegramConfig,
  deps: ChannelDeps,
  options: GrammyOptions = {},
): Promise<TelegramRuntime> {
  const fetchBotApi = botApiFetch();
  const bot = new Bot(config.token, {
    client: { ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}), fetch: fetchBotApi },
  });
  // No client-side throttler: the outbox Pacer already spaces every customer send (TELEGRAM_MAX_PER_SECOND,
  // 1/s per chat, 20/min per group); a second queue in front of the Bot API only delayed the
  // answerCallbackQuery inside each webhook request. A 429 is still honoured (below, then by the outbox).
  bot.api.config.use(
    autoRetry({
      maxDelaySeconds: options.maxRetryDelaySeconds ?? 5,
      maxRetryAttempts: 3,
      // A network error or 5xx on sendMessage may have delivered the message: never retry blindly.
      rethrowHttpErrors: true,
      rethrowInternalServerErrors: true,
    }),
  );
  await bot.init();
  const me = { id: bot.botInfo.id, username: bot.botInfo.username };
  const api: TelegramApi = {
    sendMessage: (chatId, text, extra) => bot.api.sendMessage(chatId, text, extra),
    sendPhoto: (chatId, photo, extra) => bot.api.sendPhoto(chatId, new InputFile(photo.bytes, photo.name), extra),
    editMessageText: (chatId, messageId, text, extra) => bot.api.editMessageText(chatId, messageId, text, extra),
    answerCallbackQuery: (id, text) => bot.api.answerCallbackQuery(id, text ? { text } : {}),
    sendChatAction: (chatId, action) => bot.api.sendChatAction(chatId, action),
    async downloadFile(fileId) {
      const file = await bot.api.getFile(fileId);
      if (!file.file_path) throw new Error('telegram returned no file path');
      const root = config.apiRoot ?? 'https://api.telegram.org';
      const response = await fetch(`${root}/file/bot${config.token}/${file.file_path}`);
      if (!response.ok) throw new Error(`telegram file download answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
  const webhook = config.webhook;
  let polling: Promise<void> | null = null;
  let separate: { close(): Promise<void> } | null = null;
  const channel: TelegramChannel = new TelegramChannel({
    api,
    me,
    deps,
    ...(config.maxPerSecond ? { maxPerSecond: config.maxPerSecond } : {}),
    lifecycle: {
      async start() {
        if (webhook) {
          await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ALLOWED_UPDATES });
          if (webhook.port) {
            separate = await deps.webhooks.listen(endpoint(webhook), {
              host: options.host ?? '0.0.0.0',
              port: webhook.port,
            });
          }
          deps.log.info({ url: webhook.url, port: webhook.port }, 'telegram webhook registered');
          return;
        }
        polling = bot
          .start({
            allowed_updates: ALLOWED_UPDATES,
            onStart: () => deps.log.info({ bot: me.username }, 'telegram polling'),
          })
          .catch((error: unknown) => deps.log.error({ err: error }, 'telegram polling stopped'));
      },
      async stop() {
        if (polling) {
          await bot.stop();
          await polling;
          polling = null;
        }
        await separate?.close();
        separate = null;
        fetchBotApi.close();
      },
    },
  });
  options.before?.(bot);
  // The webhook's callback answer, for updates that reach the channel through grammY's middleware.
  const callbackAnswers = new WeakMap<object, CallbackAnswer>();
  bot.use(async (ctx) => {
    await channel.handleUpdate(ctx.update, callbackAnswers.get(ctx.update));
  });
  bot.catch((error) =>
    deps.log.error({ err: error.error, update: error.ctx.update.update_id }, 'telegram update failed'),
  );
  function endpoint(settings: { url: string; secret: string }) {
    return telegramWebhook({
      ...settings,
      // With middleware before the customer pipeline (the staff group), through the bot so that it sees
      // webhook updates too. Otherwise straight to the channel: grammY's context and middleware chain
      // add nothing there (issue 13), and a failure answers 500 so that Telegram redelivers. Malformed
      // bodies go to the channel, which validates and drops them.
      onUpdate: async (update, answer) => {
        if (options.before && isUpdate(update)) {
          callbackAnswers.set(update, answer);
          await bot.handleUpdate(update);
        } else {
          await channel.handleUpdate(update, answer);
        }
      },
      answerNow: (callbackQueryId) => channel.answerCallback(callbackQueryId),
    });
  }
  return {
    channel,
    bot,
    mount() {
      if (webhook) deps.webhooks.mount(endpoint(webhook));
    },
    async sendToChat(chatId, text, buttons) {
      const markup = buttons?.length ? await channel.keyboard(buttons) : undefined;
      const sent = await bot.api.sendMessage(chatId, text, markup ? { reply_markup: markup } : {});
      return sent.message_id;
    },
  };
}
