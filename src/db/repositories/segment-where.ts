// Compiles a segment rule tree into a Prisma filter on Customer, so the database does the matching.
import { INTEREST_TAG_PREFIX, interestTag } from '../../domain/customer.ts';
import { uncountedOrderStatuses } from '../../domain/orders.ts';
import type { SegmentRule } from '../../domain/segment-rules.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';
import type { PrismaTx } from '../client.ts';

export type CustomerWhere = Prisma.CustomerWhereInput;

const DAY = 86_400_000;
const countedOrder = { status: { notIn: [...uncountedOrderStatuses] } };

const numberColumn = {
  points: 'pointsBalance',
  totalSpent: 'totalSpent',
  orderCount: 'orderCount',
  lifetimeValue: 'lifetimeValue',
  churnRisk: 'churnRisk',
  rfmRecency: 'rfmRecency',
  rfmFrequency: 'rfmFrequency',
  rfmMonetary: 'rfmMonetary',
} as const;

function range(rule: { gte?: number | undefined; lte?: number | undefined }) {
  return { ...(rule.gte !== undefined ? { gte: rule.gte } : {}), ...(rule.lte !== undefined ? { lte: rule.lte } : {}) };
}

export async function compileRule(db: PrismaTx, rule: SegmentRule, now: Date): Promise<CustomerWhere> {
  const since = (days: number) => new Date(now.getTime() - days * DAY);
  switch (rule.type) {
    case 'and':
      return { AND: await Promise.all(rule.rules.map((r) => compileRule(db, r, now))) };
    case 'or':
      return { OR: await Promise.all(rule.rules.map((r) => compileRule(db, r, now))) };
    case 'not':
      return { NOT: await compileRule(db, rule.rule, now) };
    case 'field': {
      const field = rule.field;
      if (rule.op === 'exists') return { AND: [{ [field]: { not: null } }, { NOT: { [field]: '' } }] };
      if (rule.op === 'missing') return { OR: [{ [field]: null }, { [field]: '' }] };
      return { [field]: rule.op === 'eq' ? rule.value : { contains: rule.value } };
    }
    case 'number':
      return { [numberColumn[rule.field]]: range(rule) };
    case 'tier':
      return { tier: { in: rule.in } };
    case 'lifecycle':
      return { lifecycleStage: { in: rule.in } };
    case 'rfmSegment':
      return { rfmSegment: { in: rule.in } };
    case 'tag':
      return { tags: { some: { tag: rule.tag } } };
    case 'channel':
      return { identities: { some: { channel: rule.channel } } };
    case 'consent':
      return { marketingOptIn: rule.optIn };
    case 'bought': {
      const skus: string[] = [];
      if (rule.sku) skus.push(rule.sku);
      if (rule.category) {
        const products = await db.product.findMany({ where: { category: rule.category }, select: { sku: true } });
        skus.push(...products.map((p) => p.sku));
        // A category with no products matches nobody (rather than "bought anything").
        if (products.length === 0 && !rule.sku) return { id: { in: [] } };
      }
      return {
        orders: {
          some: {
            ...countedOrder,
            ...(rule.withinDays ? { placedAt: { gte: since(rule.withinDays) } } : {}),
            ...(skus.length > 0 ? { items: { some: { sku: { in: skus } } } } : {}),
          },
        },
      };
    }
    case 'noOrderWithin':
      return { orders: { none: { ...countedOrder, placedAt: { gte: since(rule.days) } } } };
    case 'interest':
      return {
        tags: {
          some: {
            ...(rule.sku ? { tag: interestTag(rule.sku) } : { tag: { startsWith: INTEREST_TAG_PREFIX } }),
            ...(rule.withinDays ? { createdAt: { gte: since(rule.withinDays) } } : {}),
          },
        },
      };
    case 'survey':
      return { surveys: { some: { [rule.metric]: { not: null, ...range(rule) } } } };
    case 'group':
      return { memberships: { some: { chatId: { in: rule.chatIds } } } };
    case 'customers':
      return { id: { in: rule.ids } };
    case 'joinedWithin':
      return { firstSeenAt: { gte: since(rule.days) } };
  }
}
