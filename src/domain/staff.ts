// The staff vocabulary: roles, and what staff do to a conversation (shared by the desk and the consoles
// that mirror it).
import { z } from 'zod';

export const StaffRole = z.enum(['admin', 'agent']);
export type StaffRole = z.infer<typeof StaffRole>;

export const staffActionKinds = ['take', 'reply', 'note', 'transfer', 'release', 'resolve', 'requeue'] as const;
/** What a staff member did to a conversation, as relayed to the other consoles. */
export const StaffActionKind = z.enum(staffActionKinds);
export type StaffActionKind = z.infer<typeof StaffActionKind>;
