// Profile events: the `payload` of event interactions (direction `event`), one schema per name. The
// name is `payload.type`; readers parse with these schemas, writers are checked against them.
import { z } from 'zod';
import { CaseType } from './cases.ts';
import { ChannelName } from './channels.ts';
import { ConversationStatus } from './conversations.ts';
import { Tier } from './customer.ts';
import { OrderStatus } from './orders.ts';

/** A conversation moved along its state machine (`conversation.<action>`). */
export const ConversationMoved = z.object({
  type: z.enum([
    'conversation.escalate',
    'conversation.take',
    'conversation.release',
    'conversation.resolve',
    'conversation.transfer',
    'conversation.requeue',
    'conversation.reopen',
  ]),
  from: ConversationStatus,
  to: ConversationStatus,
  reason: z.string().optional(),
  assigneeId: z.number().int().optional(),
});

export const SlaAlerted = z.object({
  type: z.enum(['conversation.sla_warning', 'conversation.sla_breach']),
  dueAt: z.string(),
});

export const CaseOpened = z.object({ type: z.literal('case.opened'), caseNo: z.string(), caseType: CaseType });

export const OrderChanged = z.object({
  type: z.enum(['order.created', 'order.updated']),
  orderNo: z.string(),
  status: OrderStatus,
  total: z.number().int(),
});

export const ConsentChanged = z.object({ type: z.enum(['consent.opt_in', 'consent.opt_out']), via: ChannelName });

/** A profile folded into this one (`customer.merged`), or taken out again by an undo (`customer.unmerged`). */
export const CustomerMerged = z.object({
  type: z.enum(['customer.merged', 'customer.unmerged']),
  mergedId: z.number().int(),
  mergeId: z.number().int().optional(),
});

export const PointsAdjusted = z.object({
  type: z.literal('points.adjust'),
  amount: z.number().int(),
  entryId: z.number().int(),
});

export const TierChanged = z.object({
  type: z.literal('loyalty.tier'),
  from: Tier,
  to: Tier,
  basis: z.enum(['points', 'spend']),
  value: z.number(),
});

export const RewardRedeemed = z.object({
  type: z.literal('loyalty.redeem'),
  rewardId: z.number().int(),
  redemptionId: z.number().int(),
  points: z.number().int(),
});

export const Referred = z.object({ type: z.literal('loyalty.referral'), referrerId: z.number().int() });

export const SurveyAnswered = z.object({
  type: z.literal('survey.answer'),
  responseId: z.number().int(),
  questionId: z.string(),
  value: z.string(),
});

/** A pre-sale question and what it was about (see crm/interest.ts). */
export const PresaleQuestion = z.object({
  type: z.literal('presale.question'),
  via: z.enum(['question', 'select']),
  productIds: z.array(z.number().int()),
  skus: z.array(z.string()),
  faqIds: z.array(z.number().int()),
  confidence: z.number(),
  answered: z.boolean(),
  /** What the question was understood to ask: price, stock, size, color, spec, product, faq:<category>. */
  asked: z.array(z.string()).optional(),
});
export type PresaleQuestion = z.infer<typeof PresaleQuestion>;

/** WeCom 客户联系: a staff member's contact was added (with the 渠道活码's source) or lost. */
export const WecomContactChanged = z.object({
  type: z.enum(['wecom.contact_added', 'wecom.contact_lost']),
  staffUserId: z.string(),
  source: z.string().optional(),
  reason: z.string().optional(),
});

/**
 * Why a platform that keeps its own session state (WeCom 微信客服) did not follow a change made in
 * Guanxi: its servicer is not an active 接待人员 (95014), the session had ended (95013), the move is
 * not one the platform allows from the session's state (95016), or another refusal / no answer.
 */
export const PlatformRefusal = z.enum(['not_servicer', 'session_ended', 'not_allowed', 'rejected', 'unreachable']);
export type PlatformRefusal = z.infer<typeof PlatformRefusal>;

/** The platform refused to mirror a takeover / hand-back made in Guanxi; Guanxi's state stands. */
export const PlatformSessionRefused = z.object({
  type: z.literal('platform.session_refused'),
  channel: ChannelName,
  reason: PlatformRefusal,
  /** What Guanxi asked for, e.g. `staff:zhangsan`, `ended`. */
  wanted: z.string(),
});

export const ProfileEvent = z.discriminatedUnion('type', [
  ConversationMoved,
  SlaAlerted,
  CaseOpened,
  OrderChanged,
  ConsentChanged,
  CustomerMerged,
  PointsAdjusted,
  TierChanged,
  RewardRedeemed,
  Referred,
  SurveyAnswered,
  PresaleQuestion,
  WecomContactChanged,
  PlatformSessionRefused,
]);
export type ProfileEvent = z.infer<typeof ProfileEvent>;

/** Every profile-event name, built from the schemas above (the console words each one). */
export const ProfileEventName = z.enum([
  ...ConversationMoved.shape.type.options,
  ...SlaAlerted.shape.type.options,
  CaseOpened.shape.type.value,
  ...OrderChanged.shape.type.options,
  ...ConsentChanged.shape.type.options,
  ...CustomerMerged.shape.type.options,
  PointsAdjusted.shape.type.value,
  TierChanged.shape.type.value,
  RewardRedeemed.shape.type.value,
  Referred.shape.type.value,
  SurveyAnswered.shape.type.value,
  PresaleQuestion.shape.type.value,
  ...WecomContactChanged.shape.type.options,
  PlatformSessionRefused.shape.type.value,
]);
export type ProfileEventName = z.infer<typeof ProfileEventName>;
