// Profile merges on the wire: the admin merge, its undo and the suggestions for staff.
import { z } from 'zod';
import { MergeReason, MergeSuggestionReason } from '../../domain/merges.ts';
import { CustomerSummary } from './customers.ts';
import { Id, IsoDate } from './wire.ts';

export const MergeBody = z.object({ sourceId: Id, targetId: Id }).strict();

/** A merge as the API reports it: who into whom, why, how many rows of each kind moved. */
export const MergeView = z.object({
  id: Id,
  sourceId: Id,
  targetId: Id,
  reason: MergeReason,
  createdAt: IsoDate,
  undoneAt: IsoDate.nullable(),
  moved: z.record(z.string(), z.number().int()),
});
export type MergeView = z.infer<typeof MergeView>;

export const MergeResponse = z.object({ merge: MergeView, customer: CustomerSummary });
export const UndoResponse = z.object({ merge: MergeView, source: CustomerSummary, target: CustomerSummary });

export const SuggestionsResponse = z.object({
  suggestions: z.array(
    z.object({ reason: MergeSuggestionReason, shared: z.string(), customers: z.array(CustomerSummary).length(2) }),
  ),
});
