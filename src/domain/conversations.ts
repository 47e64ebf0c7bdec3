// Conversation vocabulary (Chatwoot's): bot → pending (waiting for staff) → open (staff owns it) → resolved.
import { z } from 'zod';

export const ConversationStatus = z.enum(['bot', 'pending', 'open', 'resolved']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** What staff, the bot or the system can do to a conversation (the transition table's keys). */
export const ConversationAction = z.enum(['escalate', 'take', 'release', 'resolve', 'transfer', 'requeue', 'reopen']);
export type ConversationAction = z.infer<typeof ConversationAction>;

/** Why a conversation left the bot: the customer asked, a complaint, or the bot kept not understanding. */
export const EscalationReason = z.enum(['customer_request', 'complaint', 'not_understood']);
export type EscalationReason = z.infer<typeof EscalationReason>;

/** Queue priority levels; SLA targets are set per level. */
export const PriorityLevel = z.enum(['low', 'normal', 'high', 'urgent']);
export type PriorityLevel = z.infer<typeof PriorityLevel>;
