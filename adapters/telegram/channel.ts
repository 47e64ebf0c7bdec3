// The Telegram Channel, independent of the client library: grammY and Telegraf each provide a
// `TelegramApi` (three Bot API calls); errors of either are classified by one function (errors.ts).
// Everything Telegram-specific about Guanxi lives here: keyboards and long callback data, edits of
// pressed menus, replies in the same group thread, 429/403 handling, deep links.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Attachment, Button, Inbound } from '../../src/domain/messages.ts';
import type { Channel, HandleResult, InboundHandler, OutboundMessage, PacingPolicy, SendResult } from '../contract.ts';
import { photoFileName, SendError } from '../contract.ts';
import type { ChannelDeps } from '../deps.ts';
import { classifyTelegramError } from './errors.ts';
import { type BotIdentity, parseUpdate, type ReplyAnchor, TelegramUpdate } from './update.ts';
import type { CallbackAnswer } from './webhook.ts';

/** Telegram's documented limits: ~30 messages/s overall, 1/s per private chat, 20/min per group. */
export const telegramPacing: PacingPolicy = {
  globalPerSecond: 30,
  privateChatIntervalMs: 1000,
  groupIntervalMs: 3000,
};

/** The free broadcast limit; a higher TELEGRAM_MAX_PER_SECOND (up to 1,000) sends paid broadcasts. */
export const TELEGRAM_FREE_PER_SECOND = 30;

export const TELEGRAM_TEXT_LIMIT = 4096;
/** A photo's caption; longer text follows the photo as its own message. */
export const TELEGRAM_CAPTION_LIMIT = 1024;
const CALLBACK_DATA_LIMIT = 64;
/** Callback data starting with this is a key into the ButtonPayload table. */
const KEY_PREFIX = '~';

export interface InlineKeyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
}

export interface SendExtra {
  reply_markup?: InlineKeyboard;
  message_thread_id?: number;
  reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
  /** Set on every send when the shop raised the limit above 30/s: Telegram charges Stars per message over it. */
  allow_paid_broadcast?: boolean;
}

/** A photo to upload with sendPhoto (multipart: the file itself, not a URL or file_id). */
export interface PhotoUpload {
  bytes: Buffer;
  /** The file name Telegram is given. */
  name: string;
}

/** The few Bot API calls Guanxi makes; each library variant adapts its client to this. */
export interface TelegramApi {
  sendMessage(chatId: string, text: string, extra: SendExtra): Promise<{ message_id: number }>;
  sendPhoto(
    chatId: string,
    photo: PhotoUpload,
    extra: SendExtra & { caption?: string },
  ): Promise<{ message_id: number }>;
  editMessageText(chatId: string, messageId: number, text: string, extra: SendExtra): Promise<unknown>;
  answerCallbackQuery(callbackQueryId: string, text?: string): Promise<unknown>;
  /** Shows "typing…" in the chat for about five seconds (or until the bot sends a message). */
  sendChatAction(chatId: string, action: 'typing'): Promise<unknown>;
  /** The bytes of a file users sent (getFile, then the file URL); absent: photos are logged without the file. */
  downloadFile?(fileId: string): Promise<Uint8Array>;
}

/** A photo as Telegram sends it: several sizes of one image. */
const PhotoSizes = z.array(
  z.object({ file_id: z.string().min(1), width: z.number(), height: z.number(), file_size: z.number().optional() }),
);

/** Sees every raw update first; returns true to claim it (e.g. the staff group relay). */
export type UpdateInterceptor = (update: TelegramUpdate) => Promise<boolean>;

export interface TelegramChannelOptions {
  api: TelegramApi;
  me: BotIdentity;
  deps: ChannelDeps;
  /** Starts/stops receiving (polling or webhook registration); absent when the host bot receives (Telegraf). */
  lifecycle?: { start(): Promise<void>; stop(): Promise<void> };
  /** Messages per second across all chats (TELEGRAM_MAX_PER_SECOND, default 30). */
  maxPerSecond?: number;
}

interface Anchored {
  anchor: ReplyAnchor;
  /** A pressed menu: the first reply with buttons replaces it instead of posting a new message. */
  editable: boolean;
}

const MAX_ANCHORS = 10_000;

export class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;
  readonly pacing: PacingPolicy;
  readonly sendsImages = true;
  private readonly paidBroadcast: boolean;
  private handler: InboundHandler | null = null;
  private readonly interceptors: UpdateInterceptor[] = [];
  // In memory on purpose: after a restart a reply is simply posted as a new message.
  private readonly anchors = new Map<string, Anchored>();

  constructor(private readonly options: TelegramChannelOptions) {
    const perSecond = options.maxPerSecond ?? TELEGRAM_FREE_PER_SECOND;
    this.pacing = { ...telegramPacing, globalPerSecond: perSecond };
    this.paidBroadcast = perSecond > TELEGRAM_FREE_PER_SECOND;
  }

  get me(): BotIdentity {
    return this.options.me;
  }

  get api(): TelegramApi {
    return this.options.api;
  }

  intercept(interceptor: UpdateInterceptor): void {
    this.interceptors.push(interceptor);
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    await this.options.lifecycle?.start();
  }

  async stop(): Promise<void> {
    await this.options.lifecycle?.stop();
    this.handler = null;
  }

  privateChatLink(payload: string): string {
    return `https://t.me/${this.options.me.username}?start=${encodeURIComponent(payload)}`;
  }

  /**
   * One raw update from polling, the webhook or a Telegraf bot. `handled: false` lets a host bot continue.
   * From the webhook, `callbackAnswer` carries a button press's answer in the webhook's answer.
   */
  async handleUpdate(
    raw: unknown,
    callbackAnswer?: CallbackAnswer,
  ): Promise<{ handled: boolean; result?: HandleResult }> {
    const { log, clock } = this.options.deps;
    const checked = TelegramUpdate.safeParse(raw);
    if (!checked.success) {
      log.warn({ issues: checked.error.issues.slice(0, 3).map((i) => i.message) }, 'malformed telegram update dropped');
      return { handled: false };
    }
    for (const interceptor of this.interceptors) if (await interceptor(checked.data)) return { handled: true };
    if (!this.handler) throw new Error('telegram channel is not started');
    const update = parseUpdate(checked.data, this.options.me, clock.now());
    if (update.kind === 'ignored') {
      if (update.callbackId) await this.answerPress(update.callbackId, callbackAnswer);
      return { handled: false };
    }
    let inbound: Inbound;
    if (update.kind === 'callback') {
      // Answer first so the button stops spinning even if a flow is slow (from the webhook: in its
      // answer, or by a call once the handling outlasts the budget).
      await this.answerPress(update.callbackId, callbackAnswer);
      const data = await this.resolveCallbackData(update.data);
      if (!data) {
        log.info({ data: update.data }, 'telegram button with unknown payload key ignored');
        return { handled: true };
      }
      inbound = { ...update.inbound, action: { data } };
    } else {
      const photos = await this.savePhoto(checked.data.message?.photo, update.inbound.sender.id);
      inbound = photos.length ? { ...update.inbound, attachments: photos } : update.inbound;
    }
    if (update.anchor) this.remember(`telegram:${inbound.messageId}`, update.anchor, update.kind === 'callback');
    // Shop owners find their staff group's id here (LOG_LEVEL=debug).
    if (inbound.chat.kind === 'group')
      log.debug({ chatId: inbound.chat.id, title: inbound.chat.title }, 'telegram group message');
    const result = await this.handler(inbound);
    if (inbound.chat.kind === 'private' && /^\/start\b/.test(inbound.text)) await this.markReachable(inbound.sender.id);
    return { handled: true, result };
  }

  /**
   * Downloads and stores the largest size of a photo the app accepts (after-sale evidence). A failure
   * is logged and the message still goes through, without the file.
   */
  private async savePhoto(raw: unknown, owner: string): Promise<Attachment[]> {
    const { api, deps } = this.options;
    // Most messages carry no photo: a failed parse of `undefined` built a zod error for each (issue 13).
    if (raw === undefined) return [];
    const sizes = PhotoSizes.safeParse(raw);
    if (!sizes.success || !api.downloadFile) return [];
    const best = sizes.data
      .filter((size) => (size.file_size ?? 0) <= deps.files.maxImageBytes)
      .sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (!best) return [];
    try {
      const bytes = await api.downloadFile(best.file_id);
      return [await deps.files.saveImage('telegram', owner, bytes)];
    } catch (error) {
      deps.log.warn({ err: error }, 'telegram photo not stored');
      return [];
    }
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const markup = message.buttons?.length ? await this.keyboard(message.buttons) : undefined;
    const anchored = message.sourceKey ? this.anchors.get(message.sourceKey) : undefined;
    const anchor = anchored?.anchor.chatId === message.chatId ? anchored.anchor : undefined;
    if (message.image) return this.sendPhoto(message, message.image, markup, anchor);
    const chunks = splitText(message.text);
    if (anchored && anchor && anchored.editable && markup && chunks.length === 1) {
      anchored.editable = false;
      const edited = await this.tryEdit(message, anchor, markup);
      if (edited) return edited;
    }
    const group = message.chatId.startsWith('-');
    let firstId: number | undefined;
    for (const [index, chunk] of chunks.entries()) {
      const last = index === chunks.length - 1;
      const extra: SendExtra = {
        ...(last && markup ? { reply_markup: markup } : {}),
        ...(anchor?.threadId ? { message_thread_id: anchor.threadId } : {}),
        ...(group && anchor && index === 0
          ? { reply_parameters: { message_id: anchor.messageId, allow_sending_without_reply: true } }
          : {}),
        ...(this.paidBroadcast ? { allow_paid_broadcast: true } : {}),
      };
      try {
        const sent = await this.options.api.sendMessage(message.chatId, chunk, extra);
        firstId ??= sent.message_id;
      } catch (error) {
        throw await this.sendError(error, message.chatId, firstId !== undefined);
      }
    }
    return firstId === undefined ? {} : { externalId: String(firstId) };
  }

  /**
   * A photo (sendPhoto, uploaded as multipart) with the text as its caption; text longer than a
   * caption follows as messages of its own. Reading the file happens before anything is sent, so a
   * failure there leaves nothing half-sent; once the photo is out, a later failure is not retried.
   */
  private async sendPhoto(
    message: OutboundMessage,
    image: Attachment,
    markup: InlineKeyboard | undefined,
    anchor: ReplyAnchor | undefined,
  ): Promise<SendResult> {
    const { bytes } = await this.options.deps.files.read(image.id);
    const fits = message.text.length <= TELEGRAM_CAPTION_LIMIT;
    const after = fits || !message.text ? [] : splitText(message.text);
    const group = message.chatId.startsWith('-');
    const placement: SendExtra = {
      ...(anchor?.threadId ? { message_thread_id: anchor.threadId } : {}),
      ...(this.paidBroadcast ? { allow_paid_broadcast: true } : {}),
    };
    let photoId: number;
    try {
      const sent = await this.options.api.sendPhoto(
        message.chatId,
        { bytes, name: photoFileName(image) },
        {
          ...placement,
          ...(fits && message.text ? { caption: message.text } : {}),
          ...(after.length === 0 && markup ? { reply_markup: markup } : {}),
          ...(group && anchor
            ? { reply_parameters: { message_id: anchor.messageId, allow_sending_without_reply: true } }
            : {}),
        },
      );
      photoId = sent.message_id;
    } catch (error) {
      throw await this.sendError(error, message.chatId, false);
    }
    for (const [index, chunk] of after.entries()) {
      const last = index === after.length - 1;
      try {
        await this.options.api.sendMessage(message.chatId, chunk, {
          ...placement,
          ...(last && markup ? { reply_markup: markup } : {}),
        });
      } catch (error) {
        throw await this.sendError(error, message.chatId, true);
      }
    }
    return { externalId: String(photoId) };
  }

  /** Renders buttons two per row; data over 64 bytes is stored server-side and replaced by a short key. */
  async keyboard(buttons: Button[]): Promise<InlineKeyboard> {
    const rows: InlineKeyboard['inline_keyboard'] = [];
    for (const [index, b] of buttons.entries()) {
      const cell = { text: b.label, callback_data: await this.callbackData(b.data) };
      if (index % 2 === 0) rows.push([cell]);
      else rows[rows.length - 1]?.push(cell);
    }
    return { inline_keyboard: rows };
  }

  private async tryEdit(message: OutboundMessage, anchor: ReplyAnchor, markup: InlineKeyboard) {
    try {
      await this.options.api.editMessageText(message.chatId, anchor.messageId, message.text, { reply_markup: markup });
      return { externalId: String(anchor.messageId) };
    } catch (error) {
      const failure = classifyTelegramError(error);
      if (/not modified/i.test(failure.description)) return { externalId: String(anchor.messageId) };
      // Too old, deleted, or not editable: post a new message instead.
      if (failure.code === 400) return undefined;
      throw await this.sendError(error, message.chatId, false);
    }
  }

  private async callbackData(data: string): Promise<string> {
    if (Buffer.byteLength(data, 'utf8') <= CALLBACK_DATA_LIMIT && !data.startsWith(KEY_PREFIX)) return data;
    // Content-addressed, so the same button rendered twice reuses one row.
    const key = createHash('sha256').update(data).digest('base64url').slice(0, 24);
    await this.options.deps.buttonPayloads.put(`tg:${key}`, data);
    return `${KEY_PREFIX}${key}`;
  }

  private async resolveCallbackData(data: string): Promise<string | undefined> {
    if (!data.startsWith(KEY_PREFIX)) return data;
    return this.options.deps.buttonPayloads.get(`tg:${data.slice(KEY_PREFIX.length)}`);
  }

  private async answerPress(callbackQueryId: string, callbackAnswer: CallbackAnswer | undefined): Promise<void> {
    if (callbackAnswer) callbackAnswer.defer(callbackQueryId);
    else await this.answerCallback(callbackQueryId);
  }

  /** Staff are typing a reply: the customer sees "typing…" (the core spaces these, see src/core/staff-typing.ts). */
  async showTyping(chatId: string): Promise<void> {
    try {
      await this.options.api.sendChatAction(chatId, 'typing');
    } catch (error) {
      // A blocked bot or a gone chat: the reply itself will say so through the outbox.
      this.options.deps.log.debug({ err: classifyTelegramError(error).description }, 'sendChatAction failed');
    }
  }

  /** Stops a pressed button's spinner; never throws. */
  async answerCallback(callbackQueryId: string): Promise<void> {
    try {
      await this.options.api.answerCallbackQuery(callbackQueryId);
    } catch (error) {
      // An expired query (older than ~15 minutes) cannot be answered; the press still counts.
      this.options.deps.log.debug({ err: classifyTelegramError(error).description }, 'answerCallbackQuery failed');
    }
  }

  private remember(sourceKey: string, anchor: ReplyAnchor, editable: boolean): void {
    if (this.anchors.size >= MAX_ANCHORS) {
      const oldest = this.anchors.keys().next().value;
      if (oldest !== undefined) this.anchors.delete(oldest);
    }
    this.anchors.set(sourceKey, { anchor, editable });
  }

  private async sendError(error: unknown, chatId: string, partial: boolean): Promise<SendError> {
    const failure = classifyTelegramError(error);
    const reason = failure.code ? `${failure.code}: ${failure.description}` : failure.description;
    // Part of a long message went out: retrying would repeat it.
    if (partial) return new SendError(reason, 'ambiguous');
    // Blocked by the user, or never started: stop proactive sends to them.
    if (failure.code === 403) await this.markUnreachable(chatId);
    return new SendError(reason, failure.kind, failure.retryAfterMs);
  }

  /** A user who blocked the bot or never started it cannot get private messages: stop proactive sends to them. */
  private async markUnreachable(chatId: string): Promise<void> {
    if (chatId.startsWith('-')) return;
    await this.options.deps.identities.setReachable('telegram', chatId, false);
  }

  /** `/start` in a private chat means the user (re)opened the chat with the bot. */
  private async markReachable(userId: string): Promise<void> {
    await this.options.deps.identities.setReachable('telegram', userId, true);
  }
}

/** Splits text into Telegram-sized pieces, preferring line breaks. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (text.length <= limit) return [text];
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = rest.lastIndexOf('\n', limit);
    const at = cut > limit / 2 ? cut : limit;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest) chunks.push(rest);
  return chunks;
}
