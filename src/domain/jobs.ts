// Job-run vocabulary: a once-only run is claimed (running), then done or failed.
import { z } from 'zod';

export const JobRunStatus = z.enum(['running', 'done', 'failed']);
export type JobRunStatus = z.infer<typeof JobRunStatus>;
