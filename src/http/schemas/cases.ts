// After-sale and complaint cases as the console reads them (GET /api/cases, GET /api/cases/:caseNo)
// and the changes it sends. The routes answer more fields than these; the console decodes what it shows.
import { z } from 'zod';
import { CaseNoteInput, CaseUpdate } from '../../domain/case-input.ts';
import { CasePriority, CaseStage, CaseStatus, CaseType } from './vocabulary.ts';
import { Id, IsoDate } from './wire.ts';

export { CaseNoteInput, CaseUpdate };

const CaseFields = {
  caseNo: z.string(),
  type: CaseType,
  status: CaseStatus,
  stage: CaseStage.nullable(),
  priority: CasePriority,
  customerId: Id,
  reason: z.string().nullable(),
  description: z.string().nullable(),
  amount: z.number().int().nullable(),
  createdAt: IsoDate,
  firstResponseDueAt: IsoDate.nullable(),
  resolutionDueAt: IsoDate.nullable(),
  resolvedAt: IsoDate.nullable(),
  closedAt: IsoDate.nullable(),
};

export const CaseListItem = z.object({
  ...CaseFields,
  customerName: z.string().nullable(),
  orderNo: z.string().nullable(),
});
export type CaseListItem = z.infer<typeof CaseListItem>;

export const CaseListResponse = z.object({ cases: z.array(CaseListItem) });

export const CaseDetail = z.object({
  ...CaseFields,
  /** What the case keeps beside its columns (the return address sent, …). */
  data: z.object({ returnAddress: z.string().optional() }).loose().nullable(),
  notes: z.array(
    z.object({
      id: Id,
      text: z.string(),
      internal: z.boolean(),
      staffId: Id.nullable(),
      createdAt: IsoDate,
    }),
  ),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

/** The filters of the case list, as query parameters. */
export const CaseFilters = z.object({
  status: CaseStatus.optional(),
  type: CaseType.optional(),
  stage: CaseStage.optional(),
  q: z.string().trim().max(40).optional(),
});
export type CaseFilters = z.infer<typeof CaseFilters>;
