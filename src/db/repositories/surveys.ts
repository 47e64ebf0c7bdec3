// Surveys, their scheduled responses and answers, and the recovery cases low scores open.
import type { PrismaTx } from '../client.ts';
import type { Case, JsonObject, JsonValue, Survey, SurveyAnswer, SurveyResponse } from '../types.ts';

export interface NewSurveyResponse {
  surveyId: number;
  customerId: number;
  triggerKey: string;
  dueAt: Date;
  channel?: string | null;
  conversationId?: number | null;
  orderId?: number | null;
  caseId?: number | null;
  staffId?: number | null;
  at: Date;
}

export type ResponseWithAnswers = SurveyResponse & { answers: SurveyAnswer[] };

export class SurveyRepository {
  constructor(private readonly db: PrismaTx) {}

  byKey(key: string): Promise<Survey | null> {
    return this.db.survey.findUnique({ where: { key } });
  }

  list(): Promise<Survey[]> {
    return this.db.survey.findMany({ orderBy: { id: 'asc' } });
  }

  upsert(
    key: string,
    data: { name: string; kind: string; questions: JsonValue; pointsReward: number; active: boolean },
  ) {
    const fields = { ...data, questions: data.questions ?? [] };
    return this.db.survey.upsert({ where: { key }, create: { key, ...fields }, update: fields });
  }

  /** Creates the survey only if it is missing (a shop's edits are never overwritten). */
  async ensure(
    key: string,
    data: { name: string; kind: string; questions: JsonValue; pointsReward: number },
  ): Promise<Survey> {
    const found = await this.byKey(key);
    if (found) return found;
    return this.db.survey.create({ data: { key, ...data, questions: data.questions ?? [] } });
  }

  survey(id: number): Promise<Survey | null> {
    return this.db.survey.findUnique({ where: { id } });
  }

  byTrigger(triggerKey: string): Promise<SurveyResponse | null> {
    return this.db.surveyResponse.findUnique({ where: { triggerKey } });
  }

  createResponse(input: NewSurveyResponse): Promise<SurveyResponse> {
    const { at, ...rest } = input;
    return this.db.surveyResponse.create({ data: { ...rest, createdAt: at } });
  }

  response(id: number): Promise<ResponseWithAnswers | null> {
    return this.db.surveyResponse.findUnique({ where: { id }, include: { answers: { orderBy: { id: 'asc' } } } });
  }

  dueIds(now: Date, take: number): Promise<number[]> {
    return this.db.surveyResponse
      .findMany({
        where: { status: 'scheduled', dueAt: { lte: now } },
        orderBy: { dueAt: 'asc' },
        take,
        select: { id: true },
      })
      .then((rows) => rows.map((r) => r.id));
  }

  /** scheduled → sending, for exactly one caller (the WHERE re-checks the status atomically). */
  async claim(id: number, now: Date): Promise<boolean> {
    const result = await this.db.surveyResponse.updateMany({
      where: { id, status: 'scheduled' },
      data: { status: 'sending', claimedAt: now },
    });
    return result.count === 1;
  }

  update(
    id: number,
    patch: Partial<
      Pick<
        SurveyResponse,
        | 'status'
        | 'sentAt'
        | 'expiresAt'
        | 'completedAt'
        | 'currentQuestion'
        | 'csat'
        | 'nps'
        | 'channel'
        | 'chatExternalId'
        | 'conversationId'
      >
    >,
  ): Promise<SurveyResponse> {
    return this.db.surveyResponse.update({ where: { id }, data: patch });
  }

  /** sent → completed once. */
  async complete(id: number, at: Date): Promise<boolean> {
    const result = await this.db.surveyResponse.updateMany({
      where: { id, status: 'sent' },
      data: { status: 'completed', completedAt: at },
    });
    return result.count === 1;
  }

  async expireSent(now: Date): Promise<number> {
    const result = await this.db.surveyResponse.updateMany({
      where: { status: 'sent', expiresAt: { lte: now } },
      data: { status: 'expired' },
    });
    return result.count;
  }

  answer(responseId: number, questionId: string): Promise<SurveyAnswer | null> {
    return this.db.surveyAnswer.findUnique({ where: { responseId_questionId: { responseId, questionId } } });
  }

  addAnswer(data: { responseId: number; questionId: string; value: string; score: number | null; at: Date }) {
    const { at, ...rest } = data;
    return this.db.surveyAnswer.create({ data: { ...rest, createdAt: at } });
  }

  /** The customer's survey waiting for a free-text answer in this chat, if any. */
  openForCustomer(customerId: number, now: Date): Promise<ResponseWithAnswers | null> {
    return this.db.surveyResponse.findFirst({
      where: { customerId, status: 'sent', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { sentAt: 'desc' },
      include: { answers: true },
    });
  }

  /** Responses sent in [from, to) with answers, survey and (for orders) the products bought. */
  /** A customer's survey responses, newest first, with the survey's kind. */
  forCustomer(customerId: number, take = 20) {
    return this.db.surveyResponse.findMany({
      where: { customerId },
      orderBy: { id: 'desc' },
      take,
      include: { survey: { select: { kind: true } } },
    });
  }

  forReport(from: Date, to: Date, surveyKey?: string) {
    return this.db.surveyResponse.findMany({
      where: {
        sentAt: { gte: from, lt: to },
        status: { in: ['sent', 'completed', 'expired'] },
        ...(surveyKey ? { survey: { key: surveyKey } } : {}),
      },
      include: { answers: true, survey: { select: { key: true, questions: true } } },
      orderBy: { sentAt: 'asc' },
    });
  }

  async orderSkus(orderIds: number[]): Promise<Array<{ orderId: number; sku: string; name: string }>> {
    const out: Array<{ orderId: number; sku: string; name: string }> = [];
    // Chunked: one IN list per 1000 orders stays under every driver's parameter limit.
    for (let at = 0; at < orderIds.length; at += 1000) {
      const rows = await this.db.orderItem.findMany({
        where: { orderId: { in: orderIds.slice(at, at + 1000) } },
        select: { orderId: true, sku: true, name: true },
      });
      out.push(...rows);
    }
    return out;
  }

  caseByDedupe(dedupeKey: string): Promise<Case | null> {
    return this.db.case.findUnique({ where: { dedupeKey } });
  }

  createCase(data: {
    caseNo: string;
    type: string;
    priority: string;
    customerId: number;
    conversationId: number | null;
    orderId: number | null;
    reason: string;
    description: string;
    dedupeKey: string;
    data: JsonObject;
    at: Date;
  }): Promise<Case> {
    const { at, ...rest } = data;
    return this.db.case.create({ data: { ...rest, createdAt: at } });
  }
}
