// Bot API updates → neutral Inbound. Shared by the grammY and Telegraf variants: both hand over the
// raw update, which is validated here with zod, so neither library's types leak into the pipeline.
import { z } from 'zod';
import type { Inbound } from '../../src/domain/messages.ts';

const User = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const Entity = z.object({
  type: z.string(),
  offset: z.number().int(),
  length: z.number().int(),
  user: User.optional(),
});

const InlineKeyboard = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

const attachmentKinds = [
  'sticker',
  'photo',
  'animation',
  'video',
  'video_note',
  'voice',
  'audio',
  'document',
  'location',
  'contact',
  'poll',
] as const;

const Message = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: z.object({ id: z.number().int(), type: z.string(), title: z.string().optional() }),
  from: User.optional(),
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(Entity).optional(),
  caption_entities: z.array(Entity).optional(),
  reply_to_message: z.object({ from: User.optional() }).optional(),
  reply_markup: InlineKeyboard.optional(),
  sticker: z.unknown().optional(),
  photo: z.unknown().optional(),
  animation: z.unknown().optional(),
  video: z.unknown().optional(),
  video_note: z.unknown().optional(),
  voice: z.unknown().optional(),
  audio: z.unknown().optional(),
  document: z.unknown().optional(),
  location: z.unknown().optional(),
  contact: z.unknown().optional(),
  poll: z.unknown().optional(),
});
type Message = z.infer<typeof Message>;

export const TelegramUpdate = z.object({
  update_id: z.number().int().nonnegative(),
  message: Message.optional(),
  callback_query: z
    .object({
      id: z.string(),
      from: User,
      message: Message.optional(),
      data: z.string().optional(),
    })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdate>;

export interface BotIdentity {
  id: number;
  username: string;
}

/** Where a reply to this update should land: the message to reply to / edit, and the forum topic. */
export interface ReplyAnchor {
  chatId: string;
  messageId: number;
  threadId?: number;
}

export type ParsedUpdate =
  | { kind: 'message'; inbound: Inbound; anchor: ReplyAnchor }
  | { kind: 'callback'; inbound: Omit<Inbound, 'action'>; data: string; callbackId: string; anchor?: ReplyAnchor }
  | { kind: 'ignored'; reason: string; callbackId?: string };

/** The Bot API messageId we dedupe on: Telegram redelivers an update with the same update_id. */
export function messageIdOf(update: TelegramUpdate): string {
  return `u${update.update_id}`;
}

export function parseUpdate(update: TelegramUpdate, me: BotIdentity, now: Date): ParsedUpdate {
  if (update.callback_query) {
    const query = update.callback_query;
    if (!query.data) return { kind: 'ignored', reason: 'callback without data', callbackId: query.id };
    const message = query.message;
    const chat = message ? chatOf(message) : { id: String(query.from.id), kind: 'private' as const };
    const label = message?.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === query.data)?.text;
    return {
      kind: 'callback',
      callbackId: query.id,
      data: query.data,
      inbound: {
        channel: 'telegram',
        messageId: messageIdOf(update),
        at: now,
        chat,
        sender: senderOf(query.from),
        text: label ?? '',
        mentionsBot: false,
      },
      ...(message ? { anchor: anchorOf(message) } : {}),
    };
  }
  const message = update.message;
  if (!message?.from) return { kind: 'ignored', reason: 'not a message from a user' };
  if (message.from.id === me.id) return { kind: 'ignored', reason: 'own message' };
  const chat = chatOf(message);
  const raw = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const command = /^\/\w+@(\w+)/.exec(raw);
  if (command?.[1] && command[1].toLowerCase() !== me.username.toLowerCase()) {
    return { kind: 'ignored', reason: 'command for another bot' };
  }
  const mention = `@${me.username}`.toLowerCase();
  const mentioned = entities.filter(
    (e) =>
      (e.type === 'mention' && raw.slice(e.offset, e.offset + e.length).toLowerCase() === mention) ||
      (e.type === 'text_mention' && e.user?.id === me.id),
  );
  const repliedToBot = message.reply_to_message?.from?.id === me.id;
  const attachment = attachmentKinds.find((kind) => message[kind] !== undefined);
  return {
    kind: 'message',
    anchor: anchorOf(message),
    inbound: {
      channel: 'telegram',
      messageId: messageIdOf(update),
      at: new Date(message.date * 1000),
      chat,
      sender: senderOf(message.from),
      text: stripMentions(raw, mentioned).trim(),
      mentionsBot: chat.kind === 'private' || mentioned.length > 0 || repliedToBot,
      ...(attachment ? { attachment: { kind: attachment } } : {}),
    },
  };
}

function chatOf(message: Message): Inbound['chat'] {
  const group = message.chat.type === 'group' || message.chat.type === 'supergroup';
  return {
    id: String(message.chat.id),
    kind: group ? 'group' : 'private',
    ...(group && message.chat.title ? { title: message.chat.title.slice(0, 200) } : {}),
  };
}

function anchorOf(message: Message): ReplyAnchor {
  return {
    chatId: String(message.chat.id),
    messageId: message.message_id,
    ...(message.is_topic_message && message.message_thread_id ? { threadId: message.message_thread_id } : {}),
  };
}

function senderOf(user: z.infer<typeof User>): Inbound['sender'] {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || user.username;
  return { id: String(user.id), ...(name ? { name: name.slice(0, 200) } : {}) };
}

/** Removes "@bot" mentions (right to left so offsets stay valid); flows see "菜单", not "@shop_bot 菜单". */
function stripMentions(text: string, mentions: Array<{ offset: number; length: number }>): string {
  let out = text;
  for (const m of [...mentions].sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, m.offset) + out.slice(m.offset + m.length);
  }
  return out;
}
