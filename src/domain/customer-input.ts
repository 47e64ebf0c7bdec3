// What staff may send to change a customer profile. Shared by the API and the console's forms.
import { z } from 'zod';
import { LifecycleStage, Tier } from './customer.ts';
import { normalisePhone } from './phone.ts';

export const CustomerUpdate = z
  .object({
    name: z.string().trim().min(1).max(100).nullable(),
    phone: z
      .string()
      .trim()
      .max(32)
      .nullable()
      .transform((value, ctx) => {
        if (value === null || value === '') return null;
        const phone = normalisePhone(value);
        if (!phone) ctx.addIssue({ code: 'custom', message: 'not a valid phone number' });
        return phone ?? null;
      }),
    email: z.email().max(200).nullable(),
    locale: z.enum(['zh-CN', 'en']).nullable(),
    birthday: z
      .string()
      .regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD or YYYY-MM-DD')
      .nullable(),
    tier: Tier,
    lifecycleStage: LifecycleStage,
    marketingOptIn: z.boolean(),
    orderNotifications: z.boolean(),
    attributes: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()])),
  })
  .partial()
  .strict();
export type CustomerUpdate = z.infer<typeof CustomerUpdate>;

export const TagInput = z.object({ tag: z.string().trim().min(1).max(64) }).strict();
export const NoteInput = z.object({ text: z.string().trim().min(1).max(4000) }).strict();
