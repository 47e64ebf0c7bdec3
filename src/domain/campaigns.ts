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

/** A button under a campaign's message. */
export const CampaignButton = z.object({
  label: z.string().trim().min(1).max(32),
  /** The label English-speaking customers read (the Chinese one when missing). */
  labelEn: z.string().trim().min(1).max(32).optional(),
  /**
   * What pressing it does afterwards: button data of a flow, e.g. "loyalty", "menu" or a product's
   * "presale:ask:SKU1" (optional; without it the customer is thanked).
   */
  action: z.string().trim().min(1).max(200).optional(),
});
export type CampaignButton = z.infer<typeof CampaignButton>;

/** What a campaign says: the texts and buttons (shared by the service, the API and the console's editor). */
export const CampaignMessage = z
  .object({
    /** Personalised with {name}, {points}, {tier} and {coupon}. */
    text: z.string().trim().min(1).max(2000),
    textEn: z.string().trim().min(1).max(2000).optional(),
    buttons: z.array(CampaignButton).max(6).optional(),
  })
  .strict();
export type CampaignMessage = z.infer<typeof CampaignMessage>;

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
