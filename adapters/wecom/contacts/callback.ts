// 客户联系 callbacks (change_external_contact): checked and decrypted with the contact Token and
// EncodingAESKey, then turned into neutral ContactEvents for the contact service. Answers
// "not_mine" for what belongs to another WeCom receiver on the same path (微信客服's kf_msg_or_event),
// so one route can offer a callback to each receiver in turn.
import { z } from 'zod';
import type { ContactEvent } from '../../../src/domain/wecom-contacts.ts';
import { openCallback, verifyUrl } from '../callback.ts';
import { type CallbackKeys, CallbackRejected, WecomCrypto } from '../crypto.ts';

/** What a callback receiver made of a request: the plain-text answer, or why it was refused. */
export type CallbackOutcome = { ok: true; text: string } | { ok: false; reason: 'refused' | 'not_mine' };

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

export class ContactCallbackReceiver {
  private readonly crypto: WecomCrypto;

  constructor(
    keys: Omit<CallbackKeys, 'receiveId'> & { corpId: string },
    private readonly handle: (event: ContactEvent) => Promise<void>,
  ) {
    this.crypto = new WecomCrypto({ token: keys.token, encodingAesKey: keys.encodingAesKey, receiveId: keys.corpId });
  }

  /** GET: the URL check of the admin console (the decrypted echostr). */
  verify(query: unknown): CallbackOutcome {
    return refusedOn(() => ({ ok: true, text: verifyUrl(this.crypto, query) }));
  }

  /** POST: an encrypted event; a contact change is handled before WeCom gets its "success". */
  async receive(query: unknown, body: string): Promise<CallbackOutcome> {
    const opened = refusedOn(() => ({ ok: true, fields: openCallback(this.crypto, query, body) }));
    if (!opened.ok) return opened;
    if (opened.fields.Event === 'kf_msg_or_event') return { ok: false, reason: 'not_mine' };
    const event = contactEventOf(opened.fields);
    if (event) await this.handle(event);
    return { ok: true, text: 'success' };
  }
}

function refusedOn<T extends { ok: true }>(run: () => T): T | { ok: false; reason: 'refused' } {
  try {
    return run();
  } catch (error) {
    if (error instanceof CallbackRejected) return { ok: false, reason: 'refused' };
    throw error;
  }
}
