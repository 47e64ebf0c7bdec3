// The Telegraf variant, for shops that already run a Telegraf bot:
//
//   const guanxi = await createApp({ config });
//   bot.command('mycommand', …);                                  // the shop's own handlers first
//   bot.use(await createTelegrafMiddleware(guanxi, bot.telegram)); // everything else goes to Guanxi
//   await guanxi.start(); bot.launch();
//
// Inbound updates feed the same pipeline; outbound replies go through the same outbox and the same
// TelegramChannel as the grammY variant, using the shop's Telegraf client to call the Bot API.
import type { Context, Middleware, Telegram } from 'telegraf';
import type { Channel } from '../contract.ts';
import type { ChannelDeps } from '../deps.ts';
import { type TelegramApi, TelegramChannel } from './channel.ts';

/** What the middleware needs from the Guanxi app (`App` from src/app.ts satisfies it). */
export interface GuanxiHost {
  addChannel(channel: Channel): Promise<void>;
  ports: { adapter: ChannelDeps };
}

/** Registers a Telegram channel backed by `telegram` with Guanxi and returns the middleware feeding it. Call before `guanxi.start()`. */
export async function createTelegrafMiddleware(
  guanxi: GuanxiHost,
  telegram: Telegram,
): Promise<Middleware<Context> & { channel: TelegramChannel }> {
  const info = await telegram.getMe();
  const api: TelegramApi = {
    sendMessage: (chatId, text, extra) => telegram.sendMessage(chatId, text, extra),
    sendPhoto: (chatId, photo, extra) =>
      telegram.sendPhoto(chatId, { source: photo.bytes, filename: photo.name }, extra),
    editMessageText: (chatId, messageId, text, extra) =>
      telegram.editMessageText(chatId, messageId, undefined, text, extra),
    answerCallbackQuery: (id, text) => telegram.answerCbQuery(id, text),
    sendChatAction: (chatId, action) => telegram.sendChatAction(chatId, action),
    async downloadFile(fileId) {
      const response = await fetch(await telegram.getFileLink(fileId));
      if (!response.ok) throw new Error(`telegram file download answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
  const channel = new TelegramChannel({
    api,
    me: { id: info.id, username: info.username },
    deps: guanxi.ports.adapter,
  });
  await guanxi.addChannel(channel);
  const middleware = async (ctx: Context, next: () => Promise<void>) => {
    const { handled } = await channel.handleUpdate(ctx.update);
    if (!handled) await next();
  };
  return Object.assign(middleware, { channel });
}
