// The segment rule language: a JSON tree validated by zod. Leaves test one fact about a customer;
// `and` / `or` / `not` compose them. The repository compiles a tree to a database filter, so a
// segment is never evaluated by loading customers into memory.
import { z } from 'zod';
import { ChannelName } from './channels.ts';
import { LifecycleStage, Tier } from './customer.ts';

export const rfmSegments = [
  'important_value',
  'important_retain',
  'important_develop',
  'important_winback',
  'general_value',
  'general_retain',
  'general_develop',
  'general_winback',
] as const;
export const RfmSegment = z.enum(rfmSegments);
export type RfmSegment = z.infer<typeof RfmSegment>;

const Range = { gte: z.number().optional(), lte: z.number().optional() };
const Days = z.number().int().min(1).max(3650);

export const profileFields = ['name', 'phone', 'email', 'locale', 'birthday'] as const;
export const numberFields = [
  'points',
  'totalSpent',
  'orderCount',
  'lifetimeValue',
  'churnRisk',
  'rfmRecency',
  'rfmFrequency',
  'rfmMonetary',
] as const;

export type SegmentRule =
  | { type: 'and'; rules: SegmentRule[] }
  | { type: 'or'; rules: SegmentRule[] }
  | { type: 'not'; rule: SegmentRule }
  | {
      type: 'field';
      field: (typeof profileFields)[number];
      op: 'eq' | 'contains' | 'exists' | 'missing';
      value?: string;
    }
  | { type: 'number'; field: (typeof numberFields)[number]; gte?: number; lte?: number }
  | { type: 'tier'; in: Tier[] }
  | { type: 'lifecycle'; in: LifecycleStage[] }
  | { type: 'rfmSegment'; in: RfmSegment[] }
  | { type: 'tag'; tag: string }
  | { type: 'channel'; channel: ChannelName }
  | { type: 'consent'; optIn: boolean }
  | { type: 'bought'; sku?: string; category?: string; withinDays?: number }
  | { type: 'noOrderWithin'; days: number }
  | { type: 'interest'; sku?: string; withinDays?: number }
  | { type: 'survey'; metric: 'csat' | 'nps'; gte?: number; lte?: number }
  | { type: 'group'; chatIds: number[] }
  | { type: 'customers'; ids: number[] }
  | { type: 'joinedWithin'; days: number };

export const SegmentRule: z.ZodType<SegmentRule> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('and'), rules: z.array(SegmentRule).min(1).max(50) }).strict(),
    z.object({ type: z.literal('or'), rules: z.array(SegmentRule).min(1).max(50) }).strict(),
    z.object({ type: z.literal('not'), rule: SegmentRule }).strict(),
    z
      .object({
        type: z.literal('field'),
        field: z.enum(profileFields),
        op: z.enum(['eq', 'contains', 'exists', 'missing']),
        value: z.string().max(200).optional(),
      })
      .strict()
      .refine(
        (r) => r.op === 'exists' || r.op === 'missing' || r.value !== undefined,
        'value is required for eq/contains',
      ),
    z.object({ type: z.literal('number'), field: z.enum(numberFields), ...Range }).strict(),
    z.object({ type: z.literal('tier'), in: z.array(Tier).min(1) }).strict(),
    z.object({ type: z.literal('lifecycle'), in: z.array(LifecycleStage).min(1) }).strict(),
    z.object({ type: z.literal('rfmSegment'), in: z.array(RfmSegment).min(1) }).strict(),
    z.object({ type: z.literal('tag'), tag: z.string().trim().min(1).max(64) }).strict(),
    z.object({ type: z.literal('channel'), channel: ChannelName }).strict(),
    z.object({ type: z.literal('consent'), optIn: z.boolean() }).strict(),
    z
      .object({
        type: z.literal('bought'),
        sku: z.string().min(1).max(64).optional(),
        category: z.string().min(1).max(64).optional(),
        withinDays: Days.optional(),
      })
      .strict(),
    z.object({ type: z.literal('noOrderWithin'), days: Days }).strict(),
    z
      .object({ type: z.literal('interest'), sku: z.string().min(1).max(64).optional(), withinDays: Days.optional() })
      .strict(),
    z.object({ type: z.literal('survey'), metric: z.enum(['csat', 'nps']), ...Range }).strict(),
    z.object({ type: z.literal('group'), chatIds: z.array(z.number().int().positive()).min(1).max(500) }).strict(),
    z.object({ type: z.literal('customers'), ids: z.array(z.number().int().positive()).min(1).max(5000) }).strict(),
    z.object({ type: z.literal('joinedWithin'), days: Days }).strict(),
  ]),
);

/** How far `and`/`or`/`not` may nest, and how many rules one tree may hold: a tree is one SQL filter. */
export const SEGMENT_MAX_DEPTH = 8;
export const SEGMENT_MAX_NODES = 200;

function measure(rule: SegmentRule): { depth: number; nodes: number } {
  const children = rule.type === 'and' || rule.type === 'or' ? rule.rules : rule.type === 'not' ? [rule.rule] : [];
  let depth = 0;
  let nodes = 1;
  for (const child of children) {
    const inner = measure(child);
    depth = Math.max(depth, inner.depth);
    nodes += inner.nodes;
  }
  return { depth: depth + 1, nodes };
}

/** A whole rule tree as the API accepts it: the rule language within the size limits. */
export const SegmentRules = SegmentRule.superRefine((rule, ctx) => {
  const { depth, nodes } = measure(rule);
  if (depth > SEGMENT_MAX_DEPTH) {
    ctx.addIssue({ code: 'custom', message: `rules nest ${depth} levels deep; at most ${SEGMENT_MAX_DEPTH}` });
  }
  if (nodes > SEGMENT_MAX_NODES) {
    ctx.addIssue({ code: 'custom', message: `rules hold ${nodes} rules; at most ${SEGMENT_MAX_NODES}` });
  }
});
