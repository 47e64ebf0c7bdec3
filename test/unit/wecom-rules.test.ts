// 微信客服 sending rules: 48 hours from the customer's last message, five messages per customer
// message, the welcome_code's 20 seconds.
import { describe, expect, it } from 'vitest';
import {
  CLOCK_MARGIN_MS,
  checkSend,
  customerWrote,
  noAllowance,
  recordSent,
  welcomeCodeUsable,
} from '../../adapters/wecom/rules.ts';
import { HOUR } from '../../src/kernel/clock.ts';

const wrote = new Date('2026-03-01T10:00:00Z');
const later = (ms: number) => new Date(wrote.getTime() + ms);

describe('微信客服 sending rules', () => {
  it('refuses when the customer never wrote', () => {
    expect(checkSend(noAllowance, wrote)).toEqual({ allowed: false, reason: 'window_closed' });
  });

  it('allows replies for 48 hours after the customer’s last message, closing a minute early for clock skew', () => {
    const allowance = customerWrote(noAllowance, wrote);
    expect(checkSend(allowance, wrote)).toEqual({ allowed: true, remaining: 4 });
    expect(checkSend(allowance, later(47 * HOUR)).allowed).toBe(true);
    expect(checkSend(allowance, later(48 * HOUR - CLOCK_MARGIN_MS - 1)).allowed).toBe(true);
    expect(checkSend(allowance, later(48 * HOUR - CLOCK_MARGIN_MS))).toEqual({
      allowed: false,
      reason: 'window_closed',
    });
    expect(checkSend(allowance, later(72 * HOUR))).toEqual({ allowed: false, reason: 'window_closed' });
  });

  it('allows five messages per customer message; the next customer message opens five more', () => {
    let allowance = customerWrote(noAllowance, wrote);
    for (let sent = 0; sent < 5; sent++) {
      expect(checkSend(allowance, later(sent * 1000)).allowed).toBe(true);
      allowance = recordSent(allowance);
    }
    expect(checkSend(allowance, later(10_000))).toEqual({ allowed: false, reason: 'message_limit' });
    allowance = customerWrote(allowance, later(20_000));
    expect(checkSend(allowance, later(21_000))).toEqual({ allowed: true, remaining: 4 });
  });

  it('checks a reply of several messages as a whole: never half a reply', () => {
    const allowance = recordSent(customerWrote(noAllowance, wrote), 3);
    expect(checkSend(allowance, wrote, 2)).toEqual({ allowed: true, remaining: 0 });
    expect(checkSend(allowance, wrote, 3)).toEqual({ allowed: false, reason: 'message_limit' });
  });

  it('a late-arriving older customer message neither resets the count nor moves the window back', () => {
    const allowance = recordSent(customerWrote(noAllowance, wrote), 5);
    expect(customerWrote(allowance, later(-HOUR))).toBe(allowance);
    expect(customerWrote(allowance, wrote)).toBe(allowance);
  });

  it('a welcome_code is usable for 20 seconds after it arrived', () => {
    expect(welcomeCodeUsable(wrote, later(0))).toBe(true);
    expect(welcomeCodeUsable(wrote, later(19_999))).toBe(true);
    expect(welcomeCodeUsable(wrote, later(20_000))).toBe(false);
    expect(welcomeCodeUsable(wrote, later(-1))).toBe(false);
  });
});
