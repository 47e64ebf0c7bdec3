// Statuses and names the console shows as words: the domain's enums (src/domain), gathered in one
// module for the server's response schemas and the console (web/console/src/words.ts).
export { ActorKind, AuditAction, AuditEntityType } from '../../domain/audit.ts';
export { CampaignStatus, DeliveryStatus } from '../../domain/campaigns.ts';
export { CasePriority, CaseStage, CaseStatus, CaseType } from '../../domain/cases.ts';
export { ChannelName, ChatKind } from '../../domain/channels.ts';
export { ConversationStatus } from '../../domain/conversations.ts';
export { LifecycleStage, Tier } from '../../domain/customer.ts';
export { PointsEntryKind as PointsKind } from '../../domain/loyalty.ts';
export { OrderStatus } from '../../domain/orders.ts';
export { OutboxStatus } from '../../domain/outbox.ts';
export { ProfileEventName } from '../../domain/profile-events.ts';
export { RfmSegment } from '../../domain/segment-rules.ts';
export { StaffRole } from '../../domain/staff.ts';
export { Locale } from '../../domain/staff-input.ts';
export { SurveyResponseStatus } from '../../domain/surveys.ts';
