// Escalation: a conversation leaves the bot for the staff queue. Grades complaints, sets the queue
// priority and SLA clocks, opens the complaint case, auto-assigns, and tells the customer what
// happens next and how long it should take.
import type { Chat, Conversation, Customer } from '../db/types.ts';
import { EscalationReason } from '../domain/conversations.ts';
import type { Reply } from '../domain/messages.ts';
import { parseHours } from '../kernel/hours.ts';
import { type Locale, msg, type Translate, translator } from '../kernel/i18n.ts';
import type { CaseService } from './cases.ts';
import { detectComplaint } from './complaints.ts';
import type { ServiceDeps } from './context.ts';
import { type ConversationService, IllegalTransitionError } from './conversations.ts';
import { inShopHours, priorityLevel, queuePriority, slaDueDates, slaTargets } from './service-levels.ts';
import type { StaffRelayHub } from './staff-relay.ts';

const text = {
  assigned: msg(
    '已为你转接人工客服（{name}），TA 会在这里回复你，你可以先把问题描述一下。',
    'You are now with our staff member {name}, who will reply here. Feel free to describe the issue meanwhile.',
  ),
  queued: msg(
    '已为你转接人工客服。你前面还有 {ahead} 位顾客，预计等待约 {minutes} 分钟。客服会在这里回复你，你可以先把问题描述一下。',
    'I have passed you to our staff. There are {ahead} customers ahead of you; the expected wait is about {minutes} min. Staff will reply here; feel free to describe the issue meanwhile.',
  ),
  next: msg(
    '已为你转接人工客服。你是下一位，预计等待约 {minutes} 分钟。客服会在这里回复你，你可以先把问题描述一下。',
    'I have passed you to our staff. You are next; the expected wait is about {minutes} min. Staff will reply here; feel free to describe the issue meanwhile.',
  ),
  nobodyOnline: msg(
    '已为你转接人工客服。客服暂时都不在线，你在队列中排第 {position} 位，客服上线后会在这里回复你。你可以先把问题描述一下。',
    'I have passed you to our staff. Nobody is online right now; you are number {position} in the queue and staff will reply here when they are back. Feel free to describe the issue meanwhile.',
  ),
  closed: msg(
    '现在是非工作时间（客服时间 {hours}）。你已在人工队列中，客服 {opens} 上线后会第一时间回复你。在此之前我仍可以回答商品、订单、积分等简单问题。',
    'Our staff are offline now (service hours {hours}). You are in the queue and staff will reply first thing at {opens}. Until then I can still answer simple questions about products, orders and points.',
  ),
  alreadyQueued: msg(
    '你已在人工队列中，客服 {opens} 上线后会回复你。',
    'You are already in the queue; staff will reply when they are back at {opens}.',
  ),
  complaint: msg(
    '非常抱歉给你带来不好的体验。我们已登记你的投诉（编号 {caseNo}），会优先处理。',
    'We are very sorry about this experience. Your complaint is registered (no. {caseNo}) and will be handled with priority.',
  ),
};

/** The turn that hands off to staff, as the pipeline knows it. */
export interface EscalationRequest {
  conversation: Conversation;
  customer: Customer;
  chat: Chat;
  locale: Locale;
  /** The customer's message (bot mention removed): graded for complaint words, kept in a complaint case. */
  text: string;
}

/** The reason that counts as a complaint even when the message itself has no complaint words. */
const COMPLAINT = EscalationReason.enum.complaint;

export class EscalationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly conversations: ConversationService,
    private readonly relay: StaffRelayHub,
    private readonly cases: CaseService,
  ) {}

  private get hours() {
    return parseHours(this.deps.config.shop.hours);
  }

  isShopOpen(at: Date = this.deps.clock.now()): boolean {
    return inShopHours(this.hours, at, this.deps.config.shop.timezone);
  }

  /** The pipeline's escalate hook: moves the conversation to the queue and returns the customer's replies. */
  async escalate(request: EscalationRequest, reason: string): Promise<Reply[]> {
    const { config, clock } = this.deps;
    const t = translator(request.locale);
    const now = clock.now();
    const opens = this.deps.config.shop.hours.split('-')[0] ?? '';
    if (request.conversation.status === 'pending' || request.conversation.status === 'open') {
      return [{ text: t(text.alreadyQueued, { opens }) }];
    }
    const signal = detectComplaint(request.text);
    const isComplaint = reason === COMPLAINT || signal !== null;
    const severity = signal?.severity ?? (isComplaint ? 2 : 0);
    const priority = queuePriority(severity, request.customer.tier);
    const level = priorityLevel(priority);
    const due = slaDueDates(config.desk, level, now, this.hours, config.shop.timezone);
    let conversation: Conversation;
    try {
      conversation = await this.conversations.transition(
        request.conversation.id,
        'escalate',
        { type: 'system' },
        {
          reason: isComplaint && reason !== COMPLAINT ? `${reason}+${COMPLAINT}` : reason,
          priority,
          sla: { firstResponseDueAt: due.firstResponseDueAt, resolutionDueAt: due.resolutionDueAt },
        },
      );
    } catch (error) {
      if (error instanceof IllegalTransitionError) return [{ text: t(text.alreadyQueued, { opens }) }];
      throw error;
    }
    let caseNo: string | undefined;
    if (isComplaint) {
      // One case code path for complaints and after-sale: same numbering, profile event and audit entry.
      const { case: row } = await this.cases.open({
        type: 'complaint',
        dedupeKey: `complaint:conversation:${conversation.id}`,
        customerId: request.customer.id,
        conversationId: conversation.id,
        severity,
        priority: level,
        reason: signal?.matched ?? reason,
        description: request.text.slice(0, 2000),
        firstResponseDueAt: due.firstResponseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        data: { channel: request.chat.channel, trigger: reason },
      });
      caseNo = row.caseNo;
    }
    await this.relay.notify('escalated', conversation.id, (relay) =>
      relay.onEscalated({ conversation, customer: request.customer, reason, ...(caseNo ? { caseNo } : {}) }),
    );
    await this.autoAssign();
    const replies: Reply[] = [];
    if (caseNo) replies.push({ text: t(text.complaint, { caseNo }) });
    replies.push({ text: await this.whatHappensNext(conversation.id, t, now) });
    return replies;
  }

  private async whatHappensNext(conversationId: number, t: Translate, now: Date): Promise<string> {
    const { repos } = this.deps.store;
    const after = await repos.conversations.get(conversationId);
    if (after?.status === 'open' && after.assigneeId) {
      const agent = await repos.staff.get(after.assigneeId);
      return t(text.assigned, { name: agent?.name ?? '' });
    }
    const hours = this.deps.config.shop.hours;
    if (!this.isShopOpen(now)) return t(text.closed, { hours, opens: hours.split('-')[0] ?? '' });
    const { ahead, minutes, online } = await this.waitEstimate(conversationId);
    // No estimate when nobody is there to answer: it would be a guess.
    if (online === 0) return t(text.nobodyOnline, { position: ahead + 1 });
    return ahead === 0 ? t(text.next, { minutes }) : t(text.queued, { ahead, minutes });
  }

  /**
   * Expected wait from the current queue: the conversations ahead of this one, shared among the
   * agents online, each taking about one first-response target.
   */
  async waitEstimate(conversationId: number): Promise<{ ahead: number; minutes: number; online: number }> {
    const { repos } = this.deps.store;
    const queue = await repos.desk.pendingQueue(500);
    const position = queue.findIndex((c) => c.id === conversationId);
    const ahead = position === -1 ? queue.length : position;
    const online = (await repos.staff.list()).filter((s) => s.active && s.online).length;
    const me = queue[position];
    const target = slaTargets(this.deps.config.desk, priorityLevel(me?.priority ?? 0)).firstResponseMinutes;
    return { ahead, minutes: Math.max(1, Math.ceil((ahead + 1) / Math.max(1, online)) * target), online };
  }

  /**
   * Gives waiting conversations (highest priority, longest wait first) to the least-loaded online
   * staff member under capacity. Safe to run concurrently: each hand-over is an atomic transition.
   */
  async autoAssign(): Promise<Conversation[]> {
    if (!this.deps.config.desk.autoAssign) return [];
    const { repos } = this.deps.store;
    const staff = (await repos.staff.list()).filter((s) => s.active && s.online);
    if (staff.length === 0) return [];
    const load = await repos.desk.openLoad();
    const assigned: Conversation[] = [];
    for (const waiting of await repos.desk.pendingQueue(100)) {
      const agent = staff
        .filter((s) => (load.get(s.id) ?? 0) < s.capacity)
        .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.id - b.id)[0];
      if (!agent) break;
      try {
        assigned.push(
          await this.conversations.transition(
            waiting.id,
            'take',
            { type: 'system' },
            { assigneeId: agent.id, reason: 'auto_assign' },
          ),
        );
        load.set(agent.id, (load.get(agent.id) ?? 0) + 1);
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
      }
    }
    return assigned;
  }
}
