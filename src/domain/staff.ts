// The staff vocabulary: roles, and what staff do to a conversation (shared by the desk and the consoles
// that mirror it).
import { z } from 'zod';

export const StaffRole = z.enum(['admin', 'agent']);
export type StaffRole = z.infer<typeof StaffRole>;

export const staffActionKinds = ['take', 'reply', 'note', 'transfer', 'release', 'resolve', 'requeue'] as const;
/** What a staff member did to a conversation, as relayed to the other consoles. */
export const StaffActionKind = z.enum(staffActionKinds);
export type StaffActionKind = z.infer<typeof StaffActionKind>;

/**
 * A staff console outside the web console (the Telegram staff group), told about escalations, customer
 * messages, other consoles' actions and SLA alerts. `C` is how it sees a conversation: full rows on
 * the desk's side (src/crm/staff-relay.ts), a plain summary through the adapter port.
 */
export interface StaffConsoleOf<C> {
  /** A conversation entered the queue (open a topic / post a header message). */
  onEscalated(event: C & { reason: string; caseNo?: string }): Promise<void>;
  /** The customer wrote while staff own the conversation. */
  onCustomerMessage(event: C & { text: string }): Promise<void>;
  /** A staff member acted in any console (so the other consoles show it). */
  onStaffAction(
    event: C & { action: StaffActionKind; staffName: string; text?: string; source: string },
  ): Promise<void>;
  /** An SLA is about to be breached, or was. */
  onSlaAlert(event: C & { kind: 'warning' | 'breach'; dueAt: Date; assigneeName?: string }): Promise<void>;
}
