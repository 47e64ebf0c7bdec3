import type { SegmentRule } from '../../domain/segment-rules.ts';
import type { PrismaTx } from '../client.ts';
import type { JsonValue, Segment } from '../types.ts';
import { type CustomerWhere, compileRule } from './segment-where.ts';

/** Customers still counted as people (not merged away, not erased). */
const live: CustomerWhere = { mergedIntoId: null, erasedAt: null };

export class SegmentRepository {
  constructor(private readonly db: PrismaTx) {}

  async where(rule: SegmentRule, now: Date): Promise<CustomerWhere> {
    return { AND: [live, await compileRule(this.db, rule, now)] };
  }

  count(where: CustomerWhere): Promise<number> {
    return this.db.customer.count({ where });
  }

  sample(where: CustomerWhere, take: number) {
    return this.db.customer.findMany({
      where,
      take,
      orderBy: { id: 'asc' },
      select: {
        id: true,
        name: true,
        locale: true,
        tier: true,
        pointsBalance: true,
        lifecycleStage: true,
        rfmSegment: true,
        totalSpent: true,
        marketingOptIn: true,
      },
    });
  }

  /** Matching ids after `afterId`, in id order (keyset pages, for big audiences). */
  async idsPage(where: CustomerWhere, afterId: number, take: number): Promise<number[]> {
    const rows = await this.db.customer.findMany({
      where: { AND: [where, { id: { gt: afterId } }] },
      orderBy: { id: 'asc' },
      take,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  create(data: { name: string; description?: string | null; rules: JsonValue; lastCount: number }): Promise<Segment> {
    return this.db.segment.create({
      data: {
        name: data.name,
        description: data.description ?? null,
        rules: data.rules ?? {},
        lastCount: data.lastCount,
      },
    });
  }

  update(id: number, data: { name?: string; description?: string | null; rules?: JsonValue; lastCount?: number }) {
    const { rules, ...rest } = data;
    return this.db.segment.update({
      where: { id },
      data: { ...rest, ...(rules === undefined || rules === null ? {} : { rules }) },
    });
  }

  get(id: number): Promise<Segment | null> {
    return this.db.segment.findUnique({ where: { id } });
  }

  list(): Promise<Segment[]> {
    return this.db.segment.findMany({ orderBy: { id: 'asc' } });
  }

  async remove(id: number): Promise<void> {
    await this.db.segment.delete({ where: { id } });
  }
}
