// The two requests WeCom makes to the callback URL, checked before anything inside them is trusted:
// GET (URL verification: decrypt `echostr` and answer it) and POST (an encrypted XML envelope whose
// `Encrypt` element holds the event). The signature is checked before the ciphertext is decrypted;
// only the envelope is parsed first, because the ciphertext the signature covers is inside it.
// `sealCallback` is the reverse (what WeCom sends), used by the fake server and for passive replies.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CallbackRejected, type WecomCrypto } from './crypto.ts';
import { buildXml, parseXmlFields, XmlError } from './xml.ts';

/** Callback bodies are a few hundred bytes; anything far larger is not from WeCom. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

const SignedQuery = z.object({
  msg_signature: z.string().regex(/^[0-9a-fA-F]{40}$/),
  timestamp: z.string().regex(/^\d{1,20}$/),
  nonce: z.string().min(1).max(64),
});
export type SignedQuery = z.infer<typeof SignedQuery>;

const VerifyQuery = SignedQuery.extend({ echostr: z.string().min(1).max(4096) });

function signedQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new CallbackRejected('malformed', 'missing or malformed signature parameters');
  return parsed.data;
}

/** GET: the admin console checks the URL; the answer is the decrypted echostr, as plain text. */
export function verifyUrl(crypto: WecomCrypto, query: unknown): string {
  const q = signedQuery(VerifyQuery, query);
  if (!crypto.verify(q.msg_signature, q.timestamp, q.nonce, q.echostr)) {
    throw new CallbackRejected('bad_signature', 'signature does not match');
  }
  return crypto.decrypt(q.echostr);
}

/** POST: the fields of the decrypted event XML (ToUserName, MsgType, Event, Token, OpenKfId, …). */
export function openCallback(crypto: WecomCrypto, query: unknown, body: string): Record<string, string> {
  const q = signedQuery(SignedQuery, query);
  if (Buffer.byteLength(body, 'utf8') > MAX_CALLBACK_BYTES) throw new CallbackRejected('malformed', 'body too large');
  const encrypted = fieldsOf(body).Encrypt;
  if (!encrypted) throw new CallbackRejected('malformed', 'no Encrypt element');
  if (!crypto.verify(q.msg_signature, q.timestamp, q.nonce, encrypted)) {
    throw new CallbackRejected('bad_signature', 'signature does not match');
  }
  return fieldsOf(crypto.decrypt(encrypted));
}

function fieldsOf(xml: string): Record<string, string> {
  try {
    return parseXmlFields(xml);
  } catch (error) {
    if (error instanceof XmlError) throw new CallbackRejected('malformed', error.message);
    throw error;
  }
}

export interface SealedCallback {
  query: SignedQuery;
  body: string;
}

/** What WeCom POSTs for `message` (the event XML): the envelope and its signed query. */
export function sealCallback(
  crypto: WecomCrypto,
  message: string,
  options: { timestamp: string; nonce?: string; agentId?: string },
): SealedCallback {
  const { timestamp } = options;
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const encrypted = crypto.encrypt(message);
  return {
    query: { msg_signature: crypto.signature(timestamp, nonce, encrypted), timestamp, nonce },
    body: buildXml({ ToUserName: crypto.receiveId, Encrypt: encrypted, AgentID: options.agentId ?? '' }),
  };
}

/** The signed query for a GET URL verification of `echo` (what the admin console sends). */
export function sealEcho(
  crypto: WecomCrypto,
  echo: string,
  options: { timestamp: string; nonce: string },
): SignedQuery & { echostr: string } {
  const echostr = crypto.encrypt(echo);
  return {
    msg_signature: crypto.signature(options.timestamp, options.nonce, echostr),
    timestamp: options.timestamp,
    nonce: options.nonce,
    echostr,
  };
}

/** An encrypted passive reply (被动回复) to a callback; 微信客服 answers "success" instead. */
export function sealReply(crypto: WecomCrypto, message: string, options: { timestamp: string; nonce: string }): string {
  const encrypted = crypto.encrypt(message);
  return buildXml({
    Encrypt: encrypted,
    MsgSignature: crypto.signature(options.timestamp, options.nonce, encrypted),
    TimeStamp: options.timestamp,
    Nonce: options.nonce,
  });
}

const KfMsgOrEvent = z.object({
  ToUserName: z.string().min(1),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.literal('event'),
  Event: z.literal('kf_msg_or_event'),
  /** Lets sync_msg pull with a looser rate limit; valid for 10 minutes. */
  Token: z.string().min(1).max(128),
  OpenKfId: z.string().min(1).max(64),
});

/** A decrypted callback, by what it asks Guanxi to do. 客户联系 events are `other` until stage 2. */
export type CallbackEvent =
  | { kind: 'kf_msg_or_event'; corpId: string; at: Date; syncToken: string; openKfId: string }
  | { kind: 'other'; msgType: string | undefined; event: string | undefined };

export function parseCallbackEvent(fields: Record<string, string>): CallbackEvent {
  const kf = KfMsgOrEvent.safeParse(fields);
  if (kf.success) {
    return {
      kind: 'kf_msg_or_event',
      corpId: kf.data.ToUserName,
      at: new Date(Number(kf.data.CreateTime) * 1000),
      syncToken: kf.data.Token,
      openKfId: kf.data.OpenKfId,
    };
  }
  return { kind: 'other', msgType: fields.MsgType, event: fields.Event };
}
