// The row types code outside src/db sees: the ORM's rows with every vocabulary column typed by its
// domain enum. Each table's columns are listed once here; repositories pass what they read through
// the table's parser (`rows.case(row)`), so a status compared with a typo does not compile and a
// stored value outside the vocabulary fails loudly where it is read.
import { ActorKind, AuditAction, AuditEntityType } from '../domain/audit.ts';
import { CampaignKind, CampaignStatus, DeliveryChannel, DeliveryStatus, ScheduleKind } from '../domain/campaigns.ts';
import { CasePriority, CaseStage, CaseStatus, CaseType } from '../domain/cases.ts';
import { ChannelName, ChatKind } from '../domain/channels.ts';
import { ConversationStatus } from '../domain/conversations.ts';
import { LifecycleStage, LocaleSource, TagSource, Tier } from '../domain/customer.ts';
import { InteractionChannel, InteractionDirection, InteractionKind } from '../domain/interactions.ts';
import { JobRunStatus } from '../domain/jobs.ts';
import { PointsEntryKind, RedemptionStatus, RewardKind } from '../domain/loyalty.ts';
import { MergeMoved, MergeReason } from '../domain/merges.ts';
import { AttachmentKind } from '../domain/messages.ts';
import { OrderStatus } from '../domain/orders.ts';
import { OutboxPurpose, OutboxStatus } from '../domain/outbox.ts';
import { RfmSegment } from '../domain/segment-rules.ts';
import { StaffRole } from '../domain/staff.ts';
import { SurveyKind, SurveyResponseStatus } from '../domain/surveys.ts';
import type * as Orm from '../generated/sqlite/client.ts';
import { type Narrowed, narrower } from './narrow.ts';

const columns = {
  Attachment: { channel: ChannelName, kind: AttachmentKind },
  AuditEntry: { actorType: ActorKind, action: AuditAction, entityType: AuditEntityType },
  Campaign: { kind: CampaignKind, status: CampaignStatus, scheduleKind: ScheduleKind },
  Case: { type: CaseType, status: CaseStatus, stage: CaseStage.nullable(), priority: CasePriority },
  Chat: { channel: ChannelName, kind: ChatKind },
  Conversation: { status: ConversationStatus },
  Customer: {
    tier: Tier,
    lifecycleStage: LifecycleStage,
    rfmSegment: RfmSegment.nullable(),
    localeSource: LocaleSource.nullable(),
  },
  CustomerTag: { source: TagSource },
  Delivery: { status: DeliveryStatus, channel: DeliveryChannel },
  Identity: { channel: ChannelName },
  Interaction: { channel: InteractionChannel, direction: InteractionDirection, kind: InteractionKind },
  JobRun: { status: JobRunStatus },
  Merge: { reason: MergeReason, actorType: ActorKind, moved: MergeMoved },
  Order: { status: OrderStatus },
  OrderEvent: { status: OrderStatus },
  OutboxMessage: { channel: ChannelName, purpose: OutboxPurpose, status: OutboxStatus },
  PointsEntry: { kind: PointsEntryKind },
  Redemption: { status: RedemptionStatus },
  Reward: { kind: RewardKind },
  Staff: { role: StaffRole },
  Survey: { kind: SurveyKind },
  SurveyResponse: { status: SurveyResponseStatus, channel: ChannelName.nullable() },
};
type Columns = typeof columns;

/** One parser per table. */
export const rows = {
  attachment: narrower('Attachment', columns.Attachment),
  auditEntry: narrower('AuditEntry', columns.AuditEntry),
  campaign: narrower('Campaign', columns.Campaign),
  case: narrower('Case', columns.Case),
  chat: narrower('Chat', columns.Chat),
  conversation: narrower('Conversation', columns.Conversation),
  customer: narrower('Customer', columns.Customer),
  customerTag: narrower('CustomerTag', columns.CustomerTag),
  delivery: narrower('Delivery', columns.Delivery),
  identity: narrower('Identity', columns.Identity),
  interaction: narrower('Interaction', columns.Interaction),
  jobRun: narrower('JobRun', columns.JobRun),
  merge: narrower('Merge', columns.Merge),
  order: narrower('Order', columns.Order),
  orderEvent: narrower('OrderEvent', columns.OrderEvent),
  outboxMessage: narrower('OutboxMessage', columns.OutboxMessage),
  pointsEntry: narrower('PointsEntry', columns.PointsEntry),
  redemption: narrower('Redemption', columns.Redemption),
  reward: narrower('Reward', columns.Reward),
  staff: narrower('Staff', columns.Staff),
  survey: narrower('Survey', columns.Survey),
  surveyResponse: narrower('SurveyResponse', columns.SurveyResponse),
};

export type Attachment = Narrowed<Orm.Attachment, Columns['Attachment']>;
export type AuditEntry = Narrowed<Orm.AuditEntry, Columns['AuditEntry']>;
export type Campaign = Narrowed<Orm.Campaign, Columns['Campaign']>;
export type Case = Narrowed<Orm.Case, Columns['Case']>;
export type Chat = Narrowed<Orm.Chat, Columns['Chat']>;
export type Conversation = Narrowed<Orm.Conversation, Columns['Conversation']>;
export type Customer = Narrowed<Orm.Customer, Columns['Customer']>;
export type CustomerTag = Narrowed<Orm.CustomerTag, Columns['CustomerTag']>;
export type Delivery = Narrowed<Orm.Delivery, Columns['Delivery']>;
export type Identity = Narrowed<Orm.Identity, Columns['Identity']>;
export type Interaction = Narrowed<Orm.Interaction, Columns['Interaction']>;
export type JobRun = Narrowed<Orm.JobRun, Columns['JobRun']>;
export type Merge = Narrowed<Orm.Merge, Columns['Merge']>;
export type Order = Narrowed<Orm.Order, Columns['Order']>;
export type OrderEvent = Narrowed<Orm.OrderEvent, Columns['OrderEvent']>;
export type OutboxMessage = Narrowed<Orm.OutboxMessage, Columns['OutboxMessage']>;
export type PointsEntry = Narrowed<Orm.PointsEntry, Columns['PointsEntry']>;
export type Redemption = Narrowed<Orm.Redemption, Columns['Redemption']>;
export type Reward = Narrowed<Orm.Reward, Columns['Reward']>;
export type Staff = Narrowed<Orm.Staff, Columns['Staff']>;
export type Survey = Narrowed<Orm.Survey, Columns['Survey']>;
export type SurveyResponse = Narrowed<Orm.SurveyResponse, Columns['SurveyResponse']>;
