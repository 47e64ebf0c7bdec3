// Case vocabulary: after-sale requests, complaints and survey recovery cases.
import { z } from 'zod';
import { PriorityLevel } from './conversations.ts';

export const caseTypes = [
  'return',
  'exchange',
  'refund',
  'missing',
  'damaged',
  'invoice',
  'complaint',
  'recovery',
  'other',
] as const;
export const CaseType = z.enum(caseTypes);
export type CaseType = z.infer<typeof CaseType>;

export const CaseStatus = z.enum(['open', 'in_progress', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const caseStages = ['approved', 'return_address_sent', 'received', 'refunded', 'shipped', 'rejected'] as const;
export const CaseStage = z.enum(caseStages);
export type CaseStage = z.infer<typeof CaseStage>;

/** A case's priority uses the queue's levels, so a complaint case and its conversation agree. */
export const CasePriority = PriorityLevel;
export type CasePriority = PriorityLevel;

/** Case numbers are `<prefix><yyyymmdd>-<seq>`; the prefix tells staff the kind at a glance. */
export function caseNumberPrefix(type: CaseType): 'AS' | 'TS' | 'RC' {
  if (type === 'complaint') return 'TS';
  if (type === 'recovery') return 'RC';
  return 'AS';
}
