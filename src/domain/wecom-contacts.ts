// WeCom 客户联系 (external contacts) vocabulary: the sources a 渠道活码 stands for, a contact's follow
// state, why it was lost, the state of a 群发 hand-off, and the neutral contact events the adapter
// turns the platform's change_external_contact callbacks into.
import { z } from 'zod';

/** What a 渠道活码 (contact-way QR code) is printed on. */
export const ContactSource = z.enum(['poster', 'parcel_insert', 'livestream', 'other']);
export type ContactSource = z.infer<typeof ContactSource>;

/** One follow relation (customer × staff member): live, or deleted on one side. */
export const WecomContactStatus = z.enum(['active', 'lost']);
export type WecomContactStatus = z.infer<typeof WecomContactStatus>;

/** `del_external_contact`: the staff member deleted the customer; `del_follow_user`: the customer deleted the staff member. */
export const ContactLossReason = z.enum(['staff_deleted', 'customer_deleted']);
export type ContactLossReason = z.infer<typeof ContactLossReason>;

/** A campaign delivery handed to a WeCom 群发 task, until its result is read back. */
export const GroupSendStatus = z.enum(['pending', 'submitting', 'submitted', 'sent', 'failed', 'unknown']);
export type GroupSendStatus = z.infer<typeof GroupSendStatus>;

/** A 客户联系 callback, as the adapter hands it to the contact service. */
export type ContactEvent =
  | {
      kind: 'added';
      externalUserId: string;
      staffUserId: string;
      /** The `state` of the 渠道活码 the customer scanned, if any. */
      state: string | undefined;
      /** Valid for 20 seconds, once: the welcome message goes out with it. */
      welcomeCode: string | undefined;
      at: Date;
    }
  | { kind: 'lost'; reason: ContactLossReason; externalUserId: string; staffUserId: string; at: Date };

/** The result of one external contact in a 群发 task (get_groupmsg_send_result). */
export const GroupSendOutcome = z.enum(['waiting', 'sent', 'not_friend', 'already_received']);
export type GroupSendOutcome = z.infer<typeof GroupSendOutcome>;

// Admin input (the API and the console share these).

const UserId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'expected a WeCom UserID (letters, digits, _ . @ -)');

export const ContactWayInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    source: ContactSource,
    staffUserIds: z.array(UserId).min(1).max(100),
    welcomeText: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type ContactWayInput = z.infer<typeof ContactWayInput>;

export const TagPushInput = z
  .object({
    /** Guanxi tags to push (each contact gets those it has); empty = none. */
    tags: z.array(z.string().trim().min(1).max(30)).max(100).default([]),
    /** Segments whose members get a tag named after the segment. */
    segmentIds: z.array(z.number().int().positive()).max(20).default([]),
  })
  .strict()
  .refine((input) => input.tags.length + input.segmentIds.length > 0, 'name at least one tag or segment');
export type TagPushInput = z.infer<typeof TagPushInput>;
