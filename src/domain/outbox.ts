// Outbox vocabulary: why a message is sent, and where it is on its way out.
import { z } from 'zod';
import { Attachment } from './messages.ts';

export const OutboxStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'unknown']);
export type OutboxStatus = z.infer<typeof OutboxStatus>;

/** States an outbox row never leaves. */
export const finalOutboxStatuses = ['sent', 'failed', 'unknown'] as const satisfies readonly OutboxStatus[];

export const OutboxPurpose = z.enum(['reply', 'staff', 'notification', 'campaign', 'survey', 'system']);
export type OutboxPurpose = z.infer<typeof OutboxPurpose>;

/**
 * Claim order within a channel (the `priority` column, lower first): a customer's reply or a staff
 * message never waits behind bulk traffic (campaigns, notifications, survey invitations).
 */
export function outboxPriority(purpose: OutboxPurpose): number {
  return purpose === 'campaign' || purpose === 'notification' || purpose === 'survey' ? 1 : 0;
}

/** Every priority `outboxPriority` gives, in claim order. */
export const outboxPriorities = [0, 1] as const;

/** An outbox row's `meta` column: where it goes in a group and what produced it. */
export const OutboxMeta = z.object({
  /** Sent into a group chat (the adapter may mention the customer there). */
  group: z.boolean(),
  /** The platform user id to mention in the group. */
  mention: z.string().optional(),
  campaignId: z.number().int().optional(),
  deliveryId: z.number().int().optional(),
  /** The staff member who wrote it (the webchat thread shows their display name). */
  staffId: z.number().int().optional(),
  /** The photo the row sends (an attachment staff uploaded); the text goes with it as its caption. */
  image: Attachment.optional(),
});
export type OutboxMeta = z.infer<typeof OutboxMeta>;
