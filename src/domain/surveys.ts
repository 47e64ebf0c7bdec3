// Survey vocabulary.
import { z } from 'zod';

export const SurveyKind = z.enum(['csat', 'nps', 'post_purchase', 'custom']);
export type SurveyKind = z.infer<typeof SurveyKind>;

/** scheduled → sending (claimed by one job) → sent → completed, or expired / cancelled. */
export const SurveyResponseStatus = z.enum(['scheduled', 'sending', 'sent', 'completed', 'expired', 'cancelled']);
export type SurveyResponseStatus = z.infer<typeof SurveyResponseStatus>;
