// Surveys, their scheduled responses and answers.
import type { ChannelName } from '../../domain/channels.ts';
import { SurveyKind, type SurveyResponseStatus } from '../../domain/surveys.ts';
import type { PrismaTx } from '../client.ts';
import { rows } from '../rows.ts';
import type { JsonValue, Survey, SurveyAnswer, SurveyResponse } from '../types.ts';

export interface NewSurveyResponse {
  surveyId: number;
  customerId: number;
  triggerKey: string;
  dueAt: Date;
  channel?: ChannelName | null;
  conversationId?: number | null;
  orderId?: number | null;
  caseId?: number | null;
  staffId?: number | null;
  at: Date;
}

export type ResponseWithAnswers = SurveyResponse & { answers: SurveyAnswer[] };

export class SurveyRepository {
  constructor(private readonly db: PrismaTx) {}

  async byKey(key: string): Promise<Survey | null> {
    const found = await this.db.survey.findUnique({ where: { key } });
    return found && rows.survey(found);
  }

  async list(): Promise<Survey[]> {
    return (await this.db.survey.findMany({ orderBy: { id: 'asc' } })).map(rows.survey);
  }

  async upsert(
    key: string,
    data: { name: string; kind: SurveyKind; questions: JsonValue; pointsReward: number; active: boolean },
  ): Promise<Survey> {
    const fields = { ...data, questions: data.questions ?? [] };
    return rows.survey(await this.db.survey.upsert({ where: { key }, create: { key, ...fields }, update: fields }));
  }

  /** Creates the survey only if it is missing (a shop's edits are never overwritten). */
  async ensure(
    key: string,
    data: { name: string; kind: SurveyKind; questions: JsonValue; pointsReward: number },
  ): Promise<Survey> {
    const found = await this.byKey(key);
    if (found) return found;
    return rows.survey(await this.db.survey.create({ data: { key, ...data, questions: data.questions ?? [] } }));
  }

  async survey(id: number): Promise<Survey | null> {
    const found = await this.db.survey.findUnique({ where: { id } });
    return found && rows.survey(found);
  }

  async byTrigger(triggerKey: string): Promise<SurveyResponse | null> {
    const found = await this.db.surveyResponse.findUnique({ where: { triggerKey } });
    return found && rows.surveyResponse(found);
  }

  async createResponse(input: NewSurveyResponse): Promise<SurveyResponse> {
    const { at, ...rest } = input;
    return rows.surveyResponse(await this.db.surveyResponse.create({ data: { ...rest, createdAt: at } }));
  }

  async response(id: number): Promise<ResponseWithAnswers | null> {
    const found = await this.db.surveyResponse.findUnique({
      where: { id },
      include: { answers: { orderBy: { id: 'asc' } } },
    });
    return found && rows.surveyResponse(found);
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

  async update(
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
    return rows.surveyResponse(await this.db.surveyResponse.update({ where: { id }, data: patch }));
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
  async openForCustomer(customerId: number, now: Date): Promise<ResponseWithAnswers | null> {
    const found = await this.db.surveyResponse.findFirst({
      where: { customerId, status: 'sent', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { sentAt: 'desc' },
      include: { answers: true },
    });
    return found && rows.surveyResponse(found);
  }

  /** Responses sent in [from, to) with answers, survey and (for orders) the products bought. */
  /** A customer's survey responses, newest first, with the survey's kind. */
  async forCustomer(customerId: number, take = 20) {
    const found = await this.db.surveyResponse.findMany({
      where: { customerId },
      orderBy: { id: 'desc' },
      take,
      include: { survey: { select: { kind: true } } },
    });
    return found.map(({ survey, ...response }) => ({
      ...rows.surveyResponse(response),
      survey: { kind: SurveyKind.parse(survey.kind) },
    }));
  }

  async forReport(from: Date, to: Date, surveyKey?: string) {
    const reported: SurveyResponseStatus[] = ['sent', 'completed', 'expired'];
    const found = await this.db.surveyResponse.findMany({
      where: {
        sentAt: { gte: from, lt: to },
        status: { in: reported },
        ...(surveyKey ? { survey: { key: surveyKey } } : {}),
      },
      include: { answers: true, survey: { select: { key: true, questions: true } } },
      orderBy: { sentAt: 'asc' },
    });
    return found.map(rows.surveyResponse);
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
}
