// Conversation lifecycle (Chatwoot's vocabulary): bot → pending (waiting for staff) → open (staff
// owns it) → resolved. The transition table is the single authority on what may happen.

import type { Conversation } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import type { ConversationAction, ConversationStatus } from '../domain/conversations.ts';
import { ConflictError } from '../domain/errors.ts';
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
   * conversation becomes `open`, unassigned, with reason `<channel>:<who>`, so the bot stays silent
   * and the console shows it as taken there. Nothing happens when staff already own it.
   */
  async takeOnPlatform(channel: ChannelName, chatExternalId: string, by: string): Promise<void> {
    const conversation = await this.liveIn(channel, chatExternalId);
    if (!conversation || conversation.status === 'open') return;
    await this.transition(
      conversation.id,
      'take',
      { type: 'system' },
      { assigneeId: null, reason: platformReason(channel, by) },
    );
  }

  /** The platform ended the chat's session (the 接待人员 closed it): the live conversation is resolved. */
  async endOnPlatform(channel: ChannelName, chatExternalId: string, by: string): Promise<void> {
    const conversation = await this.liveIn(channel, chatExternalId);
    if (!conversation || conversation.status === 'bot') return;
    await this.transition(conversation.id, 'resolve', { type: 'system' }, { reason: platformReason(channel, by) });
  }

  /** The channel and platform chat id of a conversation (for adapters mirroring its state). */
  async platformChat(conversationId: number): Promise<{ channel: ChannelName; externalId: string } | null> {
    const { repos } = this.deps.store;
    const conversation = await repos.conversations.get(conversationId);
    const chat = conversation ? await repos.chats.get(conversation.chatId) : null;
    return chat ? { channel: chat.channel, externalId: chat.externalId } : null;
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
}

/** The reason recorded for a change made on the platform, e.g. `wecom:zhangsan`; adapters skip their own. */
export function platformReason(channel: ChannelName, by: string): string {
  return `${channel}:${by.slice(0, 64)}`;
}
