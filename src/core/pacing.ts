// Outbound pacing per channel: global rates, per-chat gaps, jitter, a daily cap and quiet hours.
// `reserve` either books a send (possibly after a short jitter) or says how long to wait.
import type { PacingPolicy } from '../../adapters/contract.ts';
import { dayKey, type HoursWindow, isWithin, msUntilEnd } from './hours.ts';

export interface PacingRequest {
  chatId: string;
  group: boolean;
  /** Proactive messages (campaigns, notifications, surveys) wait out quiet hours; replies do not. */
  proactive: boolean;
}

export type PacingDecision =
  /** Send after `afterMs` (jitter); the slot is booked. */
  | { kind: 'send'; afterMs: number }
  /** Not now: ask again in `ms`. */
  | { kind: 'wait'; ms: number };

export interface PacerOptions {
  timeZone: string;
  quietHours?: HoursWindow;
  /** Sends already made today (from the database), so a restart keeps the daily cap. */
  sentToday?: number;
  random?: () => number;
}

export class Pacer {
  /** When the next send is due on the even schedule (global limits spread sends out). */
  private nextSlotMs = 0;
  /** Booked send times, oldest first, as many as the per-second limit (the sliding-window check). */
  private readonly booked: number[] = [];
  /** When sends actually went out, oldest first (late wake-ups can bunch booked slots together). */
  private readonly started: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private day = '';
  private sentToday: number;
  private readonly random: () => number;
  private readonly spacingMs: number;

  constructor(
    private readonly policy: PacingPolicy,
    private readonly options: PacerOptions,
  ) {
    this.sentToday = options.sentToday ?? 0;
    this.random = options.random ?? Math.random;
    // "30 per second" becomes one send every 33.3 ms rather than bursts of 30: a burst waits out the
    // whole second and every wake-up is late by a timer tick, which costs throughput; an even
    // schedule booked ahead never exceeds the limit in any window and does not drift.
    this.spacingMs = Math.max(
      policy.globalPerSecond ? 1000 / policy.globalPerSecond : 0,
      policy.globalPerMinute ? 60_000 / policy.globalPerMinute : 0,
    );
  }

  reserve(request: PacingRequest, nowMs: number): PacingDecision {
    const now = new Date(nowMs);
    if (request.proactive && this.options.quietHours) {
      const quiet = msUntilEnd(this.options.quietHours, now, this.options.timeZone);
      if (quiet > 0 && isWithin(this.options.quietHours, now, this.options.timeZone))
        return { kind: 'wait', ms: quiet };
    }
    const today = dayKey(now, this.options.timeZone);
    if (today !== this.day) {
      if (this.day !== '') this.sentToday = 0;
      this.day = today;
    }
    if (this.policy.dailyCap !== undefined && this.sentToday >= this.policy.dailyCap) {
      return { kind: 'wait', ms: msUntilNextDay(now, this.options.timeZone) };
    }
    const gap = request.group ? this.policy.groupIntervalMs : this.policy.privateChatIntervalMs;
    const last = this.lastByChat.get(request.chatId);
    if (gap && last !== undefined && last + gap > nowMs) return { kind: 'wait', ms: Math.ceil(last + gap - nowMs) };
    // Behind schedule (the process was busy) the slack is caught up, as long as no one-second
    // window ever holds more than the limit.
    let slot = Math.max(nowMs, this.nextSlotMs - catchUpMs);
    const perSecond = this.policy.globalPerSecond;
    if (perSecond && this.booked.length >= perSecond)
      slot = Math.max(slot, (this.booked[this.booked.length - perSecond] ?? 0) + 1000);
    // A slot at most one second ahead is booked and slept for; later ones go back to the queue.
    if (slot - nowMs > lookAheadMs) return { kind: 'wait', ms: Math.ceil(slot - nowMs) };
    const jitter = this.policy.jitterMs;
    const jitterDelay = jitter && jitter[1] > 0 ? Math.round(jitter[0] + this.random() * (jitter[1] - jitter[0])) : 0;
    const sendAt = slot + jitterDelay;
    this.nextSlotMs = Math.max(this.nextSlotMs, sendAt) + this.spacingMs;
    if (perSecond) {
      this.booked.push(sendAt);
      if (this.booked.length > perSecond) this.booked.shift();
    }
    this.lastByChat.set(request.chatId, sendAt);
    if (this.lastByChat.size > 50_000) this.lastByChat.clear();
    this.sentToday++;
    return { kind: 'send', afterMs: Math.ceil(sendAt - nowMs) };
  }

  /**
   * Called right before each send: 0 means go (and the send is counted); otherwise hold it that
   * many ms. Booked slots keep the limit on paper; this keeps it in fact when the process was busy
   * and several sleeping sends wake at once.
   */
  admit(nowMs: number): number {
    const perSecond = this.policy.globalPerSecond;
    if (!perSecond) return 0;
    const oldest = this.started.length >= perSecond ? (this.started[this.started.length - perSecond] ?? 0) : null;
    if (oldest !== null && oldest + 1000 > nowMs) return Math.ceil(oldest + 1000 - nowMs);
    this.started.push(nowMs);
    if (this.started.length > perSecond) this.started.shift();
    return 0;
  }
}

const lookAheadMs = 1000;
const catchUpMs = 250;

function msUntilNextDay(now: Date, timeZone: string): number {
  const today = dayKey(now, timeZone);
  let probe = now.getTime() + 60_000;
  // Walk forward in 15-minute steps; precise enough for a daily cap and immune to DST quirks.
  while (dayKey(new Date(probe), timeZone) === today) probe += 15 * 60_000;
  return probe - now.getTime();
}
