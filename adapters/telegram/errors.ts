// One decision for a failed Bot API call, whichever library made it (grammY or Telegraf). The outbox
// needs to know whether a send may be retried: only when Telegram certainly did not get the request
// (the connection was never made) or asked us to wait (429). A refusal (4xx) is permanent. Anything
// that may have reached Telegram (5xx, a connection broken after the request went out, a timeout) is
// ambiguous: the message may have been delivered, so it is never sent twice.
import { GrammyError, HttpError } from 'grammy';
import { TelegramError } from 'telegraf';
import type { SendError } from '../contract.ts';

export interface TelegramFailure {
  kind: SendError['kind'];
  /** Telegram's error_code (or the HTTP status of a reply that was not the Bot API's); absent for network failures. */
  code?: number;
  description: string;
  /** How long Telegram asked us to wait (429). */
  retryAfterMs?: number;
}

export function classifyTelegramError(error: unknown): TelegramFailure {
  const refusal = apiRefusal(error);
  if (refusal) {
    const { code, description, retryAfterSec } = refusal;
    if (code === 429) return { kind: 'retryable', code, description, retryAfterMs: (retryAfterSec ?? 1) * 1000 };
    if (code >= 400 && code < 500) return { kind: 'permanent', code, description };
    return { kind: 'ambiguous', code, description };
  }
  const description = describe(error);
  return { kind: neverSent(error) ? 'retryable' : 'ambiguous', description };
}

/** The Bot API's answer when it refused the call: grammY's GrammyError, Telegraf's TelegramError, or a bare HTTP status. */
function apiRefusal(error: unknown): { code: number; description: string; retryAfterSec?: number } | undefined {
  if (error instanceof GrammyError) {
    return { code: error.error_code, description: error.description, ...retryAfter(error.parameters.retry_after) };
  }
  if (error instanceof TelegramError) {
    return { code: error.code, description: error.description, ...retryAfter(error.parameters?.retry_after) };
  }
  // grammY wraps a reply that was not Bot API JSON (a proxy's 502 page) in an HttpError holding the response.
  if (error instanceof HttpError && hasStatus(error.error)) {
    return { code: error.error.status, description: error.error.statusText };
  }
  return undefined;
}

function retryAfter(seconds: number | undefined): { retryAfterSec?: number } {
  return seconds ? { retryAfterSec: seconds } : {};
}

function hasStatus(value: unknown): value is { status: number; statusText: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    typeof value.status === 'number' &&
    'statusText' in value &&
    typeof value.statusText === 'string'
  );
}

/** Errors that happen before any byte of the request is written: no connection, no address, no TLS session. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True when the request certainly never reached Telegram. Both libraries fetch with node-fetch, whose
 * FetchError keeps the system error's code and message ("request to … failed, reason: connect
 * ECONNREFUSED …"); grammY wraps it in HttpError.error, other wrappers use `cause`. A reset or time-out
 * while connecting or during the TLS handshake is before the request; the same codes later ("socket
 * hang up", "read ECONNRESET", a response time-out) are after it.
 */
function neverSent(error: unknown): boolean {
  for (const cause of chain(error)) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
    if (code && NOT_CONNECTED.has(code)) return true;
    const reason = cause.message.split('reason: ').at(-1) ?? '';
    if (/^(connect|getaddrinfo) E[A-Z]+/.test(reason)) return true;
    if (/before secure TLS connection was established/.test(reason)) return true;
  }
  return false;
}

/** The error and what it wraps (grammY's HttpError.error, Error.cause), outermost first. */
function chain(error: unknown): Error[] {
  const found: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && found.length < 5) {
    found.push(current);
    current = current instanceof HttpError ? current.error : current.cause;
  }
  return found;
}

/** The outermost message with the network reason underneath it; never the bot token (it is part of the URL). */
function describe(error: unknown): string {
  const errors = chain(error);
  const outer = errors[0]?.message ?? String(error);
  const reason = errors.length > 1 ? errors.at(-1)?.message.split('reason: ').at(-1) : undefined;
  return (reason ? `${outer} (${reason})` : outer).replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[REDACTED]');
}
