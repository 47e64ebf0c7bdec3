// Campaign vocabulary: campaigns, their schedules, and the per-recipient deliveries.
import { z } from 'zod';
import { ChannelName } from './channels.ts';

export const CampaignStatus = z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const CampaignKind = z.enum(['broadcast', 'automation']);
export type CampaignKind = z.infer<typeof CampaignKind>;

/**
 * The flows a campaign button may open by name (each is a registered flow: test/integration/
 * campaign-editor.test.ts checks them against flows/names.ts). A product opens with
 * `presale:ask:<sku>` instead.
 */
export const CampaignButtonFlow = z.enum(['menu', 'presale', 'loyalty', 'orders', 'aftersale', 'profile', 'human']);
export type CampaignButtonFlow = z.infer<typeof CampaignButtonFlow>;

/** Button data that opens a product: the prefix, then its SKU. */
export const productButtonPrefix = 'presale:ask:';

/** Campaign statuses whose content may still be edited: nothing has been sent yet. */
export const editableCampaignStatuses: readonly CampaignStatus[] = ['draft', 'scheduled'];

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
