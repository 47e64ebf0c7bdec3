// Satisfaction surveys: scheduled once per trigger (delivered order, resolved staff conversation or
// case), sent by a job that claims each due row atomically, answered through buttons or free text.
// Answers are kept as they come; a low score opens a recovery case (through CaseService.open, like
// every case); completion can earn points.

import { isUniqueViolation } from '../db/repositories/errors.ts';
import type { ResponseWithAnswers } from '../db/repositories/surveys.ts';
import type { Repositories } from '../db/store.ts';
import type { Survey } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channels.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Reply } from '../domain/messages.ts';
import { DAY, HOUR } from '../kernel/clock.ts';
import { interpolate, type Locale, msg } from '../kernel/i18n.ts';
import { audited } from './audit.ts';
import type { CaseService } from './cases.ts';
import type { ServiceDeps } from './context.ts';
import type { LoyaltyService } from './loyalty.ts';
import type { MessagingService } from './messaging.ts';
import type { OrderStatusChange } from './orders.ts';
import { recordEvent } from './profile-events.ts';
import {
  defaultSurveys,
  type Question,
  Questions,
  questionReply,
  SKIPPED,
  SurveyInput,
  scoreOf,
} from './survey-questions.ts';

export type AnswerResult =
  | { status: 'saved'; replies: Reply[]; completed: boolean; next: Question | null }
  | { status: 'duplicate' | 'expired' | 'invalid'; replies: Reply[] };

const text = {
  thanks: msg('感谢你的反馈！🙏', 'Thank you for your feedback! 🙏'),
  thanksPoints: msg(
    '感谢你的反馈！🙏 已赠送 {points} 积分。',
    'Thank you for your feedback! 🙏 {points} points added.',
  ),
  followUp: msg(
    '很抱歉这次没有让你满意。我们已安排专人跟进，会尽快联系你。',
    'We are sorry we let you down. A member of our team will follow up with you shortly.',
  ),
  already: msg('这个问题你已经回答过了，谢谢！', 'You already answered this one, thank you!'),
  expired: msg('这份调查已过期，谢谢你的关注。', 'This survey has expired. Thank you anyway.'),
  invalid: msg('这份调查已失效。', 'This survey is no longer available.'),
};

/** What a low score's recovery case is opened from, once the answer is committed. */
interface LowScore {
  response: ResponseWithAnswers;
  survey: Survey;
  questions: Question[];
  scores: { csat: number | null; nps: number | null };
}

export class SurveyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly messaging: MessagingService,
    private readonly loyalty: LoyaltyService,
    private readonly cases: CaseService,
  ) {}

  private async survey(repos: Repositories, key: keyof typeof defaultSurveys): Promise<Survey> {
    const defaults = defaultSurveys[key];
    return repos.surveys.ensure(key, { ...defaults, pointsReward: this.deps.config.loyalty.survey });
  }

  /**
   * The shop's surveys, with the built-in ones (post-purchase, service CSAT) as they will be created
   * when first sent, so a new shop can edit their questions before any survey went out.
   */
  async list() {
    const stored = await this.deps.store.repos.surveys.list();
    const known = new Set(stored.map((s) => s.key));
    const builtIn = Object.entries(defaultSurveys)
      .filter(([key]) => !known.has(key))
      .map(([key, defaults]) => ({ key, ...defaults, pointsReward: this.deps.config.loyalty.survey, active: true }));
    return [...stored, ...builtIn];
  }

  async upsert(key: string, input: SurveyInput, actor: Actor) {
    const data = SurveyInput.parse(input);
    return audited(
      this.deps,
      actor,
      (repos) => repos.surveys.upsert(key, data),
      () => ({
        action: 'survey.upsert',
        entity: 'survey',
        entityId: key,
        details: { questions: data.questions.length },
      }),
    );
  }

  /** Creates the scheduled response unless this trigger already has one (ever). */
  async schedule(input: {
    surveyKey: keyof typeof defaultSurveys;
    triggerKey: string;
    customerId: number;
    dueAt: Date;
    conversationId?: number | null;
    orderId?: number | null;
    caseId?: number | null;
    staffId?: number | null;
    channel?: ChannelName | null;
  }): Promise<boolean> {
    const { surveyKey, ...rest } = input;
    try {
      return await this.deps.store.transaction(async (repos) => {
        if (await repos.surveys.byTrigger(input.triggerKey)) return false;
        const survey = await this.survey(repos, surveyKey);
        if (!survey.active) return false;
        await repos.surveys.createResponse({ ...rest, surveyId: survey.id, at: this.deps.clock.now() });
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Order listener: a delivered order gets its post-purchase survey N days later. */
  async onOrderStatus({ order, to, at }: OrderStatusChange): Promise<void> {
    if (to !== 'delivered') return;
    const deliveredAt = order.deliveredAt ?? at;
    await this.schedule({
      surveyKey: 'post_purchase',
      triggerKey: `order:${order.orderNo}:post_purchase`,
      customerId: order.customerId,
      dueAt: new Date(deliveredAt.getTime() + this.deps.config.surveys.delayDays * DAY),
      orderId: order.id,
    });
  }

  /** A conversation staff handled was resolved: ask how the service was. Bot-only ones are skipped. */
  async onConversationResolved(conversationId: number): Promise<boolean> {
    const repos = this.deps.store.repos;
    const conversation = await repos.conversations.get(conversationId);
    if (conversation?.status !== 'resolved') return false;
    if (!conversation.escalatedAt && !conversation.takenAt && conversation.assigneeId === null) return false;
    const chat = await repos.chats.get(conversation.chatId);
    return this.schedule({
      surveyKey: 'csat_service',
      triggerKey: `conversation:${conversationId}:csat`,
      customerId: conversation.customerId,
      dueAt: this.deps.clock.now(),
      conversationId,
      staffId: conversation.assigneeId,
      channel: chat?.channel ?? null,
    });
  }

  /** For the case service: a resolved case gets a CSAT survey (once). */
  async onCaseResolved(caseItem: {
    id: number;
    customerId: number;
    assigneeId: number | null;
    conversationId: number | null;
    orderId: number | null;
  }): Promise<boolean> {
    return this.schedule({
      surveyKey: 'csat_service',
      triggerKey: `case:${caseItem.id}:csat`,
      customerId: caseItem.customerId,
      dueAt: this.deps.clock.now(),
      caseId: caseItem.id,
      staffId: caseItem.assigneeId,
      conversationId: caseItem.conversationId,
      orderId: caseItem.orderId,
    });
  }

  /**
   * Sends every due survey once. Each row is claimed (scheduled → sending) by a conditional update in
   * the same transaction that writes its first question to the outbox and marks it sent: a second
   * instance's claim finds it no longer scheduled, and a crash rolls back both claim and message.
   */
  async dispatchDue(now: Date): Promise<number> {
    let sent = 0;
    const ids = await this.deps.store.repos.surveys.dueIds(now, 200);
    for (const id of ids) {
      const result = await this.deps.store.transaction(async (repos) => {
        if (!(await repos.surveys.claim(id, now))) return false;
        const response = await repos.surveys.response(id);
        const survey = response ? await repos.surveys.survey(response.surveyId) : null;
        const questions = Questions.safeParse(survey?.questions);
        if (!response || !survey || !questions.success) {
          await repos.surveys.update(id, { status: 'cancelled' });
          return false;
        }
        const first = questions.data[0];
        const outbox = first
          ? await this.messaging.sendToCustomer(
              response.customerId,
              (locale) => questionReply(id, first, 0, questions.data.length, locale),
              { purpose: 'survey', ...(response.channel ? { channel: response.channel } : {}) },
            )
          : null;
        if (!outbox) {
          await repos.surveys.update(id, { status: 'cancelled' });
          return false;
        }
        const chat = first?.type === 'text' ? await repos.chats.find(outbox.channel, outbox.chatExternalId) : null;
        if (first?.type === 'text' && chat) {
          // A survey opening with free text: the customer's next message in this chat is the answer
          // (a resolved conversation is closed, so this may open the chat's next one).
          const { conversation } = await repos.conversations.openOrGet(response.customerId, chat.id, now);
          if (conversation.status === 'bot' && !conversation.flow) {
            await repos.conversations.update(conversation.id, {
              flow: 'survey',
              flowState: { responseId: id, questionId: first.id },
            });
          }
        }
        await repos.surveys.update(id, {
          status: 'sent',
          sentAt: now,
          expiresAt: new Date(now.getTime() + this.deps.config.surveys.expiryHours * HOUR),
          channel: outbox.channel,
          chatExternalId: outbox.chatExternalId,
          currentQuestion: 0,
        });
        return true;
      });
      if (result) sent += 1;
    }
    return sent;
  }

  expireDue(now: Date): Promise<number> {
    return this.deps.store.repos.surveys.expireSent(now);
  }

  /**
   * Records one answer. An answer to a question already answered (an old button pressed again) changes
   * nothing; the unique (response, question) index guarantees it under concurrency too.
   */
  async answer(
    customerId: number,
    responseId: number,
    questionId: string,
    value: string,
    locale: Locale,
  ): Promise<AnswerResult> {
    const now = this.deps.clock.now();
    const t = (m: { 'zh-CN': string; en: string }, vars?: Record<string, string | number>) =>
      interpolate(m[locale], vars);
    let lowScore: LowScore | undefined;
    let result: AnswerResult;
    try {
      result = await this.deps.store.transaction(async (repos): Promise<AnswerResult> => {
        const response = await repos.surveys.response(responseId);
        if (!response || response.customerId !== customerId)
          return { status: 'invalid', replies: [{ text: t(text.invalid) }] };
        if (response.answers.some((a) => a.questionId === questionId)) {
          return { status: 'duplicate', replies: [{ text: t(text.already) }] };
        }
        if (response.status === 'expired' || (response.expiresAt && response.expiresAt <= now)) {
          return { status: 'expired', replies: [{ text: t(text.expired) }] };
        }
        if (response.status !== 'sent') return { status: 'invalid', replies: [{ text: t(text.invalid) }] };
        const survey = await repos.surveys.survey(response.surveyId);
        const questions = Questions.safeParse(survey?.questions);
        if (!survey || !questions.success) return { status: 'invalid', replies: [{ text: t(text.invalid) }] };
        const question = questions.data.find((q) => q.id === questionId);
        const clean = value.trim().slice(0, 1000);
        const score = question
          ? question.type === 'text' && clean === SKIPPED
            ? null
            : scoreOf(question, clean)
          : undefined;
        if (!question || score === undefined) return { status: 'invalid', replies: [{ text: t(text.invalid) }] };
        await repos.surveys.addAnswer({ responseId, questionId, value: clean, score, at: now });
        const answered = new Set([...response.answers.map((a) => a.questionId), questionId]);
        const nextIndex = questions.data.findIndex((q) => !answered.has(q.id));
        const csat = question.type === 'csat' ? score : response.csat;
        const nps = question.type === 'nps' ? score : response.nps;
        await repos.surveys.update(responseId, {
          currentQuestion: nextIndex === -1 ? questions.data.length : nextIndex,
          ...(question.type === 'csat' && score !== null ? { csat: score } : {}),
          ...(question.type === 'nps' && score !== null ? { nps: score } : {}),
        });
        await recordEvent(repos, now, {
          customerId,
          conversationId: response.conversationId,
          channel: response.channel ?? 'system',
          text: `survey ${survey.key} ${questionId}=${clean}`,
          event: { type: 'survey.answer', responseId, questionId, value: clean },
        });
        if (this.isLow(question, score)) {
          lowScore = { response, survey, questions: questions.data, scores: { csat, nps } };
        }
        const next = nextIndex === -1 ? null : (questions.data[nextIndex] ?? null);
        if (next) {
          const replies = [questionReply(responseId, next, nextIndex, questions.data.length, locale)];
          return { status: 'saved', replies, completed: false, next };
        }
        await repos.surveys.complete(responseId, now);
        let points = 0;
        if (survey.pointsReward > 0) {
          const { created } = await this.loyalty.post({
            customerId,
            amount: survey.pointsReward,
            kind: 'earn',
            reason: `survey ${survey.key}`,
            reference: `survey:${responseId}`,
            idempotencyKey: `survey:${responseId}:reward`,
            at: now,
          });
          if (created) points = survey.pointsReward;
        }
        const replies = [{ text: points > 0 ? t(text.thanksPoints, { points }) : t(text.thanks) }];
        return { status: 'saved', replies, completed: true, next: null };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { status: 'duplicate', replies: [{ text: t(text.already) }] };
    }
    // The case opens after the answer commits: CaseService.open allocates its number in transactions of
    // its own. Only the press that saved the answer gets here, and the dedupe key makes it one case per
    // response, so a second low score (NPS after CSAT) opens nothing new.
    if (lowScore && (await this.openRecoveryCase(lowScore))) result.replies.unshift({ text: t(text.followUp) });
    return result;
  }

  private isLow(question: Question, score: number | null): boolean {
    if (score === null) return false;
    const { lowCsat, lowNps } = this.deps.config.surveys;
    return (question.type === 'csat' && score <= lowCsat) || (question.type === 'nps' && score <= lowNps);
  }

  /** One recovery case per response (dedupeKey), carrying the survey context for staff; true when opened now. */
  private async openRecoveryCase({ response, survey, questions, scores }: LowScore): Promise<boolean> {
    const repos = this.deps.store.repos;
    try {
      const answers = (await repos.surveys.response(response.id))?.answers ?? [];
      const order = response.orderId ? await repos.orders.get(response.orderId) : null;
      const lines = answers.map((a) => {
        const q = questions.find((x) => x.id === a.questionId);
        return `${q?.text['zh-CN'] ?? a.questionId}: ${a.value}`;
      });
      const { created } = await this.cases.open({
        type: 'recovery',
        priority: 'high',
        customerId: response.customerId,
        conversationId: response.conversationId,
        orderId: response.orderId,
        reason: `low survey score (${survey.key})`,
        description: lines.join('\n'),
        dedupeKey: `survey:${response.id}`,
        data: {
          surveyKey: survey.key,
          responseId: response.id,
          csat: scores.csat,
          nps: scores.nps,
          staffId: response.staffId,
          orderNo: order?.orderNo ?? null,
          answers: answers.map((a) => ({ questionId: a.questionId, value: a.value })),
        },
      });
      return created;
    } catch (error) {
      // The answer is saved either way; staff still see the low score in the survey report.
      this.deps.log.error({ err: error, responseId: response.id }, 'opening the recovery case failed');
      return false;
    }
  }

  /** For the HTTP layer and tests: the response with answers. */
  async response(id: number): Promise<ResponseWithAnswers> {
    const found = await this.deps.store.repos.surveys.response(id);
    if (!found) throw new NotFoundError(`survey response ${id}`);
    return found;
  }
}
