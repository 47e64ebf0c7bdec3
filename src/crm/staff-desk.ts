// The staff desk: what an agent or admin can do with an escalated conversation, from any console
// (web, Telegram staff group). One place enforces who may see and do what, and audits it.

import type { Conversation, Interaction, OutboxMessage } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { ConversationAction, ConversationStatus } from '../domain/conversations.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { type Attachment, Button, type Reply } from '../domain/messages.ts';
import type { OutboxStatus } from '../domain/outbox.ts';
import { PresaleQuestion } from '../domain/profile-events.ts';
import type { StaffRole } from '../domain/staff.ts';
import { type HoursWindow, isWithin, msUntilEnd, parseHours } from '../kernel/hours.ts';
import { msg, pickLocale } from '../kernel/i18n.ts';
import { type AttachmentService, asMessageAttachment } from './attachments.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { type ConversationService, IllegalTransitionError } from './conversations.ts';
import { customerFor } from './customer-access.ts';
import type { EscalationService } from './escalation.ts';
import { isProactive, type MessagingService } from './messaging.ts';
import type { StaffActionKind, StaffRelayHub } from './staff-relay.ts';

/** The person acting: a staff account, or the ADMIN_TOKEN holder (staffId null, role admin). */
export interface DeskUser {
  staffId: number | null;
  role: StaffRole;
  name: string;
  /** Which console the action came from, for the audit trail: web | telegram | api. */
  source?: string;
}

/** The desk refuses an action to this user (another agent's conversation, no staff account). */
export class DeskForbiddenError extends ForbiddenError {}

/** The console's queue filters (see src/http/schemas/console.ts for the wire form). */
export interface DeskQuery {
  view: 'live' | 'resolved';
  status?: Extract<ConversationStatus, 'pending' | 'open'> | undefined;
  assignee?: 'me' | 'unassigned' | number | undefined;
  channel?: ChannelName | undefined;
  tag?: string | undefined;
  /** Customer name or phone, or a conversation number ("16", "#16"). */
  q?: string | undefined;
}

/** Where an outgoing message is, and why it waits if it does. */
export interface DeliveryState {
  status: OutboxStatus;
  heldUntil: Date | null;
  heldBy: 'quiet_hours' | 'schedule' | null;
  error: string | null;
}

/** One line of the conversation as staff read it. */
export interface DeskMessage {
  interaction: Interaction;
  staffName: string | null;
  /** For transitions: the name of the staff member it was assigned to. */
  assigneeName: string | null;
  delivery: DeliveryState | null;
  /** The labels of the buttons the message carried. */
  buttons: string[];
}

const resolvedNotice = msg(
  '本次人工服务已结束，感谢你的耐心。如还有问题，随时给我留言。',
  'This conversation with our staff is closed. Thank you for your patience; message me any time.',
);

/** How a photo shows where only text fits (the live desk event, the Telegram staff group). */
const photoNotice = msg('[图片]', '[photo]');

export function deskActor(user: DeskUser): Actor {
  return user.staffId === null ? { type: 'admin' } : { type: 'staff', staffId: user.staffId, role: user.role };
}

export class StaffDesk {
  private readonly quietHours: HoursWindow;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly conversations: ConversationService,
    private readonly escalation: EscalationService,
    private readonly messaging: MessagingService,
    private readonly relay: StaffRelayHub,
    private readonly attachments: AttachmentService,
  ) {
    this.quietHours = parseHours(deps.config.shop.quietHours);
  }

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
    await audit(this.deps.store.repos, this.deps.clock.now(), {
      actor: { type: 'anonymous', ref: `${attempt.channel}:${attempt.userId}` },
      action: `${attempt.channel}.staff_refused`,
      entity: 'conversation',
      entityId: attempt.conversationId,
      details: { command: attempt.command, chatId: attempt.chatId },
    });
  }

  /** The live queue or the resolved history with the console's filters, each row with its last message and unread count. */
  async queue(user: DeskUser, query: DeskQuery = { view: 'live' }) {
    const agent = user.role !== 'admin' && user.staffId !== null;
    const q = query.q?.trim();
    const number = q && /^#?\d{1,9}$/.test(q) ? Number(q.replace('#', '')) : undefined;
    const rows = await this.deps.store.repos.desk.deskConversations({
      view: query.view,
      ...(agent && user.staffId !== null ? { visibleTo: user.staffId } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.assignee === 'me' && user.staffId !== null ? { assigneeId: user.staffId } : {}),
      ...(query.assignee === 'unassigned' ? { assigneeId: null } : {}),
      ...(typeof query.assignee === 'number' ? { assigneeId: query.assignee } : {}),
      ...(query.channel ? { channel: query.channel } : {}),
      ...(query.tag ? { tag: query.tag } : {}),
      ...(q ? { search: { text: q, ...(number ? { conversationId: number } : {}) } } : {}),
    });
    const summaries = await this.deps.store.repos.desk.summaries(rows.map((row) => row.id));
    return rows.map((row) => ({ ...row, summary: summaries.get(row.id) ?? { last: null, unread: 0 } }));
  }

  private async load(user: DeskUser, id: number, forAction: boolean): Promise<Conversation> {
    const conversation = await this.deps.store.repos.conversations.get(id);
    if (!conversation || !this.canSee(user, conversation)) {
      // Agents get "not found" for conversations they may not see, so ids reveal nothing.
      await audit(this.deps.store.repos, this.deps.clock.now(), {
        actor: deskActor(user),
        action: 'conversation.access_denied',
        entity: 'conversation',
        entityId: id,
      });
      throw new NotFoundError(`conversation ${id}`);
    }
    if (forAction && !this.canAct(user, conversation)) {
      throw new DeskForbiddenError('this conversation belongs to another agent');
    }
    return conversation;
  }

  /**
   * The conversation with its messages (each outgoing one with its delivery state; pre-sale
   * question events are left out, the question itself is the message) and the customer's profile.
   */
  async view(user: DeskUser, id: number) {
    await this.load(user, id, false);
    const { repos } = this.deps.store;
    const conversation = await repos.desk.conversationWithPeople(id);
    if (!conversation) throw new NotFoundError(`conversation ${id}`);
    const [identities, tags, notes, orders, cases, interactions, timeline, staff] = await Promise.all([
      repos.customers.identities(conversation.customerId),
      repos.customers.tags(conversation.customerId),
      repos.customers.notes(conversation.customerId),
      repos.orders.forCustomer(conversation.customerId, 20),
      repos.cases.forCustomer(conversation.customerId, 20),
      repos.interactions.forConversation(id, 500),
      repos.interactions.forCustomer(conversation.customerId, 50),
      repos.staff.list(),
    ]);
    const outbox = new Map(
      (await repos.outbox.byIds(interactions.flatMap((i) => outboxIdOf(i.payload) ?? []))).map((row) => [row.id, row]),
    );
    const names = new Map(staff.map((s) => [s.id, s.name]));
    const now = this.deps.clock.now();
    const messages: DeskMessage[] = interactions
      .filter((i) => !isQuestionEvent(i.payload))
      .map((interaction) => {
        const row = outbox.get(outboxIdOf(interaction.payload) ?? 0);
        const assigneeId = assigneeOf(interaction.payload);
        return {
          interaction,
          staffName: interaction.staffId ? (names.get(interaction.staffId) ?? null) : platformAuthorOf(interaction),
          assigneeName: assigneeId ? (names.get(assigneeId) ?? null) : null,
          delivery: row ? this.deliveryOf(row, now) : null,
          buttons: row ? buttonLabels(row.buttons) : [],
        };
      });
    const { assignee, ...rest } = conversation;
    // Agents read the phone masked here too (the Telegram /profile and the console's raw view).
    const customer = customerFor(deskActor(user), conversation.customer);
    return {
      conversation: { ...rest, customer, assignee: assignee ? { id: assignee.id, name: assignee.name } : null },
      customer,
      identities,
      tags,
      notes,
      orders,
      cases,
      messages,
      timeline,
    };
  }

  /** Queued proactive messages wait out quiet hours; others may be scheduled for later. */
  private deliveryOf(row: OutboxMessage, now: Date): DeliveryState {
    const base = { status: row.status, error: row.error };
    if (
      row.status === 'queued' &&
      isProactive(row.purpose) &&
      isWithin(this.quietHours, now, this.deps.config.shop.timezone)
    ) {
      const until = new Date(now.getTime() + msUntilEnd(this.quietHours, now, this.deps.config.shop.timezone));
      return { ...base, heldUntil: until, heldBy: 'quiet_hours' };
    }
    if (row.status === 'queued' && row.notBefore > now)
      return { ...base, heldUntil: row.notBefore, heldBy: 'schedule' };
    return { ...base, heldUntil: null, heldBy: null };
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

  /** Hands the conversation to another staff member; the receiver is told live (with the note, if any). */
  async transfer(user: DeskUser, id: number, toStaffId: number, note?: string): Promise<Conversation> {
    await this.load(user, id, true);
    const target = await this.deps.store.repos.staff.get(toStaffId);
    if (!target?.active) throw new NotFoundError(`staff ${toStaffId}`);
    // The note first: after the hand-over an agent may no longer see the conversation. Its live
    // event is the transfer below (a separate note event would make the sender's console reload a
    // profile that is no longer theirs).
    if (note?.trim()) await this.writeNote(user, id, note, false);
    const updated = await this.conversations.transition(id, 'transfer', deskActor(user), {
      assigneeId: toStaffId,
      reason: `transfer to ${target.username}`,
    });
    this.deps.events.emit('desk', {
      type: 'transfer',
      conversationId: id,
      staffId: toStaffId,
      byName: user.name,
      ...(note?.trim() ? { text: note.trim() } : {}),
    });
    await this.relayAction(updated, user, 'transfer', target.name);
    return updated;
  }

  async requeue(user: DeskUser, id: number): Promise<Conversation> {
    await this.load(user, id, true);
    const updated = await this.conversations.transition(id, 'requeue', deskActor(user));
    this.deps.events.emit('desk', { type: 'requeue', conversationId: id, staffId: null, byName: user.name });
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
        await this.tellCustomer(updated, (locale) => [{ text: resolvedNotice[locale] }], null, 'system'),
      );
    }
    await this.relayAction(updated, user, 'resolve');
    await this.escalation.autoAssign();
    return updated;
  }

  /**
   * Brings a resolved conversation back, owned by the caller. If the customer has written again since,
   * their newer conversation in that chat is the one to continue: it is taken instead (unless another
   * agent already owns it) and returned.
   */
  async reopen(user: DeskUser, id: number): Promise<Conversation> {
    if (user.staffId === null) throw new DeskForbiddenError('reopening a conversation needs a staff account');
    const conversation = await this.load(user, id, false);
    if (conversation.status !== 'resolved') throw new IllegalTransitionError('reopen', conversation.status);
    const live = await this.deps.store.repos.conversations.findLive(conversation.customerId, conversation.chatId);
    if (live?.status === 'open' && live.assigneeId === user.staffId) return live;
    if (live?.status === 'open') {
      throw new DeskForbiddenError(`the customer's newer conversation #${live.id} is with another agent`);
    }
    const updated = live
      ? await this.conversations.transition(live.id, 'take', deskActor(user), {
          assigneeId: user.staffId,
          reason: 'reopen',
        })
      : await this.conversations.transition(id, 'reopen', deskActor(user), { assigneeId: user.staffId });
    await this.relayAction(updated, user, 'take');
    return updated;
  }

  /**
   * Stores a photo staff will send in this conversation (checked like a customer's upload); the
   * reply then names it. Only someone who may act on the conversation may upload into it.
   */
  async uploadPhoto(user: DeskUser, id: number, bytes: Buffer, name?: string): Promise<Attachment> {
    const conversation = await this.load(user, id, true);
    const { repos } = this.deps.store;
    const chat = await repos.chats.get(conversation.chatId);
    if (!chat) throw new NotFoundError(`conversation ${id}`);
    // Owned by the customer it goes to (as in tellCustomer), so they may read it back like their own.
    const identity = (await repos.customers.identities(conversation.customerId)).find(
      (i) => i.channel === chat.channel,
    );
    const saved = await this.attachments.saveImage({
      channel: chat.channel,
      owner: identity?.externalId ?? chat.externalId,
      bytes,
      name,
      staffUpload: { conversationId: id, staffId: user.staffId },
    });
    return asMessageAttachment(saved);
  }

  /**
   * Sends staff text and/or photos (uploaded with uploadPhoto) to the customer on their channel; a
   * reply to a waiting conversation takes it first. The text goes with the first photo as its caption.
   */
  async reply(user: DeskUser, id: number, text: string, photoIds: string[] = []): Promise<Conversation> {
    let conversation = await this.load(user, id, true);
    const clean = text.trim().slice(0, 4000);
    if (!clean && photoIds.length === 0) throw new InvalidInputError('empty reply');
    const photos = (await this.attachments.ofStaffUpload(id, user.staffId, photoIds)).map(asMessageAttachment);
    if (conversation.status === 'pending' && user.staffId !== null) conversation = await this.take(user, id);
    if (conversation.status !== 'open') throw new IllegalTransitionError('take', conversation.status);
    const replies: Reply[] = photos.length
      ? photos.map((photo, index) => ({ text: index === 0 ? clean : '', attachments: [photo] }))
      : [{ text: clean }];
    const now = this.deps.clock.now();
    const rows = await this.deps.store.transaction(async (repos) => {
      const queued = await this.tellCustomer(conversation, () => replies, user.staffId, 'staff');
      await repos.desk.markFirstResponse(id, now);
      await audit(repos, now, {
        actor: deskActor(user),
        action: 'conversation.reply',
        entity: 'conversation',
        entityId: id,
        details: {
          length: clean.length,
          source: user.source ?? 'api',
          ...(photos.length ? { photos: photos.map((p) => p.id) } : {}),
        },
      });
      return queued;
    });
    this.messaging.announce(rows);
    const shown = photos.length ? `${photoNotice[this.deps.config.shop.locale]} ${clean}`.trim() : clean;
    this.deps.events.emit('desk', { type: 'reply', conversationId: id, staffId: user.staffId, text: shown });
    await this.relayAction(conversation, user, 'reply', shown);
    return (await this.deps.store.repos.conversations.get(id)) ?? conversation;
  }

  /**
   * Tells the customer, live, that the staff member holding the conversation is typing a reply (or
   * stopped). Only the holder may start: an admin looking on is not the one answering (403), and a
   * conversation that is not open (waiting, back with the bot, resolved) has nobody answering it
   * (409). A stop from anyone else, or after the conversation was resolved or handed over, changes
   * nothing and is accepted: it can cross the resolve on the wire. Writes nothing (no interaction,
   * audit or outbox row); the `typing` event reaches the customer's chat view on any instance.
   */
  async typing(user: DeskUser, id: number, typing: boolean): Promise<void> {
    const conversation = await this.load(user, id, false);
    const holds = user.staffId !== null && conversation.status === 'open' && conversation.assigneeId === user.staffId;
    if (!holds) {
      if (!typing) return;
      if (user.staffId === null) throw new DeskForbiddenError('a typing signal needs a staff account');
      if (conversation.status !== 'open')
        throw new ConflictError(`nobody is answering a conversation that is ${conversation.status}`);
      throw new DeskForbiddenError('only the staff member holding the conversation is answering it');
    }
    const chat = await this.deps.store.repos.chats.get(conversation.chatId);
    if (!chat) throw new NotFoundError(`conversation ${id}`);
    this.deps.events.emit('typing', {
      conversationId: id,
      channel: chat.channel,
      chatExternalId: chat.externalId,
      staffName: user.name,
      typing,
    });
  }

  /** Replies with a canned reply (by shortcut), in the customer's language when it has a translation. */
  async replyCanned(user: DeskUser, id: number, shortcut: string): Promise<Conversation> {
    const conversation = await this.load(user, id, true);
    const canned = await this.deps.store.repos.desk.cannedReply(shortcut);
    if (!canned) throw new NotFoundError(`canned reply ${shortcut}`);
    const customer = await this.deps.store.repos.customers.get(conversation.customerId);
    const locale = pickLocale(customer?.locale, this.deps.config.shop.locale);
    return this.reply(user, id, locale === 'en' && canned.textEn ? canned.textEn : canned.text);
  }

  /** An internal note: visible to staff only, never sent to the customer. */
  note(user: DeskUser, id: number, text: string): Promise<void> {
    return this.writeNote(user, id, text, true);
  }

  private async writeNote(user: DeskUser, id: number, text: string, announce: boolean): Promise<void> {
    const conversation = await this.load(user, id, false);
    const clean = text.trim().slice(0, 4000);
    if (!clean) throw new InvalidInputError('empty note');
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
      // The profile's Notes are the customer's notes: one written here belongs there too.
      await repos.customers.addNote(conversation.customerId, clean, user.staffId, now);
      await audit(repos, now, {
        actor: deskActor(user),
        action: 'conversation.note',
        entity: 'conversation',
        entityId: id,
      });
    });
    if (announce)
      this.deps.events.emit('desk', { type: 'note', conversationId: id, staffId: user.staffId, text: clean });
    await this.relayAction(conversation, user, 'note', clean);
  }

  /** Queues replies for the conversation's own chat (whatever channel); the caller announces after commit. */
  private tellCustomer(
    conversation: Conversation,
    content: (locale: 'zh-CN' | 'en') => Reply[],
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
        content(locale),
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

function payloadField(payload: unknown, key: string): unknown {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? Object.entries(payload).find(([k]) => k === key)?.[1]
    : undefined;
}

function outboxIdOf(payload: unknown): number | undefined {
  const value = payloadField(payload, 'outboxId');
  return typeof value === 'number' ? value : undefined;
}

const QuestionEvent = PresaleQuestion.pick({ type: true });

/** A logged pre-sale question: the question itself is the message, so the event is left out of the thread. */
function isQuestionEvent(payload: unknown): boolean {
  return QuestionEvent.safeParse(payload).success;
}

/** A staff message written in a platform's own app by someone with no staff account (`WeCom 接待人员 <userid>`). */
function platformAuthorOf(interaction: Interaction): string | null {
  if (interaction.kind !== 'staff_reply') return null;
  const author = payloadField(interaction.payload, 'author');
  return typeof author === 'string' ? author : null;
}

function assigneeOf(payload: unknown): number | undefined {
  const value = payloadField(payload, 'assigneeId');
  return typeof value === 'number' ? value : undefined;
}

function buttonLabels(buttons: unknown): string[] {
  const parsed = Button.array().safeParse(buttons);
  return parsed.success ? parsed.data.map((b) => b.label) : [];
}
