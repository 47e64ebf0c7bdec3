// Survey reports: CSAT % (share of 4–5 answers), NPS (promoters 9–10 minus detractors 0–6), response
// rate, grouped by period, agent, product or channel, plus the free-text comments.
import { z } from 'zod';
import { dayKey } from '../kernel/hours.ts';
import type { ServiceDeps } from './context.ts';
import { Questions, SKIPPED } from './survey-questions.ts';

export const ReportQuery = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  groupBy: z.enum(['day', 'week', 'month', 'agent', 'product', 'channel']).default('day'),
  survey: z.string().max(64).optional(),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface Metrics {
  sent: number;
  responded: number;
  responseRate: number;
  csat: { count: number; satisfied: number; percent: number | null; average: number | null };
  nps: { count: number; promoters: number; passives: number; detractors: number; score: number | null };
}

function emptyAcc() {
  return { sent: 0, responded: 0, csat: [] as number[], nps: [] as number[] };
}
type Acc = ReturnType<typeof emptyAcc>;

function metrics(acc: Acc): Metrics {
  const satisfied = acc.csat.filter((s) => s >= 4).length;
  const promoters = acc.nps.filter((s) => s >= 9).length;
  const detractors = acc.nps.filter((s) => s <= 6).length;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sent: acc.sent,
    responded: acc.responded,
    responseRate: acc.sent ? round((acc.responded / acc.sent) * 100) : 0,
    csat: {
      count: acc.csat.length,
      satisfied,
      percent: acc.csat.length ? round((satisfied / acc.csat.length) * 100) : null,
      average: acc.csat.length ? round(acc.csat.reduce((a, b) => a + b, 0) / acc.csat.length) : null,
    },
    nps: {
      count: acc.nps.length,
      promoters,
      passives: acc.nps.length - promoters - detractors,
      detractors,
      score: acc.nps.length ? round(((promoters - detractors) / acc.nps.length) * 100) : null,
    },
  };
}

export class SurveyReportService {
  constructor(private readonly deps: ServiceDeps) {}

  async report(input: ReportQuery) {
    const query = ReportQuery.parse(input);
    const repos = this.deps.store.repos;
    const tz = this.deps.config.shop.timezone;
    const rows = await repos.surveys.forReport(new Date(query.from), new Date(query.to), query.survey);
    const items = await repos.surveys.orderSkus(rows.flatMap((r) => (r.orderId ? [r.orderId] : [])));
    const skusByOrder = new Map<number, string[]>();
    for (const item of items) skusByOrder.set(item.orderId, [...(skusByOrder.get(item.orderId) ?? []), item.sku]);
    const overall = emptyAcc();
    const groups = new Map<string, Acc>();
    const comments: Array<{
      responseId: number;
      customerId: number;
      question: string;
      text: string;
      at: string;
      staffId: number | null;
      channel: string | null;
    }> = [];
    for (const row of rows) {
      const keys = this.groupKeys(query.groupBy, row, skusByOrder, tz);
      const responded = row.answers.length > 0 ? 1 : 0;
      const questions = Questions.safeParse(row.survey.questions);
      const typeOf = new Map((questions.success ? questions.data : []).map((q) => [q.id, q.type]));
      const csat: number[] = [];
      const nps: number[] = [];
      for (const answer of row.answers) {
        const type = typeOf.get(answer.questionId);
        if (type === 'csat' && answer.score !== null) csat.push(answer.score);
        if (type === 'nps' && answer.score !== null) nps.push(answer.score);
        if (type === 'text' && answer.value !== SKIPPED) {
          comments.push({
            responseId: row.id,
            customerId: row.customerId,
            question: answer.questionId,
            text: answer.value,
            at: answer.createdAt.toISOString(),
            staffId: row.staffId,
            channel: row.channel,
          });
        }
      }
      for (const acc of [
        overall,
        ...keys.map((k) => groups.get(k) ?? groups.set(k, emptyAcc()).get(k) ?? emptyAcc()),
      ]) {
        acc.sent += 1;
        acc.responded += responded;
        acc.csat.push(...csat);
        acc.nps.push(...nps);
      }
    }
    const names = await this.groupNames(query.groupBy, [...groups.keys()]);
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      overall: metrics(overall),
      groups: [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, acc]) => ({ key, name: names.get(key) ?? null, ...metrics(acc) })),
      comments: comments.reverse().slice(0, 500),
    };
  }

  /**
   * What an agent or product group is called (the agent's name; the product's Chinese and English
   * names), so the report shows names instead of ids and SKUs. Other groupings name themselves.
   */
  private async groupNames(
    groupBy: ReportQuery['groupBy'],
    keys: string[],
  ): Promise<Map<string, { zh: string; en: string }>> {
    const repos = this.deps.store.repos;
    if (groupBy === 'agent') {
      const staff = await repos.staff.list();
      return new Map(
        staff.filter((s) => keys.includes(String(s.id))).map((s) => [String(s.id), { zh: s.name, en: s.name }]),
      );
    }
    if (groupBy === 'product') {
      const products = await repos.catalog.productsBySku(keys);
      return new Map(products.map((p) => [p.sku, { zh: p.name, en: p.nameEn ?? p.name }]));
    }
    return new Map();
  }

  private groupKeys(
    groupBy: ReportQuery['groupBy'],
    row: { sentAt: Date | null; staffId: number | null; orderId: number | null; channel: string | null },
    skus: Map<number, string[]>,
    tz: string,
  ): string[] {
    const day = dayKey(row.sentAt ?? new Date(0), tz);
    switch (groupBy) {
      case 'day':
        return [day];
      case 'month':
        return [day.slice(0, 7)];
      case 'week': {
        const d = new Date(`${day}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
        return [d.toISOString().slice(0, 10)];
      }
      case 'agent':
        return [row.staffId === null ? 'none' : String(row.staffId)];
      case 'channel':
        return [row.channel ?? 'unknown'];
      case 'product':
        return row.orderId ? [...new Set(skus.get(row.orderId) ?? [])] : [];
    }
  }
}
