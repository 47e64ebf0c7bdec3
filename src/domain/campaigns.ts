// Campaign vocabulary: campaigns, their schedules, and the per-recipient deliveries.
import { z } from 'zod';
import { ChannelName } from './channels.ts';

export const CampaignStatus = z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const CampaignKind = z.enum(['broadcast', 'automation']);
export type CampaignKind = z.infer<typeof CampaignKind>;

export const ScheduleKind = z.enum(['now', 'at', 'cron']);
export type ScheduleKind = z.infer<typeof ScheduleKind>;

export const automationKeys = ['welcome', 'presale_followup', 'winback', 'birthday'] as const;
export const AutomationKey = z.enum(automationKeys);
export type AutomationKey = z.infer<typeof AutomationKey>;

export const DeliveryStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'skipped', 'unknown']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** Why a delivery was skipped (a failed or unknown one carries the outbox error text instead). */
export const DeliverySkipReason = z.enum([
  'opted_out',
  'no_channel',
  'weekly_cap',
  'no_coupon_left',
  'cancelled',
  'window_closed',
]);
export type DeliverySkipReason = z.infer<typeof DeliverySkipReason>;

/** A delivery's channel; empty when the customer has no reachable identity (skipped: no_channel). */
export const DeliveryChannel = z.union([ChannelName, z.literal('')]);
export type DeliveryChannel = z.infer<typeof DeliveryChannel>;
