// The staff desk: what an agent or admin can do with an escalated conversation, from any console
// (web, Telegram staff group). One place enforces who may see and do what, and audits it.

import type { Conversation, OutboxMessage } from '../db/types.ts';
import { msg, pickLocale } from '../kernel/i18n.ts';
import type { Actor, ServiceDeps } from './context.ts';
import { type ConversationAction, type ConversationService, IllegalTransitionError } from './conversations.ts';
import { NotFoundError } from './customers.ts';
import type { EscalationService } from './escalation.ts';
import type { MessagingService } from './messaging.ts';
import type { StaffActionKind, StaffRelayHub } from './staff-relay.ts';

/** The person acting: a staff account, or the ADMIN_TOKEN holder (staffId null, role admin). */
export interface DeskUser {
  staffId: number | null;
  role: 'admin' | 'agent';
  name: string;
  /** Which console the action came from, for the audit trail: web | telegram | api. */
  source?: string;
}

export class DeskForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeskForbiddenError';
  }
}

const resolvedNotice = msg(
  '本次人工服务已结束，感谢你的耐心。如还有问题，随时给我留言。',
  'This conversation with our staff is closed. Thank you for your patience; message me any time.',
);

export function deskActor(user: DeskUser): Actor {
  return user.staffId === null ? { type: 'admin' } : { type: 'staff', staffId: user.staffId, role: user.role };
}

export class StaffDesk {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly conversations: ConversationService,
    private readonly escalation: EscalationService,
    private readonly messaging: MessagingService,
    private readonly relay: StaffRelayHub,
  ) {}

  /** Agents see the waiting queue and their own conversations; admins see everything. */
  canSee(user: DeskUser, conversation: Conversation): boolean {
    if (user.role === 'admin') return true;
    return conversation.status === 'pending' || conversation.assigneeId === user.staffId;
  }

  /** Acting on an open conversation needs to own it (admins may act on any). */
  private canAct(user: DeskUser, conversation: Conversation): boolean {
    if (user.role === 'admin') return true;
    if (conversation.status === 'pending') return true;
    return conversation.status === 'open' && conversation.assigneeId === user.staffId;
  }

  /** Whether the user hears live events about the conversation: what they may see, or what they were assigned. */
  async mayWatch(user: DeskUser, conversationId: number): Promise<boolean> {
    const row = await this.deps.store.repos.conversations.get(conversationId);
    return row ? this.canSee(user, row) || user.staffId === row.assigneeId : false;
  }

  /**
   * Someone who is not active staff tried to act in an outside staff console (the Telegram staff
   * group): nothing happens but an audit entry.
   */
  async refuseOutsider(attempt: {
    channel: 'telegram';
    userId: string;
    conversationId: number | null;
    command: string;
    chatId: string;
  }): Promise<void> {
    await this.deps.store.repos.audit.record({
      actorType: 'anonymous',
      actorId: `${attempt.channel}:${attempt.userId}`,
      action: `${attempt.channel}.staff_refused`,
      entityType: 'conversation',
      entityId: attempt.conversationId === null ? null : String(attempt.conversationId),
      details: { command: attempt.command, chatId: attempt.chatId },
      at: this.deps.clock.now(),
    });
  }

  queue(user: DeskUser) {
    return this.deps.store.repos.desk.liveConversations(
      user.role === 'admin' || user.staffId === null ? {} : { assigneeId: user.staffId },
    );
  }

  private async load(user: DeskUser, id: number, forAction: boolean): Promise<Conversation> {
    const conversation = await this.deps.store.repos.conversations.get(id);
    if (!conversation || !this.canSee(user, conversation)) {
      // Agents get "not found" for conversations they may not see, so ids reveal nothing.
      await this.deps.store.repos.audit.record({
        ...auditActor(user),
        action: 'conversation.access_denied',
        entityType: 'conversation',
        entityId: String(id),
        at: this.deps.clock.now(),
      });
      throw new NotFoundError(`conversation ${id} not found`);
    }
    if (forAction && !this.canAct(user, conversation)) {
      throw new DeskForbiddenError('this conversation belongs to another agent');
    }
    return conversation;
  }

  /** The conversation with the full customer profile and its message timeline. */
  async view(user: DeskUser, id: number) {
    await this.load(user, id, false);
    const { repos } = this.deps.store;
    const conversation = await repos.desk.conversationWithPeople(id);
    if (!conversation) throw new NotFoundError(`conversation ${id} not found`);
    const [identities, tags, notes, orders, cases, interactions, timeline] = await Promise.all([
      repos.customers.identities(conversation.customerId),
      repos.customers.tags(conversation.customerId),
      repos.customers.notes(conversation.customerId),
      repos.orders.forCustomer(conversation.customerId, 20),
      repos.cases.forCustomer(conversation.customerId, 20),
      repos.interactions.forConversation(id, 500),
      repos.interactions.forCustomer(conversation.customerId, 50),
    ]);
    const { assignee, ...rest } = conversation;
    return {
      conversation: { ...rest, assignee: assignee ? { id: assignee.id, name: assignee.name } : null },
      customer: conversation.customer,
      identities,
      tags,
      notes,
      orders,
      cases,
      messages: interactions,
      timeline,
    };
  }

  async take(user: DeskUser, id: number): Promise<Conversation> {
    if (user.staffId === null) throw new DeskForbiddenError('taking a conversation needs a staff account');
    const before = await this.load(user, id, false);
    if (before.status === 'open' && before.assigneeId !== user.staffId && user.role !== 'admin') {
      throw new DeskForbiddenError('this conversation belongs to another agent');
    }
    const action: ConversationAction = before.status === 'open' ? 'transfer' : 'take';
    const updated = await this.conversations.transition(id, action, deskActor(user), {
      assigneeId: user.staffId,
      reason: 'take',
    });
    await this.relayAction(updated, user, 'take');
    return updated;
  }

  async transfer(user: DeskUser, id: number, toStaffId: number): Promise<Conversation> {
    await this.load(user, id, true);
    const target = await this.deps.store.repos.staff.get(toStaffId);
    if (!target?.active) throw new NotFoundError(`staff ${toStaffId} not found`);
    const updated = await this.conversations.transition(id, 'transfer', deskActor(user), {
      assigneeId: toStaffId,
      reason: `transfer to ${target.username}`,
    });
    await this.relayAction(updated, user, 'transfer', target.name);
    return updated;
  }

  async requeue(user: DeskUser, id: number): Promise<Conversation> {
    await this.load(user, id, true);
    const updated = await this.conversations.transition(id, 'requeue', deskActor(user));
    await this.relayAction(updated, user, 'requeue');
    await this.escalation.autoAssign();
    return updated;
  }

  async release(user: DeskUser, id: number): Promise<Conversation> {
    await this.load(user, id, true);
    const updated = await this.conversations.transition(id, 'release', deskActor(user));
    await this.relayAction(updated, user, 'release');
    await this.escalation.autoAssign();
    return updated;
  }

  /** Resolves the conversation (and its complaint case); the 'conversation' event with status resolved starts the survey. */
  async resolve(user: DeskUser, id: number): Promise<Conversation> {
    const before = await this.load(user, id, true);
    const now = this.deps.clock.now();
    const updated = await this.deps.store.transaction(async (repos) => {
      const row = await this.conversations.transition(id, 'resolve', deskActor(user));
      await repos.desk.resolveComplaint(id, now);
      return row;
    });
    if (before.status !== 'bot') {
      this.messaging.announce(
        await this.tellCustomer(updated, (locale) => ({ text: resolvedNotice[locale] }), null, 'system'),
      );
    }
    await this.relayAction(updated, user, 'resolve');
    await this.escalation.autoAssign();
    return updated;
  }

  /** Sends staff text to the customer on their channel; a reply to a waiting conversation takes it first. */
  async reply(user: DeskUser, id: number, text: string): Promise<Conversation> {
    let conversation = await this.load(user, id, true);
    if (conversation.status === 'pending' && user.staffId !== null) conversation = await this.take(user, id);
    if (conversation.status !== 'open') throw new IllegalTransitionError('take', conversation.status);
    const clean = text.trim().slice(0, 4000);
    if (!clean) throw new DeskForbiddenError('empty reply');
    const now = this.deps.clock.now();
    const rows = await this.deps.store.transaction(async (repos) => {
      const queued = await this.tellCustomer(conversation, () => ({ text: clean }), user.staffId, 'staff');
      await repos.desk.markFirstResponse(id, now);
      await repos.audit.record({
        ...auditActor(user),
        action: 'conversation.reply',
        entityType: 'conversation',
        entityId: String(id),
        details: { length: clean.length, source: user.source ?? 'api' },
        at: now,
      });
      return queued;
    });
    this.messaging.announce(rows);
    this.deps.events.emit('desk', { type: 'reply', conversationId: id, staffId: user.staffId, text: clean });
    await this.relayAction(conversation, user, 'reply', clean);
    return (await this.deps.store.repos.conversations.get(id)) ?? conversation;
  }

  /** Replies with a canned reply (by shortcut), in the customer's language when it has a translation. */
  async replyCanned(user: DeskUser, id: number, shortcut: string): Promise<Conversation> {
    const conversation = await this.load(user, id, true);
    const canned = await this.deps.store.repos.desk.cannedReply(shortcut);
    if (!canned) throw new NotFoundError(`canned reply ${shortcut} not found`);
    const customer = await this.deps.store.repos.customers.get(conversation.customerId);
    const locale = pickLocale(customer?.locale, this.deps.config.shop.locale);
    return this.reply(user, id, locale === 'en' && canned.textEn ? canned.textEn : canned.text);
  }

  /** An internal note: visible to staff only, never sent to the customer. */
  async note(user: DeskUser, id: number, text: string): Promise<void> {
    const conversation = await this.load(user, id, false);
    const clean = text.trim().slice(0, 4000);
    if (!clean) throw new DeskForbiddenError('empty note');
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (repos) => {
      await repos.interactions.append({
        customerId: conversation.customerId,
        conversationId: id,
        chatId: conversation.chatId,
        channel: 'staff',
        direction: 'event',
        kind: 'note',
        text: clean,
        payload: { source: user.source ?? 'api', author: user.name },
        staffId: user.staffId,
        at: now,
      });
      await repos.audit.record({
        ...auditActor(user),
        action: 'conversation.note',
        entityType: 'conversation',
        entityId: String(id),
        at: now,
      });
    });
    this.deps.events.emit('desk', { type: 'note', conversationId: id, staffId: user.staffId, text: clean });
    await this.relayAction(conversation, user, 'note', clean);
  }

  /** Queues text for the conversation's own chat (whatever channel); the caller announces after commit. */
  private tellCustomer(
    conversation: Conversation,
    content: (locale: 'zh-CN' | 'en') => { text: string },
    staffId: number | null,
    purpose: 'staff' | 'system',
  ): Promise<OutboxMessage[]> {
    return this.deps.store.transaction(async (repos) => {
      // Sequential: inside a transaction all queries share one connection.
      const chat = await repos.chats.get(conversation.chatId);
      const customer = await repos.customers.get(conversation.customerId);
      const identities = await repos.customers.identities(conversation.customerId);
      if (!chat || !customer) return [];
      const identity = identities.find((i) => i.channel === chat.channel);
      const locale = pickLocale(customer.locale, this.deps.config.shop.locale);
      return this.messaging.enqueueReplies(
        repos,
        {
          customerId: customer.id,
          conversationId: conversation.id,
          chat,
          senderExternalId: identity?.externalId ?? chat.externalId,
          locale,
        },
        [content(locale)],
        { purpose, staffId },
      );
    });
  }

  private async relayAction(conversation: Conversation, user: DeskUser, action: StaffActionKind, text?: string) {
    if (this.relay.size === 0) return;
    const customer = await this.deps.store.repos.customers.get(conversation.customerId);
    if (!customer) return;
    await this.relay.notify(action, conversation.id, (relay) =>
      relay.onStaffAction({
        conversation,
        customer,
        action,
        staffName: user.name,
        source: user.source ?? 'api',
        ...(text === undefined ? {} : { text }),
      }),
    );
  }
}

function auditActor(user: DeskUser) {
  return user.staffId === null
    ? { actorType: 'admin' as const, actorId: null }
    : { actorType: 'staff' as const, actorId: String(user.staffId) };
}
