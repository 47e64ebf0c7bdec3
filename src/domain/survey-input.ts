// Survey questions as admins edit them (zod: the one definition of their shape). Shared by the API,
// the survey service and the console's survey editor.
import { z } from 'zod';
import { SurveyKind } from './surveys.ts';

const Label = z.object({ 'zh-CN': z.string().min(1).max(300), en: z.string().min(1).max(300) });
export const QuestionId = z.string().regex(/^[a-z0-9_]{1,16}$/, 'question ids use a-z, 0-9 and _ (max 16)');

export const Question = z.discriminatedUnion('type', [
  z.object({ id: QuestionId, type: z.literal('csat'), text: Label }),
  z.object({ id: QuestionId, type: z.literal('nps'), text: Label }),
  z.object({
    id: QuestionId,
    type: z.literal('choice'),
    text: Label,
    options: z
      .array(z.object({ value: z.string().regex(/^[a-z0-9_]{1,16}$/), label: Label }))
      .min(2)
      .max(10),
  }),
  z.object({ id: QuestionId, type: z.literal('text'), text: Label }),
]);
export type Question = z.infer<typeof Question>;

export const Questions = z
  .array(Question)
  .min(1)
  .max(10)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique');

export const SurveyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: SurveyKind,
    questions: Questions,
    pointsReward: z.number().int().min(0).max(100_000).default(0),
    active: z.boolean().default(true),
  })
  .strict();
export type SurveyInput = z.infer<typeof SurveyInput>;
