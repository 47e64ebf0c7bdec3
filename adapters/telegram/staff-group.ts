// The Telegram staff group: a second console for the staff desk. Each escalated conversation gets
// a forum topic (when the group has topics) or a header message staff reply to. Staff replies go to
// the customer on whatever channel they use; /take /release /resolve /note /profile act on the
// conversation. Only registered staff (Staff.telegramUserId) may act; other members are refused
// and the attempt is audited. All decisions go through the same StaffDesk as the web console.
import type { Bot, Context } from 'grammy';
import type { StaffActionKind } from '../../src/domain/staff.ts';
import { KeyedLock } from '../../src/kernel/keyed-lock.ts';
import type { RelayedConversation, StaffConsole, StaffDeskPort, StaffMember } from '../contract.ts';

export interface StaffGroupOptions {
  bot: Bot;
  /** TELEGRAM_STAFF_CHAT_ID */
  chatId: string;
  /** The staff desk, with members looked up by their Telegram user id. */
  desk: StaffDeskPort;
}

type Where = { threadId?: number; replyTo?: number };

const commands = ['take', 'release', 'resolve', 'note', 'profile'] as const;
type Command = (typeof commands)[number];

function isCommand(value: string): value is Command {
  return commands.some((c) => c === value);
}

const actionLabel: Record<StaffActionKind, string> = {
  take: '接手 took it',
  reply: '回复 replied',
  note: '备注 note',
  transfer: '转交 transferred',
  release: '交还机器人 released to the bot',
  resolve: '已解决 resolved',
  requeue: '退回队列 requeued',
};

export class TelegramStaffGroup implements StaffConsole {
  private forum: boolean | undefined;
  // One conversation's posts go out in order, and its topic/header is created once even when the
  // escalation and the customer's next message arrive together.
  private readonly lock = new KeyedLock();

  constructor(private readonly options: StaffGroupOptions) {}

  /** Registers the relay with the desk and the staff-group handler on the bot (before customer handlers). */
  attach(): () => void {
    const detach = this.options.desk.attach(this);
    this.options.bot.use(async (ctx, next) => {
      if (String(ctx.chat?.id) !== this.options.chatId) return next();
      await this.handle(ctx);
    });
    return detach;
  }

  // ---- relay: desk → group ----

  async onEscalated(event: RelayedConversation & { reason: string; caseNo?: string }): Promise<void> {
    const { conversation, customer } = event;
    const header = [
      `🆕 #${conversation.id} ${customerLabel(customer)} · ${event.reason}${event.caseNo ? ` · ${event.caseNo}` : ''}`,
      `P${conversation.priority} · 首次响应截止 due ${conversation.firstResponseDueAt?.toISOString() ?? '–'}`,
      '回复本消息即回复客户 / reply to this message to answer the customer',
      '/take /release /resolve /note <text> /profile',
    ].join('\n');
    await this.inOrder(conversation.id, async () => {
      await this.post(conversation.id, header, await this.threadFor(conversation, customer, true));
    });
  }

  async onCustomerMessage(event: RelayedConversation & { text: string }): Promise<void> {
    await this.inOrder(event.conversation.id, async () => {
      const where = await this.threadFor(event.conversation, event.customer, true);
      await this.post(event.conversation.id, `💬 ${customerLabel(event.customer)}: ${event.text}`, where);
    });
  }

  async onStaffAction(
    event: RelayedConversation & { action: StaffActionKind; staffName: string; text?: string; source: string },
  ): Promise<void> {
    // Actions taken here were already visible in the group.
    if (event.source === 'telegram') return;
    const body = event.text && event.action !== 'note' ? `: ${event.text}` : event.text ? ` (${event.text})` : '';
    await this.inOrder(event.conversation.id, async () => {
      const where = await this.threadFor(event.conversation, event.customer, false);
      if (where)
        await this.post(event.conversation.id, `👤 ${event.staffName} ${actionLabel[event.action]}${body}`, where);
    });
  }

  async onSlaAlert(
    event: RelayedConversation & { kind: 'warning' | 'breach'; dueAt: Date; assigneeName?: string },
  ): Promise<void> {
    const who = event.assigneeName ? ` @${event.assigneeName}` : ' (未分配 unassigned)';
    const what = event.kind === 'breach' ? '⛔ SLA 已超时 breached' : '⚠️ SLA 即将超时 due soon';
    await this.inOrder(event.conversation.id, async () => {
      const where = await this.threadFor(event.conversation, event.customer, true);
      await this.post(
        event.conversation.id,
        `${what} #${event.conversation.id}${who} · ${event.dueAt.toISOString()}`,
        where,
      );
    });
  }

  private inOrder(conversationId: number, work: () => Promise<void>): Promise<void> {
    return this.lock.run(String(conversationId), work);
  }

  /** Where this conversation lives in the group; creates its topic/header on first use when `create`. */
  private async threadFor(
    conversation: RelayedConversation['conversation'],
    customer: RelayedConversation['customer'],
    create: boolean,
  ): Promise<Where | undefined> {
    const { desk, bot, chatId } = this.options;
    const current = (await desk.threads.threadOf(conversation.id)) ?? conversation.staffThreadId;
    if (current?.startsWith('topic:')) return { threadId: Number(current.slice('topic:'.length)) };
    if (current?.startsWith('msg:')) return { replyTo: Number(current.slice('msg:'.length)) };
    if (!create) return undefined;
    if (await this.isForum()) {
      const topic = await bot.api.createForumTopic(
        chatId,
        `#${conversation.id} ${customerLabel(customer)}`.slice(0, 128),
      );
      await desk.threads.setThread(conversation.id, `topic:${topic.message_thread_id}`);
      await desk.threads.link(chatId, `topic:${topic.message_thread_id}`, conversation.id);
      return { threadId: topic.message_thread_id };
    }
    return {};
  }

  private async isForum(): Promise<boolean> {
    if (this.forum === undefined) {
      const chat = await this.options.bot.api.getChat(this.options.chatId);
      this.forum = 'is_forum' in chat && chat.is_forum === true;
    }
    return this.forum;
  }

  /** Sends into the conversation's topic/thread and remembers the message so replies to it route back. */
  private async post(conversationId: number, text: string, where: Where | undefined): Promise<void> {
    const { bot, chatId, desk } = this.options;
    const sent = await bot.api.sendMessage(chatId, text.slice(0, 4000), {
      ...(where?.threadId ? { message_thread_id: where.threadId } : {}),
      ...(where?.replyTo ? { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true } } : {}),
    });
    await desk.threads.link(chatId, String(sent.message_id), conversationId);
    await desk.threads.setThreadIfUnset(conversationId, `msg:${sent.message_id}`);
  }

  // ---- group → desk ----

  private async handle(ctx: Context): Promise<void> {
    const message = ctx.message;
    if (!message?.text || !ctx.from || ctx.from.is_bot) return;
    const { desk, chatId } = this.options;
    const conversationId = await this.conversationOf(message.message_thread_id, message.reply_to_message?.message_id);
    const commandMatch = /^\/(\w+)(?:@\w+)?\s*([\s\S]*)$/.exec(message.text);
    const command = commandMatch?.[1]?.toLowerCase();
    const argument = commandMatch?.[2]?.trim() ?? '';
    // Chatter among staff outside any conversation thread is not for us.
    if (conversationId === null && !(command && isCommand(command))) return;
    const user = await desk.member(String(ctx.from.id));
    if (!user) {
      await desk.refuse({ userId: String(ctx.from.id), conversationId, command: command ?? 'reply', chatId });
      await this.answer(ctx, '⛔ 只有登记的客服可以操作。/ Only registered staff can act here.');
      return;
    }
    if (conversationId === null) {
      await this.answer(
        ctx,
        '请在会话的话题里或回复会话消息使用此命令。/ Use this inside a conversation topic or as a reply.',
      );
      return;
    }
    try {
      if (!command || !isCommand(command)) {
        if (command) return; // unknown commands are ignored rather than sent to the customer
        await desk.reply(user, conversationId, message.text);
        return;
      }
      switch (command) {
        case 'take':
          await desk.take(user, conversationId);
          await this.answer(ctx, `✅ ${user.name} 接手 took #${conversationId}`);
          return;
        case 'release':
          await desk.release(user, conversationId);
          await this.answer(ctx, `↩️ #${conversationId} 已交还机器人 released to the bot`);
          return;
        case 'resolve':
          await desk.resolve(user, conversationId);
          await this.answer(ctx, `✔️ #${conversationId} 已解决 resolved`);
          return;
        case 'note':
          if (!argument) return void (await this.answer(ctx, '/note <备注内容 text>'));
          await desk.note(user, conversationId, argument);
          await this.answer(ctx, '📝 已记录 noted');
          return;
        case 'profile':
          await this.answer(ctx, await this.profileText(user, conversationId));
          return;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.answer(ctx, `⚠️ ${reason}`);
    }
  }

  private async conversationOf(threadId: number | undefined, replyTo: number | undefined): Promise<number | null> {
    const { desk, chatId } = this.options;
    if (threadId) {
      const byTopic = await desk.threads.conversationOf(chatId, `topic:${threadId}`);
      if (byTopic !== null) return byTopic;
    }
    return replyTo ? desk.threads.conversationOf(chatId, String(replyTo)) : null;
  }

  private async profileText(user: StaffMember, conversationId: number): Promise<string> {
    const view = await this.options.desk.profile(user, conversationId);
    const c = view.customer;
    return [
      `👤 ${c.name ?? `#${c.id}`} · ${c.tier} · ${c.pointsBalance} 积分 points`,
      `🔗 ${view.identities.map((i) => `${i.channel}:${i.displayName ?? i.externalId}`).join(', ')}`,
      `🏷 ${view.tags.join(', ') || '–'}`,
      `📦 ${
        view.orders
          .slice(0, 5)
          .map((o) => `${o.orderNo} ${o.status}`)
          .join('; ') || '–'
      }`,
      `📋 ${
        view.cases
          .slice(0, 5)
          .map((k) => `${k.caseNo} ${k.type} ${k.status}`)
          .join('; ') || '–'
      }`,
    ].join('\n');
  }

  private async answer(ctx: Context, text: string): Promise<void> {
    await ctx.reply(text, {
      ...(ctx.message?.message_thread_id ? { message_thread_id: ctx.message.message_thread_id } : {}),
      ...(ctx.message ? { reply_parameters: { message_id: ctx.message.message_id } } : {}),
    });
  }
}

function customerLabel(customer: RelayedConversation['customer']): string {
  return `${customer.name ?? `客户 ${customer.id}`}${customer.tier !== 'normal' ? ` [${customer.tier}]` : ''}`;
}
