// What staff send to change a case or add a note to it (the API and the console share these).
import { z } from 'zod';
import { CaseStage, CaseStatus } from './cases.ts';

export const CaseUpdate = z
  .object({
    status: CaseStatus.optional(),
    stage: CaseStage.optional(),
    returnAddress: z.string().trim().min(1).max(500).optional(),
    message: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .refine((u) => u.status !== undefined || u.stage !== undefined, 'status or stage required');
export type CaseUpdate = z.infer<typeof CaseUpdate>;

export const CaseNoteInput = z
  .object({ text: z.string().trim().min(1).max(4000), internal: z.boolean().default(true) })
  .strict();
