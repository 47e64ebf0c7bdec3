// The shop settings and survey definitions the console's staff and surveys pages edit: the same
// schemas the routes parse with (webchat widget settings, survey questions), and what the pages read.
import { z } from 'zod';
import { Question, Questions, SurveyInput } from '../../domain/survey-input.ts';
import { SurveyKind } from '../../domain/surveys.ts';
import { WebchatSettingsInput } from '../../domain/webchat-settings-input.ts';

export { Question, SurveyInput, WebchatSettingsInput };

/** One survey as `GET /api/surveys` lists it (the fields the console edits). */
export const SurveyDefinition = z.object({
  key: z.string(),
  name: z.string(),
  kind: SurveyKind,
  questions: Questions,
  pointsReward: z.number().int(),
  active: z.boolean(),
});
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;
export const SurveysResponse = z.object({ surveys: z.array(SurveyDefinition) });

/** What the widget reads and admins change (`GET` / `PUT /api/webchat/settings`). */
export const WebchatSettingsView = z.object({
  title: z.string(),
  logoUrl: z.string().nullable(),
  color: z.string(),
  locale: z.enum(['zh-CN', 'en']),
  preChat: z.object({ name: z.boolean(), phone: z.boolean() }),
  /** UPLOAD_MAX_MB in bytes (GET only): the widget and the console refuse a larger photo before uploading. */
  uploadMaxBytes: z.number().int().optional(),
});
export type WebchatSettingsView = z.infer<typeof WebchatSettingsView>;
