// The platform's sending rules for 微信客服, checked before a send so a message WeCom would refuse
// (95001, 95002) is never attempted: messages only within 48 hours of the customer's last message,
// at most 5 messages per customer message (a new customer message opens a new allowance), and the
// enter_session welcome_code usable once, within 20 seconds. Pure functions of the clock.
import { HOUR } from '../../src/kernel/clock.ts';

export const REPLY_WINDOW_MS = 48 * HOUR;
export const MESSAGES_PER_CUSTOMER_MESSAGE = 5;
export const WELCOME_CODE_TTL_MS = 20_000;
/** Our clock and WeCom's differ a little: stop this much before the platform would. */
export const CLOCK_MARGIN_MS = 60_000;

/** What the platform counts for one chat. */
export interface ReplyAllowance {
  /** When the customer last wrote; undefined if never (or not within memory). */
  lastCustomerMessageAt: Date | undefined;
  /** Messages sent to them since that message. */
  sentSince: number;
}

export type SendBlock = 'window_closed' | 'message_limit';

export type SendVerdict = { allowed: true; remaining: number } | { allowed: false; reason: SendBlock };

export const noAllowance: ReplyAllowance = { lastCustomerMessageAt: undefined, sentSince: 0 };

/** May `messages` more messages go to this customer now (all of them: a reply is not sent in part)? */
export function checkSend(allowance: ReplyAllowance, now: Date, messages = 1): SendVerdict {
  const last = allowance.lastCustomerMessageAt;
  if (!last || now.getTime() >= last.getTime() + REPLY_WINDOW_MS - CLOCK_MARGIN_MS) {
    return { allowed: false, reason: 'window_closed' };
  }
  const remaining = MESSAGES_PER_CUSTOMER_MESSAGE - allowance.sentSince;
  if (messages > remaining) return { allowed: false, reason: 'message_limit' };
  return { allowed: true, remaining: remaining - messages };
}

/** The customer wrote at `at`: a fresh allowance (a message older than the last one changes nothing). */
export function customerWrote(allowance: ReplyAllowance, at: Date): ReplyAllowance {
  const last = allowance.lastCustomerMessageAt;
  if (last && at.getTime() <= last.getTime()) return allowance;
  return { lastCustomerMessageAt: at, sentSince: 0 };
}

export function recordSent(allowance: ReplyAllowance, messages = 1): ReplyAllowance {
  return { ...allowance, sentSince: allowance.sentSince + messages };
}

/** A welcome_code (enter_session) can still be used with send_msg_on_event. */
export function welcomeCodeUsable(receivedAt: Date, now: Date): boolean {
  const age = now.getTime() - receivedAt.getTime();
  return age >= 0 && age < WELCOME_CODE_TTL_MS;
}
