// Everything the bot or staff say goes through here: it is logged as an Interaction and written to
// the outbox (before any send), and private data never lands in a group.

import { type PlannedOutbound, withOutboxId } from '../db/outbound.ts';
import type { Repositories } from '../db/store.ts';
import type { Chat, OutboxMessage } from '../db/types.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { InteractionKind } from '../domain/interactions.ts';
import type { Reply } from '../domain/messages.ts';
import type { OutboxPurpose } from '../domain/outbox.ts';
import type { Message, Vars } from '../kernel/i18n.ts';
import { interpolate, msg, pickLocale } from '../kernel/i18n.ts';
import type { ServiceDeps } from './context.ts';

export type Purpose = OutboxPurpose;

/** Messages nobody just asked for (notices, campaigns, surveys) wait out quiet hours; replies to the customer do not. */
export function isProactive(purpose: OutboxPurpose): boolean {
  return purpose !== 'reply' && purpose !== 'staff';
}

const sentPrivately = msg('已私信发给你，请查看与我的私聊。', 'I sent it to you in a private chat.');
const startPrivately = msg(
  '这条信息涉及你的个人数据，不便在群里发送。请先私聊我{link}，再发一次。',
  'That is personal information, so I will not post it in the group. Please message me privately{link} and ask again.',
);

/** Builds a link that opens a private chat with the bot (e.g. a Telegram deep link). */
export type PrivateLinkResolver = (channel: ChannelName, payload: string) => string | undefined;

export interface OutboundOptions {
  purpose: Purpose;
  sourceKey?: string;
  staffId?: number | null;
  notBefore?: Date;
}

export interface ReplyTarget {
  customerId: number;
  conversationId: number | null;
  chat: Chat;
  /** The customer's id on the channel (their private chat id where the platform has one). */
  senderExternalId: string;
  locale: 'zh-CN' | 'en';
}

export class MessagingService {
  private linkResolver: PrivateLinkResolver = () => undefined;

  constructor(private readonly deps: ServiceDeps) {}

  setPrivateLinkResolver(resolver: PrivateLinkResolver): void {
    this.linkResolver = resolver;
  }

  /**
   * Writes replies to the outbox and the interaction log in the caller's transaction.
   * Replies marked private in a group go to the customer's private chat if one exists; otherwise the
   * group is told how to reach the bot privately.
   */
  async enqueueReplies(
    repos: Repositories,
    target: ReplyTarget,
    replies: Reply[],
    options: OutboundOptions,
  ): Promise<OutboxMessage[]> {
    const needsPrivate = target.chat.kind === 'group' && replies.some((r) => r.private);
    const privateChat = needsPrivate ? await repos.chats.find(target.chat.channel, target.senderExternalId) : null;
    const planned = this.plan(target, replies, privateChat, options);
    const outbox = await repos.outbox.enqueue(planned.outbox);
    await repos.interactions.appendMany(
      planned.interactions.map((entry, index) => withOutboxId(entry, outbox[index]?.id ?? null)),
    );
    return outbox;
  }

  /**
   * Decides where each reply goes and what is logged, without touching the database; the pipeline's
   * fast path writes the result itself.
   */
  plan(target: ReplyTarget, replies: Reply[], privateChat: Chat | null, options: OutboundOptions): PlannedOutbound {
    const now = this.deps.clock.now();
    const rows: Array<{ chatExternalId: string; reply: Reply; chatId: number | null }> = [];
    let privateNoticeNeeded = false;
    let privateUnavailable = false;
    for (const reply of replies) {
      if (reply.private && target.chat.kind === 'group') {
        if (privateChat) {
          rows.push({ chatExternalId: privateChat.externalId, reply, chatId: privateChat.id });
          privateNoticeNeeded = true;
        } else {
          privateUnavailable = true;
        }
        continue;
      }
      rows.push({ chatExternalId: target.chat.externalId, reply, chatId: target.chat.id });
    }
    const t = (message: Message, vars?: Vars) => interpolate(message[target.locale], vars);
    if (privateUnavailable) {
      const link = this.linkResolver(target.chat.channel, 'start');
      rows.push({
        chatExternalId: target.chat.externalId,
        reply: { text: t(startPrivately, { link: link ? `: ${link} ` : '' }) },
        chatId: target.chat.id,
      });
    } else if (privateNoticeNeeded) {
      rows.push({ chatExternalId: target.chat.externalId, reply: { text: t(sentPrivately) }, chatId: target.chat.id });
    }
    const kind: InteractionKind =
      options.purpose === 'staff' ? 'staff_reply' : options.purpose === 'reply' ? 'bot_reply' : options.purpose;
    return {
      outbox: rows.map(({ chatExternalId, reply }) => {
        const inGroup = chatExternalId === target.chat.externalId && target.chat.kind === 'group';
        return {
          channel: target.chat.channel,
          chatExternalId,
          customerId: target.customerId,
          conversationId: target.conversationId,
          purpose: options.purpose,
          sourceKey: options.sourceKey ?? null,
          text: reply.text,
          ...(reply.buttons ? { buttons: reply.buttons } : {}),
          meta: {
            group: inGroup,
            ...(inGroup ? { mention: target.senderExternalId } : {}),
            ...(options.staffId ? { staffId: options.staffId } : {}),
            ...(reply.attachments?.[0] ? { image: reply.attachments[0] } : {}),
          },
          notBefore: options.notBefore ?? now,
          createdAt: now,
        };
      }),
      interactions: rows.map(({ reply, chatId }) => ({
        customerId: target.customerId,
        conversationId: target.conversationId,
        chatId,
        channel: target.chat.channel,
        direction: 'out' as const,
        kind,
        text: reply.text,
        payload: {
          ...(reply.buttons ? { buttons: reply.buttons.map((b) => b.data) } : {}),
          // The same field as a customer's photos: the console and timeline show both alike.
          ...(reply.attachments?.length ? { attachments: reply.attachments.map((a) => a.id) } : {}),
        },
        staffId: options.staffId ?? null,
        at: now,
      })),
    };
  }

  /** Announces freshly committed outbox rows so senders and live views wake up. */
  announce(rows: Array<Pick<OutboxMessage, 'id' | 'channel'>>): void {
    const byChannel = new Map<ChannelName, number[]>();
    for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row.id]);
    for (const [channel, ids] of byChannel) this.deps.events.emit('outbox', { channel, ids });
  }

  /**
   * A proactive message to a customer (order notice, survey, staff reply after the chat moved on):
   * sent to their most recently active private chat. Returns null when there is none.
   */
  async sendToCustomer(
    customerId: number,
    content: Reply | ((locale: 'zh-CN' | 'en') => Reply),
    options: {
      purpose: Purpose;
      channel?: ChannelName;
      /** Only the identity with this id on `channel` (e.g. the chat a binding code was asked for in). */
      externalId?: string;
      staffId?: number | null;
      conversationId?: number | null;
    },
  ): Promise<OutboxMessage | null> {
    const rows = await this.deps.store.transaction(async (repos) => {
      const customer = await repos.customers.get(customerId);
      if (!customer) return [];
      const identities = (await repos.customers.identities(customerId))
        .filter((i) => i.canMessage && (!options.channel || i.channel === options.channel))
        .filter((i) => options.externalId === undefined || i.externalId === options.externalId)
        .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
      for (const identity of identities) {
        const chat = await repos.chats.find(identity.channel, identity.externalId);
        if (chat?.kind !== 'private') continue;
        const locale = pickLocale(customer.locale, this.deps.config.shop.locale);
        const reply = typeof content === 'function' ? content(locale) : content;
        const conversation = await repos.conversations.findLive(customerId, chat.id);
        return this.enqueueReplies(
          repos,
          {
            customerId,
            conversationId: options.conversationId ?? conversation?.id ?? null,
            chat,
            senderExternalId: identity.externalId,
            locale,
          },
          [reply],
          { purpose: options.purpose, staffId: options.staffId ?? null },
        );
      }
      return [];
    });
    this.announce(rows);
    return rows[0] ?? null;
  }
}
