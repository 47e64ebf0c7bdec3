// Conversation lifecycle (Chatwoot's vocabulary): bot → pending (waiting for staff) → open (staff
// owns it) → resolved. The transition table is the single authority on what may happen.

import type { Conversation } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
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
}
