// The message pipeline (ARCHITECTURE.md section 3):
// dedupe ▶ identify ▶ conversation ▶ log ▶ route ▶ flow ▶ replies ▶ outbox.
// Steps 1–4 commit in one transaction, the flow runs outside any transaction (it may call an LLM or
// services with transactions of their own), and replies + flow state commit together at the end.

import type { EscalationRequest } from '../crm/escalation.ts';
import type { Services } from '../crm/services.ts';
import type { LanguageWrite, ReceivedMessage, ReplyCommit } from '../db/pipeline-store.ts';
import type { Store } from '../db/store.ts';
import type { Conversation, JsonValue } from '../db/types.ts';
import { clampText, Inbound, type Reply } from '../domain/messages.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventBus } from '../kernel/events.ts';
import { type Locale, translator } from '../kernel/i18n.ts';
import { KeyedLock } from '../kernel/keyed-lock.ts';
import type { Logger } from '../kernel/logger.ts';
import type { HandleResult } from './channel.ts';
import type { FlowContext, FlowResult } from './flow.ts';
import type { RouteInput, Router } from './router.ts';
import { TurnRecord } from './turn.ts';

export interface PipelineDeps {
  store: Store;
  clock: Clock;
  events: EventBus;
  services: Services;
  router: Router;
  log: Logger;
  shopLocale: Locale;
  /** Called when a flow hands off, or the bot failed to understand; returns the replies for the customer. */
  escalate: (request: EscalationRequest, reason: string) => Promise<Reply[]>;
  /** The reply when nothing understood the message (offers the main menu). */
  notUnderstood: (ctx: FlowContext) => Reply[];
  /** Consecutive "not understood" turns after which the conversation is escalated (0 = never). */
  escalateAfterFailures: number;
  /**
   * Whether staff own the conversation (the bot stays silent). Default: pending or open. Outside
   * shop hours a pending conversation may be left to the bot for simple questions.
   */
  staffOwns?: (conversation: Conversation, at: Date) => boolean;
}

const MAX_SWITCHES = 3;

export class Pipeline {
  private readonly locks = new KeyedLock();

  constructor(private readonly deps: PipelineDeps) {}

  /** Handles one inbound message. Never throws on bad input: invalid messages are rejected with status 'ignored'. */
  async handle(raw: Inbound): Promise<HandleResult> {
    const parsed = Inbound.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn({ issues: parsed.error.issues.map((i) => i.message) }, 'invalid inbound message dropped');
      return { status: 'ignored', outboxIds: [] };
    }
    const inbound = { ...parsed.data, text: clampText(parsed.data.text) };
    const key = `${inbound.channel}:${inbound.chat.id}:${inbound.sender.id}`;
    return this.locks.run(key, () => this.process(inbound));
  }

  private async process(inbound: Inbound): Promise<HandleResult> {
    const { store } = this.deps;
    const sourceKey = `${inbound.channel}:${inbound.messageId}`;
    const addressed =
      inbound.chat.kind === 'private' ||
      inbound.mentionsBot ||
      Boolean(inbound.action) ||
      inbound.text.trim().startsWith('/');

    // Steps 1–4: dedupe, identify, conversation, log (one transaction).
    const received = await store.pipeline.receive({
      channel: inbound.channel,
      messageId: inbound.messageId,
      at: inbound.at,
      chat: {
        externalId: inbound.chat.id,
        kind: inbound.chat.kind,
        ...(inbound.chat.title ? { title: inbound.chat.title } : {}),
      },
      sender: { externalId: inbound.sender.id, ...(inbound.sender.name ? { name: inbound.sender.name } : {}) },
      addressed,
      interaction: {
        kind: inbound.action ? 'button' : 'message',
        text: inbound.action ? inbound.action.data : inbound.text,
        payload: {
          messageId: inbound.messageId,
          ...(inbound.action ? { label: inbound.text } : {}),
          ...(inbound.attachment ? { attachment: inbound.attachment.kind } : {}),
          ...(inbound.attachments?.length ? { attachments: inbound.attachments.map((a) => a.id) } : {}),
          ...(inbound.chat.kind === 'group' ? { group: true, addressed } : {}),
        },
      },
    });

    if (!received)
      return { status: 'duplicate', outboxIds: (await store.repos.outbox.bySource(sourceKey)).map((r) => r.id) };
    const { customer, conversation } = received;
    this.deps.events.emit('interaction', {
      id: received.interactionId,
      customerId: customer.id,
      conversationId: conversation.id,
      kind: inbound.action ? 'button' : 'message',
      direction: 'in',
    });
    const summary = { id: conversation.id, status: conversation.status, flow: conversation.flow };
    // Groups: the bot speaks only when addressed. Staff-owned conversations: the bot stays silent.
    if (!addressed) return { status: 'ignored', conversation: summary, outboxIds: [] };
    const staffOwns = this.deps.staffOwns
      ? this.deps.staffOwns(conversation, this.deps.clock.now())
      : conversation.status === 'pending' || conversation.status === 'open';
    if (staffOwns) {
      return { status: 'processed', conversation: summary, outboxIds: [] };
    }
    return this.respond(inbound, received, sourceKey);
  }

  private async respond(inbound: Inbound, received: ReceivedMessage, sourceKey: string): Promise<HandleResult> {
    const language = this.deps.services.language.forMessage(received.customer, {
      text: inbound.text,
      ...(inbound.action ? { action: inbound.action.data } : {}),
    });
    const ctx = this.context(inbound, received, language.locale);
    let outcome: { flow: string | null; state: unknown; replies: Reply[]; understood: boolean; handoff?: string };
    try {
      outcome = await this.runFlows(ctx);
    } catch (error) {
      this.deps.log.error({ err: error, conversationId: received.conversation.id }, 'flow failed');
      ctx.turn.discard();
      outcome = { flow: null, state: null, replies: this.deps.notUnderstood(ctx), understood: false };
    }
    const failedTurns = outcome.understood ? 0 : received.conversation.failedTurns + 1;
    const giveUp = this.deps.escalateAfterFailures > 0 && failedTurns >= this.deps.escalateAfterFailures;
    const handoffReason = outcome.handoff ?? (giveUp ? 'not_understood' : undefined);
    const replies = handoffReason
      ? [...outcome.replies, ...(await this.deps.escalate(escalationOf(ctx), handoffReason))]
      : outcome.replies;

    const target = {
      customerId: received.customer.id,
      conversationId: received.conversation.id,
      chat: received.chat,
      senderExternalId: inbound.sender.id,
      locale: ctx.locale,
    };
    const needsPrivate = received.chat.kind === 'group' && replies.some((r) => r.private);
    const privateChat = needsPrivate
      ? await this.deps.store.pipeline.privateChat(received.chat.channel, inbound.sender.id)
      : null;
    const { outbox: rows, conversation: after } = await this.deps.store.pipeline.commit({
      conversationId: received.conversation.id,
      at: this.deps.clock.now(),
      flow: { name: outcome.flow, state: outcome.flow ? jsonState(outcome.state) : null },
      failedTurns: handoffReason ? 0 : failedTurns,
      outbound: this.deps.services.messaging.plan(target, replies, privateChat, { purpose: 'reply', sourceKey }),
      profile: profileOf(ctx, received, language.write),
    });
    this.deps.services.messaging.announce(rows);
    return {
      status: 'processed',
      conversation: {
        id: received.conversation.id,
        status: after?.status ?? received.conversation.status,
        flow: after?.flow ?? null,
      },
      outboxIds: rows.map((r) => r.id),
    };
  }

  /** Routes the message and runs flows until one answers: a `switch` starts the next flow (at most MAX_SWITCHES). */
  private async runFlows(ctx: FlowContext) {
    const route = await this.deps.router.route(routeInput(ctx));
    let result: FlowResult<unknown> | null = null;
    let flowName: string | null = null;
    switch (route.kind) {
      case 'start':
      case 'resume':
        flowName = route.flow;
        result = await route.run(ctx);
        break;
      case 'fallback':
        for (const fallback of route.fallbacks) {
          result = await fallback(ctx);
          if (result) break;
        }
        break;
      case 'unknown':
        break;
    }
    const replies: Reply[] = [];
    for (let hops = 0; result?.type === 'switch' && hops < MAX_SWITCHES; hops++) {
      replies.push(...(result.replies ?? []));
      const next = this.deps.router.flow(result.flow);
      if (!next) {
        result = null;
        break;
      }
      flowName = next.name;
      // A payload the next flow does not accept starts it without an action.
      result = await (next.accept(result.input) ?? next.plain()).start(ctx);
    }
    if (!result || result.type === 'switch') {
      return { flow: null, state: null, replies: [...replies, ...this.deps.notUnderstood(ctx)], understood: false };
    }
    replies.push(...result.replies);
    switch (result.type) {
      case 'continue':
        return { flow: flowName, state: result.state, replies, understood: true };
      case 'done':
        return { flow: null, state: null, replies, understood: result.understood !== false };
      case 'handoff':
        return { flow: null, state: null, replies, understood: true, handoff: result.reason };
    }
  }

  /** `locale`: the language this message is answered in (src/crm/language.ts decides it). */
  private context(inbound: Inbound, received: ReceivedMessage, locale: Locale): FlowContext {
    return {
      inbound,
      customer: received.customer,
      identity: received.identity,
      conversation: received.conversation,
      chat: received.chat,
      locale,
      t: translator(locale),
      services: this.deps.services,
      now: this.deps.clock.now(),
      text: inbound.text.replace(/\s+/g, ' ').trim(),
      turn: new TurnRecord(),
    };
  }
}

/** What the router needs of the message: the text, a pressed button, the active flow and its state. */
function routeInput(ctx: FlowContext): RouteInput {
  const { flow, flowState } = ctx.conversation;
  return {
    text: ctx.text,
    ...(ctx.inbound.action ? { action: ctx.inbound.action.data } : {}),
    ...(flow ? { active: { flow, state: flowState } } : {}),
    ...(ctx.inbound.attachments?.length ? { attachments: ctx.inbound.attachments.length } : {}),
  };
}

/** What escalation needs of the turn: who, where, in which language, and what they wrote. */
function escalationOf(ctx: FlowContext): EscalationRequest {
  const { conversation, customer, chat, locale, text } = ctx;
  return { conversation, customer, chat, locale, text };
}

/**
 * The turn's profile record as rows for the commit. The customer's explicit language choice replaces
 * the change their use of a language made (`usage`).
 */
function profileOf(
  ctx: FlowContext,
  received: ReceivedMessage,
  usage: LanguageWrite | undefined,
): ReplyCommit['profile'] {
  const customerId = received.customer.id;
  const choice = ctx.turn.languageChoice;
  const language = choice?.language ?? usage;
  return {
    ...(language ? { language } : {}),
    ...(choice ? { audits: [choice.audit] } : {}),
    events: ctx.turn.events.map((event) => ({
      customerId,
      conversationId: received.conversation.id,
      chatId: received.chat.id,
      channel: received.chat.channel,
      direction: 'event',
      kind: 'event',
      text: event.text,
      payload: event.payload,
      at: ctx.now,
    })),
    tags: ctx.turn.tags.map((tag) => ({ customerId, ...tag })),
  };
}

/** Flow state is validated by the flow's zod schema on the way back in; here it only has to be JSON. */
function jsonState(state: unknown): JsonValue {
  return JSON.parse(JSON.stringify(state ?? null));
}
