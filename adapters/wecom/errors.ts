// What can go wrong talking to the WeCom API, and what each failure means for a send: retry it
// later, give it up, or never repeat it because WeCom may have delivered it. Error codes from
// WeCom's global error code list (全局错误码, developer.work.weixin.qq.com/document/path/90313).
import type { PlatformRefusal } from '../../src/domain/profile-events.ts';
import { SendError } from '../contract.ts';
import { TransportError } from './transport.ts';

/** WeCom answered with a non-zero errcode: the request was refused, nothing was done. */
export class WecomApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${path}: errcode ${errcode} ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

/** WeCom (or a proxy in front of it) answered something that is not its JSON envelope. */
export class WecomProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${path}: HTTP ${status}, ${detail}`);
    this.name = 'WecomProtocolError';
  }
}

/** Access token refused or expired: fetch a new one and repeat the call once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);

export const WecomErrcode = {
  systemBusy: -1,
  rateLimited: 45009,
  concurrencyLimited: 45033,
  /** sync_msg: the callback's Token expired (valid 10 minutes); pull without it. */
  invalidMsgToken: 95007,
} as const;

/** Why a send failed, for the Delivery / outbox row and for stage-2 decisions. */
export type SendFailureReason =
  | 'rate_limited'
  | 'platform_busy'
  | 'credentials'
  | 'window_closed'
  | 'message_limit'
  | 'session_state'
  | 'invalid_recipient'
  | 'rejected'
  | 'network'
  | 'outcome_unknown';

export class WecomSendError extends SendError {
  constructor(
    message: string,
    kind: SendError['kind'],
    readonly reason: SendFailureReason,
    retryAfterMs?: number,
    readonly errcode?: number,
  ) {
    super(message, kind, retryAfterMs);
    this.name = 'WecomSendError';
  }
}

interface Verdict {
  kind: SendError['kind'];
  reason: SendFailureReason;
  retryAfterMs?: number;
}

// A minute-level frequency block lifts after a minute (45009's documented behaviour).
const RATE_LIMIT_WAIT_MS = 60_000;
// Configuration problems (secret, CorpID, trusted IP) can be fixed by an admin while sends wait.
const CREDENTIALS_WAIT_MS = 60_000;

const verdicts = new Map<number, Verdict>([
  [-1, { kind: 'retryable', reason: 'platform_busy' }],
  [45009, { kind: 'retryable', reason: 'rate_limited', retryAfterMs: RATE_LIMIT_WAIT_MS }],
  [45011, { kind: 'retryable', reason: 'rate_limited', retryAfterMs: RATE_LIMIT_WAIT_MS }],
  [45033, { kind: 'retryable', reason: 'rate_limited' }],
  // Invalid secret / CorpID, token still refused after the refresh, untrusted server IP, the
  // secret of the other 微信客服 edition (独立版 vs 企业微信).
  ...[40001, 40013, 40014, 40091, 41001, 42001, 60020, 95011, 95012].map((code): [number, Verdict] => [
    code,
    { kind: 'retryable', reason: 'credentials', retryAfterMs: CREDENTIALS_WAIT_MS },
  ]),
  // 95001: five messages already sent since the customer's last message; 95002: over 48 hours.
  [95001, { kind: 'permanent', reason: 'message_limit' }],
  [95002, { kind: 'permanent', reason: 'window_closed' }],
  // 95013: session ended; 95018: the session's state does not allow API sends (a 接待人员 has it, or it is queued).
  [95013, { kind: 'permanent', reason: 'session_state' }],
  [95018, { kind: 'permanent', reason: 'session_state' }],
  // Unknown customer (external_userid) or 客服账号 (open_kfid).
  ...[40003, 40096, 95000, 95004].map((code): [number, Verdict] => [
    code,
    { kind: 'permanent', reason: 'invalid_recipient' },
  ]),
]);

/**
 * The SendError for a failed send_msg / send_msg_on_event. `partial` = an earlier part of the same
 * reply went out: repeating the reply would repeat that part, so any failure is ambiguous.
 */
export function toSendError(error: unknown, options: { partial?: boolean } = {}): WecomSendError {
  const found = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  const errcode = error instanceof WecomApiError ? error.errcode : undefined;
  if (options.partial && found.kind !== 'ambiguous') {
    return new WecomSendError(
      `${message} (after part of the reply was sent)`,
      'ambiguous',
      found.reason,
      undefined,
      errcode,
    );
  }
  return new WecomSendError(message, found.kind, found.reason, found.retryAfterMs, errcode);
}

function classify(error: unknown): Verdict {
  if (error instanceof WecomApiError) return verdicts.get(error.errcode) ?? { kind: 'permanent', reason: 'rejected' };
  if (error instanceof TransportError) {
    return error.written ? { kind: 'ambiguous', reason: 'outcome_unknown' } : { kind: 'retryable', reason: 'network' };
  }
  // A 5xx page from a proxy or a garbled answer: WeCom may have acted on the request.
  return { kind: 'ambiguous', reason: 'outcome_unknown' };
}

/** Why service_state/trans did not move a session, for the console (anything unexpected is `rejected`). */
export function refusalOf(error: unknown): PlatformRefusal {
  if (error instanceof WecomApiError) {
    // 95014: not a 接待人员, or not 正在接待 / not activated; 95013: the session ended; 95016: WeCom
    // does not allow that move from the session's state (e.g. out of the waiting pool but to a 接待人员).
    if (error.errcode === 95014) return 'not_servicer';
    if (error.errcode === 95013) return 'session_ended';
    if (error.errcode === 95016) return 'not_allowed';
    return 'rejected';
  }
  return error instanceof TransportError || error instanceof WecomProtocolError ? 'unreachable' : 'rejected';
}
