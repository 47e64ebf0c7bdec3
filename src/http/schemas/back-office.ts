// Responses of the older admin endpoints the console's loyalty, surveys, analytics and campaigns
// pages read. The console decodes them with these schemas (only the fields it shows); stage 2 of
// issue 17 makes the routes encode through them too, as the /api/console routes already do.
import { z } from 'zod';
import { CampaignButton, CampaignMessage } from '../../domain/campaigns.ts';
import { ImportKind, ImportReport } from '../../domain/imports.ts';
import { AdjustInput, CodesInput, RewardInput, RewardPatch } from '../../domain/loyalty-input.ts';
import { SegmentRule, SegmentRules } from '../../domain/segment-rules.ts';
import { CampaignStatus, ChannelName, DeliveryStatus, LifecycleStage, Locale, PointsKind, Tier } from './vocabulary.ts';
import { Id, IsoDate } from './wire.ts';

export { AdjustInput, CodesInput, ImportKind, ImportReport, RewardInput, RewardPatch };

// ── Loyalty ────────────────────────────────────────────────────────────────────────────────────
export const LedgerResponse = z.object({
  customerId: Id,
  balance: z.number().int(),
  cachedBalance: z.number().int(),
  tier: Tier,
  expiringSoon: z.object({ points: z.number().int(), at: IsoDate.nullable() }),
  entries: z.array(
    z.object({
      id: Id,
      createdAt: IsoDate,
      kind: PointsKind,
      amount: z.number().int(),
      reason: z.string(),
      reference: z.string().nullable(),
      expiresAt: IsoDate.nullable(),
      remaining: z.number().int().nullable(),
    }),
  ),
});
export type LedgerResponse = z.infer<typeof LedgerResponse>;

export const AdjustResponse = z.object({ balance: z.number().int() });

export const RewardView = z.object({
  id: Id,
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(['coupon', 'gift']),
  cost: z.number().int(),
  stock: z.number().int().nullable(),
  codesLeft: z.number().int(),
  active: z.boolean(),
});
export type RewardView = z.infer<typeof RewardView>;
export const RewardsResponse = z.object({ rewards: z.array(RewardView) });
export const CodesResponse = z.object({ added: z.number().int(), skipped: z.number().int() });
export const VerifyResponse = z.object({
  ok: z.boolean(),
  mismatches: z.array(z.object({ customerId: Id, cached: z.number().int(), ledger: z.number().int() })),
});

// ── Surveys ────────────────────────────────────────────────────────────────────────────────────
export const SurveyGroupBy = z.enum(['day', 'week', 'month', 'agent', 'product', 'channel']);
export type SurveyGroupBy = z.infer<typeof SurveyGroupBy>;
const SurveyMetrics = {
  sent: z.number().int(),
  responded: z.number().int(),
  responseRate: z.number(),
  csat: z.object({ count: z.number().int(), percent: z.number().nullable(), average: z.number().nullable() }),
  nps: z.object({
    count: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    score: z.number().nullable(),
  }),
};
export const SurveyReport = z.object({
  overall: z.object(SurveyMetrics),
  /** `name`: the agent's or product's name for those groupings (null for others, or a removed one). */
  groups: z.array(
    z.object({ key: z.string(), name: z.object({ zh: z.string(), en: z.string() }).nullable(), ...SurveyMetrics }),
  ),
  comments: z.array(
    z.object({
      responseId: Id,
      customerId: Id,
      text: z.string(),
      at: IsoDate,
      staffId: Id.nullable(),
      channel: z.string().nullable(),
    }),
  ),
});
export type SurveyReport = z.infer<typeof SurveyReport>;

// ── Loyalty report ──────────────────────────────────────────────────────────────────────────────
const PointsMoved = {
  issued: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  deducted: z.number().int(),
};
export const LoyaltyReport = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  timezone: z.string(),
  /** `week`: the Monday (shop day) the week starts. */
  weeks: z.array(z.object({ week: z.iso.date(), ...PointsMoved })),
  totals: z.object(PointsMoved),
  tiers: z.array(z.object({ tier: Tier, members: z.number().int(), points: z.number().int() })),
  balances: z.array(z.object({ min: z.number().int(), max: z.number().int().nullable(), members: z.number().int() })),
  topRewards: z.array(
    z.object({
      rewardId: Id,
      name: z.string(),
      nameEn: z.string().nullable(),
      active: z.boolean(),
      redemptions: z.number().int(),
      points: z.number().int(),
    }),
  ),
});
export type LoyaltyReport = z.infer<typeof LoyaltyReport>;

// ── Analytics ──────────────────────────────────────────────────────────────────────────────────
export const AnalyticsSummary = z.object({
  stages: z.array(z.object({ stage: LifecycleStage, customers: z.number().int() })),
  segments: z.array(z.object({ segment: z.string().nullable(), customers: z.number().int(), revenue: z.number() })),
  cohorts: z.array(z.object({ cohort: z.string(), customers: z.number(), rate: z.number() })),
  labels: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
});
export type AnalyticsSummary = z.infer<typeof AnalyticsSummary>;
export const ChurnRiskResponse = z.object({
  customers: z.array(
    z.object({
      id: Id,
      name: z.string().nullable(),
      lifecycleStage: LifecycleStage,
      rfmSegment: z.string().nullable(),
      totalSpent: z.number().int(),
      churnRisk: z.number(),
      marketingOptIn: z.boolean(),
    }),
  ),
});
export const RecomputeResponse = z.object({ customers: z.number().int(), changed: z.number().int() });
export const WinBackBody = z
  .object({ customerIds: z.array(Id).min(1).max(1000), text: z.string().trim().min(1).max(2000) })
  .strict();

// ── Campaigns ──────────────────────────────────────────────────────────────────────────────────
export const CampaignView = z.object({
  id: Id,
  name: z.string(),
  status: CampaignStatus,
  scheduleKind: z.enum(['now', 'at', 'cron']),
  scheduledAt: IsoDate.nullable(),
  cron: z.string().nullable(),
  createdAt: IsoDate,
});
export type CampaignView = z.infer<typeof CampaignView>;
export const CampaignsResponse = z.object({ campaigns: z.array(CampaignView) });
export const CampaignProgress = z.object({
  status: CampaignStatus,
  total: z.number().int(),
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  unknown: z.number().int(),
  reasons: z.array(z.object({ status: DeliveryStatus, reason: z.string().nullable(), count: z.number().int() })),
  /** While quiet hours hold the campaign's waiting messages: when they end. */
  heldUntil: IsoDate.nullable(),
});
export type CampaignProgress = z.infer<typeof CampaignProgress>;
/** The flows a campaign button may open (each checked against the bot's flows by a test), or a product. */
export { CampaignButtonFlow, productButtonPrefix } from '../../domain/campaigns.ts';

/** A campaign's message and its buttons, as the service reads them. */
export { CampaignButton as CampaignButtonBody, CampaignMessage as CampaignMessageBody };

export const CampaignDetail = CampaignView.extend({
  progress: CampaignProgress,
  /** The stored message; one saved by an older version that no longer parses shows as missing. */
  message: CampaignMessage.nullable().catch(null),
  segmentId: Id.nullable(),
  channels: z.array(ChannelName).catch([]),
  /** Who it is for when not a saved segment: rules, customer ids or group chats (as stored). */
  audience: z.unknown(),
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;
export const CampaignResults = z.object({
  windowDays: z.number().int(),
  delivered: z.number().int(),
  clicked: z.number().int(),
  replied: z.number().int(),
  optedOut: z.number().int(),
  orders: z.number().int(),
  revenue: z.number(),
});
export type CampaignResults = z.infer<typeof CampaignResults>;

// ── Segments ───────────────────────────────────────────────────────────────────────────────────
export const SegmentView = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  /** A stored tree that no longer parses (saved by an older version) shows as missing. */
  rules: SegmentRule.nullable().catch(null),
  lastCount: z.number().int().nullable(),
  updatedAt: IsoDate,
});
export type SegmentView = z.infer<typeof SegmentView>;
export const SegmentsResponse = z.object({ segments: z.array(SegmentView) });
export const SegmentInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable(),
    rules: SegmentRules,
  })
  .strict();
export type SegmentInput = z.input<typeof SegmentInput>;
export const SegmentPreviewBody = z.object({ rules: SegmentRules, sample: z.number().int().min(0).max(50) }).strict();
export const SegmentMember = z.object({
  id: Id,
  name: z.string().nullable(),
  locale: z.string().nullable(),
  tier: Tier,
  lifecycleStage: LifecycleStage,
  pointsBalance: z.number().int(),
  totalSpent: z.number().int(),
  marketingOptIn: z.boolean(),
});
export type SegmentMember = z.infer<typeof SegmentMember>;
export const SegmentPreview = z.object({ count: z.number().int(), sample: z.array(SegmentMember) });
export type SegmentPreview = z.infer<typeof SegmentPreview>;

/** POST /api/campaigns/preview: the message as one chosen customer would read it. */
export const CampaignPreviewBody = z.object({ message: CampaignMessage, customerId: Id }).strict();
export const CampaignPreview = z.object({
  customer: z.object({ id: Id, name: z.string().nullable() }),
  locale: Locale,
  text: z.string(),
  buttons: z.array(z.object({ label: z.string(), action: z.string().nullable() })),
});
export type CampaignPreview = z.infer<typeof CampaignPreview>;

/**
 * The campaign the console creates: a saved segment or everyone who consented, a text per language,
 * buttons, channels, now or at a time, or a draft to start later. The route accepts the full CampaignInput.
 */
export const CampaignCreateBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    audience: z.union([
      z.object({ segmentId: Id }).strict(),
      z.object({ rules: z.object({ type: z.literal('consent'), optIn: z.literal(true) }).strict() }).strict(),
    ]),
    message: CampaignMessage,
    channels: z.array(ChannelName).min(1).max(ChannelName.options.length),
    schedule: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('now') }).strict(),
      z.object({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }).strict(),
    ]),
    draft: z.boolean().optional(),
  })
  .strict();
export type CampaignCreateBody = z.input<typeof CampaignCreateBody>;
