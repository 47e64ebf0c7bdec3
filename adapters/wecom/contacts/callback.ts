// 客户联系 callbacks (change_external_contact), once the WeCom callback endpoint has checked and
// decrypted them with the contact Token and EncodingAESKey: the neutral ContactEvent they mean.
import { z } from 'zod';
import type { ContactEvent } from '../../../src/domain/wecom-contacts.ts';

const Change = z.object({
  ToUserName: z.string().min(1),
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: z.literal('event'),
  Event: z.literal('change_external_contact'),
  ChangeType: z.string().min(1).max(64),
  UserID: z.string().min(1).max(64),
  ExternalUserID: z.string().min(1).max(128),
  State: z.string().max(30).optional(),
  WelcomeCode: z.string().max(512).optional(),
});

/** The contact event in the decrypted fields, or undefined for events Guanxi does not act on. */
export function contactEventOf(fields: Record<string, string>): ContactEvent | undefined {
  const parsed = Change.safeParse(fields);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const at = new Date(Number(e.CreateTime) * 1000);
  const who = { externalUserId: e.ExternalUserID, staffUserId: e.UserID, at };
  switch (e.ChangeType) {
    case 'add_external_contact':
      return { kind: 'added', ...who, state: e.State || undefined, welcomeCode: e.WelcomeCode || undefined };
    case 'del_external_contact':
      return { kind: 'lost', reason: 'staff_deleted', ...who };
    case 'del_follow_user':
      return { kind: 'lost', reason: 'customer_deleted', ...who };
    default:
      return undefined;
  }
}
