// Profile merges: why one profile was folded into another, and the exact record of what moved, kept
// on the Merge row so an undo puts every row back where it was.
import { z } from 'zod';
import { ConversationStatus } from './conversations.ts';

/** What led to a merge: an admin's decision, a customer's binding code, or a signed shop identity. */
export const MergeReason = z.enum(['admin', 'binding', 'signed_identity']);
export type MergeReason = z.infer<typeof MergeReason>;

/** Why two profiles are proposed to staff as one person (never merged without a decision). */
export const MergeSuggestionReason = z.enum(['phone', 'stable_key']);
export type MergeSuggestionReason = z.infer<typeof MergeSuggestionReason>;

const Ids = z.array(z.number().int());

/** The profile fields a merge may fill on the target, with the target's values before it. */
export const MergedProfileFields = z.object({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  phoneVerifiedAt: z.string().nullable(),
  email: z.string().nullable(),
  birthday: z.string().nullable(),
  marketingOptIn: z.boolean(),
  marketingOptOutAt: z.string().nullable(),
  attributes: z.record(z.string(), z.json()).nullable(),
});
export type MergedProfileFields = z.infer<typeof MergedProfileFields>;

/** Every row a merge moved from the source to the target, by table (ids), and what it changed on both profiles. */
export const MergeMoved = z.object({
  identities: Ids,
  interactions: Ids,
  orders: Ids,
  cases: Ids,
  conversations: Ids,
  surveyResponses: Ids,
  pointsEntries: Ids,
  redemptions: Ids,
  deliveries: Ids,
  notes: Ids,
  outbox: Ids,
  /** Check-in days moved (a day the target already has stays on the source). */
  checkIns: z.array(z.string()),
  /** The source's tags; `added` when the target did not have it before. */
  tags: z.array(z.object({ tag: z.string(), source: z.string(), added: z.boolean() })),
  /** The source's chat memberships; `added` when the target was not a member before. */
  chatMembers: z.array(z.object({ chatId: z.number().int(), joinedAt: z.string(), added: z.boolean() })),
  /** Live conversations whose key changed: `resolved` when the target already had a live one in that chat. */
  rekeyed: z.array(
    z.object({ id: z.number().int(), activeKey: z.string(), status: ConversationStatus, resolved: z.boolean() }),
  ),
  /** The target's profile fields before the merge (an undo restores those the merge changed). */
  targetBefore: MergedProfileFields,
  /** The target's profile fields right after the merge. */
  targetAfter: MergedProfileFields,
  /** The source's referral code (cleared on the tombstone: codes are unique). */
  sourceReferralCode: z.string().nullable(),
});
export type MergeMoved = z.infer<typeof MergeMoved>;

/** The tables of `MergeMoved` holding plain row ids, in the order a merge moves them. */
export const mergedRowTables = [
  'identities',
  'interactions',
  'orders',
  'cases',
  'conversations',
  'surveyResponses',
  'pointsEntries',
  'redemptions',
  'deliveries',
  'notes',
  'outbox',
] as const satisfies readonly (keyof MergeMoved)[];
export type MergedRowTable = (typeof mergedRowTables)[number];
