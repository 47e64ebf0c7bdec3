// Statuses and names the console shows as words. Until every one of them lives in src/domain, the
// ones missing there are listed here; both the server's responses and the console use these.
import { z } from 'zod';

export { LifecycleStage, Tier } from '../../domain/customer.ts';
export { ChannelName, ConversationStatus } from '../../domain/messages.ts';
export { Locale, StaffRole } from '../../domain/staff-input.ts';

export const ChatKind = z.enum(['private', 'group']);
export const OrderStatus = z.enum([
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const CaseType = z.enum([
  'return',
  'exchange',
  'refund',
  'missing',
  'damaged',
  'invoice',
  'complaint',
  'recovery',
  'other',
]);
export type CaseType = z.infer<typeof CaseType>;
export const CaseStatus = z.enum(['open', 'in_progress', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const OutboxStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'unknown']);
export type OutboxStatus = z.infer<typeof OutboxStatus>;
export const PointsKind = z.enum(['earn', 'redeem', 'expire', 'adjust', 'reverse']);
export type PointsKind = z.infer<typeof PointsKind>;
export const SurveyResponseStatus = z.enum(['scheduled', 'sending', 'sent', 'completed', 'expired', 'cancelled']);
export type SurveyResponseStatus = z.infer<typeof SurveyResponseStatus>;
export const CampaignStatus = z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;
export const DeliveryStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'skipped', 'unknown']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;
