// Conversation lifecycle (Chatwoot's vocabulary): bot → pending (waiting for staff) → open (staff
// owns it) → resolved. The transition table is the single authority on what may happen.

import type { Conversation, Staff } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { ConversationAction, ConversationStatus } from '../domain/conversations.ts';
import { ConflictError } from '../domain/errors.ts';
import type { PlatformRefusal } from '../domain/profile-events.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { recordEvent } from './profile-events.ts';

export type { ConversationAction } from '../domain/conversations.ts';

export const transitions: Record<ConversationAction, { from: ConversationStatus[]; to: ConversationStatus }> = {
  escalate: { from: ['bot'], to: 'pending' },
  take: { from: ['pending', 'bot'], to: 'open' },
  transfer: { from: ['open', 'pending'], to: 'open' },
  requeue: { from: ['open'], to: 'pending' },
  release: { from: ['pending', 'open'], to: 'bot' },
  resolve: { from: ['bot', 'pending', 'open'], to: 'resolved' },
  /** Staff bring a resolved conversation back (from the history) and own it again. */
  reopen: { from: ['resolved'], to: 'open' },
};

/** The conversation is not in a state the action may start from (someone else moved it first). */
export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly action: ConversationAction,
    readonly status: ConversationStatus | 'missing',
  ) {
    super(`cannot ${action} a conversation that is ${status}`);
  }
}

export class ConversationService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Moves a conversation along the state machine, atomically: if another staff member or instance
   * changed it first, this fails with IllegalTransitionError instead of overwriting.
   */
  async transition(
    conversationId: number,
    action: ConversationAction,
    actor: Actor,
    extra: {
      assigneeId?: number | null;
      reason?: string;
      priority?: number;
      /** SLA due dates set together with an escalation. */
      sla?: { firstResponseDueAt: Date | null; resolutionDueAt: Date | null };
    } = {},
  ): Promise<Conversation> {
    const rule = transitions[action];
    const now = this.deps.clock.now();
    const updated = await this.deps.store.transaction(async (repos) => {
      const current = await repos.conversations.get(conversationId);
      if (!current) throw new IllegalTransitionError(action, 'missing');
      const patch = {
        status: rule.to,
        ...(action === 'escalate'
          ? {
              escalatedAt: now,
              escalationReason: extra.reason ?? null,
              priority: extra.priority ?? current.priority,
              assigneeId: null,
              takenAt: null,
              firstResponseAt: null,
              resolvedAt: null,
              slaWarnedAt: null,
              slaBreachedAt: null,
              ...(extra.sla ?? {}),
            }
          : {}),
        ...(action === 'take' || action === 'transfer' ? { assigneeId: extra.assigneeId ?? null, takenAt: now } : {}),
        ...(action === 'requeue' ? { assigneeId: null } : {}),
        ...(action === 'release' ? { assigneeId: null, flow: null, flowState: null, failedTurns: 0 } : {}),
        ...(action === 'resolve' ? { resolvedAt: now } : {}),
        ...(action === 'reopen' ? { assigneeId: extra.assigneeId ?? null, takenAt: now, resolvedAt: null } : {}),
      };
      const result =
        action === 'reopen'
          ? await repos.conversations.reopen(conversationId, patch)
          : await repos.conversations.transition(conversationId, rule.from, patch);
      if (!result) throw new IllegalTransitionError(action, current.status);
      await recordEvent(repos, now, {
        customerId: current.customerId,
        conversationId,
        chatId: current.chatId,
        text: `conversation ${action}`,
        event: {
          type: `conversation.${action}`,
          from: current.status,
          to: rule.to,
          ...(extra.reason ? { reason: extra.reason } : {}),
          ...(extra.assigneeId ? { assigneeId: extra.assigneeId } : {}),
        },
        staffId: actor.type === 'staff' ? actor.staffId : null,
      });
      if (actor.type === 'staff' || actor.type === 'admin') {
        await audit(repos, now, {
          actor,
          action: `conversation.${action}`,
          entity: 'conversation',
          entityId: conversationId,
          details: { from: current.status, to: rule.to, ...(extra.reason ? { reason: extra.reason } : {}) },
        });
      }
      return result;
    });
    this.deps.events.emit('conversation', {
      id: updated.id,
      status: updated.status,
      assigneeId: updated.assigneeId,
      ...(extra.reason ? { reason: extra.reason } : {}),
    });
    return updated;
  }

  /**
   * A person took the chat on the platform itself (a WeCom 接待人员 in the WeCom app): its live
   * conversation becomes `open`, assigned to the staff account registered with that platform user id
   * (else unassigned: read-only for agents), with reason `<channel>:<who>`, so the bot stays silent and
   * the console shows who holds it. Nothing happens when that account already owns it.
   */
  async takeOnPlatform(channel: ChannelName, chatExternalId: string, by: string): Promise<void> {
    const conversation = await this.liveIn(channel, chatExternalId);
    if (!conversation) return;
    const staff = await this.staffOnPlatform(channel, by);
    const assigneeId = staff?.id ?? null;
    if (conversation.status === 'open' && assigneeId !== null && conversation.assigneeId === assigneeId) return;
    await this.transition(
      conversation.id,
      conversation.status === 'open' ? 'transfer' : 'take',
      { type: 'system' },
      { assigneeId, reason: platformReason(channel, by) },
    );
  }

  /** The platform ended the chat's session (the 接待人员 closed it): the live conversation is resolved. */
  async endOnPlatform(channel: ChannelName, chatExternalId: string, by: string): Promise<void> {
    const conversation = await this.liveIn(channel, chatExternalId);
    if (!conversation || conversation.status === 'bot') return;
    await this.transition(conversation.id, 'resolve', { type: 'system' }, { reason: platformReason(channel, by) });
  }

  /**
   * A message a person sent from the platform's own app (a WeCom 接待人员): logged on the customer's
   * live conversation as a staff reply (by the mapped staff account, else named after the platform
   * user), never sent again. A replayed message id is logged once.
   */
  async logStaffMessageOnPlatform(
    channel: ChannelName,
    chatExternalId: string,
    message: { messageId: string; by: string; text: string; at: Date },
  ): Promise<void> {
    const { store, clock } = this.deps;
    const [chat, identity] = await Promise.all([
      store.repos.chats.find(channel, chatExternalId),
      store.repos.customers.findIdentity(channel, chatExternalId),
    ]);
    if (!chat || !identity) return;
    const staff = await this.staffOnPlatform(channel, message.by);
    const logged = await store.transaction(async (repos) => {
      if (!(await repos.processed.claim(channel, message.messageId, clock.now()))) return null;
      const live = await repos.conversations.findLive(identity.customerId, chat.id);
      await repos.interactions.append({
        customerId: identity.customerId,
        conversationId: live?.id ?? null,
        chatId: chat.id,
        channel,
        direction: 'out',
        kind: 'staff_reply',
        text: message.text,
        payload: {
          messageId: message.messageId,
          platformUser: message.by,
          ...(staff ? {} : { author: platformStaffName(channel, message.by) }),
        },
        staffId: staff?.id ?? null,
        at: message.at,
      });
      if (live) await repos.desk.markFirstResponse(live.id, message.at);
      return live;
    });
    if (logged) {
      this.deps.events.emit('desk', {
        type: 'reply',
        conversationId: logged.id,
        staffId: staff?.id ?? null,
        text: message.text,
      });
    }
  }

  /**
   * The platform refused to follow a change made in Guanxi (WeCom would not move the session): an
   * event on the live conversation says why, in the console, so the agent knows; Guanxi's state stands.
   */
  async platformRefused(
    channel: ChannelName,
    chatExternalId: string,
    refusal: { reason: PlatformRefusal; wanted: string },
  ): Promise<void> {
    const { store, clock } = this.deps;
    const conversation = await this.liveIn(channel, chatExternalId);
    const latest = conversation ?? (await this.latestIn(channel, chatExternalId));
    if (!latest) return;
    await store.transaction(async (repos) => {
      await recordEvent(repos, clock.now(), {
        customerId: latest.customerId,
        conversationId: latest.id,
        chatId: latest.chatId,
        text: `${channel} session not moved: ${refusal.reason}`,
        event: {
          type: 'platform.session_refused',
          channel,
          reason: refusal.reason,
          wanted: refusal.wanted.slice(0, 80),
        },
        staffId: null,
      });
    });
    this.deps.events.emit('desk', { type: 'platform', conversationId: latest.id, staffId: latest.assigneeId });
  }

  /**
   * The channel and platform chat id of a conversation, and its assignee's ids on platforms (for
   * adapters mirroring its state).
   */
  async platformChat(conversationId: number): Promise<{
    channel: ChannelName;
    externalId: string;
    assignee: { staffId: number; wecomUserId: string | null } | null;
  } | null> {
    const { repos } = this.deps.store;
    const conversation = await repos.conversations.get(conversationId);
    const chat = conversation ? await repos.chats.get(conversation.chatId) : null;
    if (!conversation || !chat) return null;
    const staff = conversation.assigneeId === null ? null : await repos.staff.get(conversation.assigneeId);
    return {
      channel: chat.channel,
      externalId: chat.externalId,
      assignee: staff ? { staffId: staff.id, wecomUserId: staff.wecomUserId } : null,
    };
  }

  /** The active staff account a platform user is (WeCom: the account's wecomUserId). */
  private async staffOnPlatform(channel: ChannelName, userId: string): Promise<Staff | null> {
    if (channel !== 'wecom') return null;
    const staff = await this.deps.store.repos.staff.byWecomUser(userId);
    return staff?.active ? staff : null;
  }

  /** The live conversation of a private chat (its customer is the chat's identity). */
  private async liveIn(channel: ChannelName, chatExternalId: string): Promise<Conversation | null> {
    const { repos } = this.deps.store;
    const [chat, identity] = await Promise.all([
      repos.chats.find(channel, chatExternalId),
      repos.customers.findIdentity(channel, chatExternalId),
    ]);
    return chat && identity ? repos.conversations.findLive(identity.customerId, chat.id) : null;
  }

  /** The chat's most recent conversation, live or not. */
  private async latestIn(channel: ChannelName, chatExternalId: string): Promise<Conversation | null> {
    const { repos } = this.deps.store;
    const identity = await repos.customers.findIdentity(channel, chatExternalId);
    if (!identity) return null;
    const [latest] = await repos.conversations.forCustomer(identity.customerId, 1);
    return latest ?? null;
  }
}

/** How the console names a platform user with no staff account, e.g. `WeCom 接待人员 zhangsan`. */
export function platformStaffName(channel: ChannelName, userId: string): string {
  return channel === 'wecom' ? `WeCom 接待人员 ${userId.slice(0, 64)}` : `${channel} ${userId.slice(0, 64)}`;
}

/** The reason recorded for a change made on the platform, e.g. `wecom:zhangsan`; adapters skip their own. */
export function platformReason(channel: ChannelName, by: string): string {
  return `${channel}:${by.slice(0, 64)}`;
}
