// Staff accounts and canned replies as admins edit them. Shared by the API and the console's forms.
import { z } from 'zod';
import { StaffRole } from './staff.ts';

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

const TelegramUserId = z.string().regex(/^\d{1,20}$/, 'expected the numeric Telegram user id');
/** A WeCom member userid (成员 UserID): 1-64 letters, digits and _ - @ . starting with a letter or digit. */
export const WecomUserId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'expected the WeCom userid: 1-64 letters, digits, _ - @ .');

export const StaffInput = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{2,40}$/, 'expected 2-40 letters, digits, _ . -'),
    name: z.string().trim().min(1).max(80),
    role: StaffRole.default('agent'),
    password: z.string().min(8).max(200).optional(),
    capacity: z.number().int().min(1).max(100).optional(),
    telegramUserId: TelegramUserId.optional(),
    wecomUserId: WecomUserId.optional(),
  })
  .strict();
export type StaffInput = z.input<typeof StaffInput>;

export const StaffPatch = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    role: StaffRole.optional(),
    password: z.string().min(8).max(200).optional(),
    capacity: z.number().int().min(1).max(100).optional(),
    telegramUserId: TelegramUserId.nullable().optional(),
    wecomUserId: WecomUserId.nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** What staff change about themselves: the console's language. */
export const OwnSettings = z.object({ locale: Locale }).strict();

export const CannedInput = z
  .object({
    text: z.string().trim().min(1).max(2000),
    textEn: z.string().trim().min(1).max(2000).nullable().optional(),
  })
  .strict();
export const Shortcut = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'expected 1-32 letters, digits, _ or -');
