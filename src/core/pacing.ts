// Outbound pacing per channel: global rates, per-chat gaps, jitter, a daily cap and quiet hours.
// `reserve` either books a send (possibly after a short jitter) or says how long to wait.

import { dayKey, type HoursWindow, isWithin, msUntilEnd } from '../kernel/hours.ts';
import type { PacingPolicy } from './channel.ts';

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
  /** Booked send times (the per-second limit on paper). */
  private readonly booked: SecondWindow | null;
  /** When sends actually went out (late wake-ups can bunch booked slots together). */
  private readonly started: SecondWindow | null;
  private readonly lastByChat = new Map<string, number>();
  private day = '';
  private dayMinute = Number.NaN;
  private dayOfMinute = '';
  private sentToday: number;
  private readonly random: () => number;
  private readonly spacingMs: number;

  constructor(
    private readonly policy: PacingPolicy,
    private readonly options: PacerOptions,
  ) {
    this.sentToday = options.sentToday ?? 0;
    this.random = options.random ?? Math.random;
    this.booked = policy.globalPerSecond ? new SecondWindow(policy.globalPerSecond) : null;
    this.started = policy.globalPerSecond ? new SecondWindow(policy.globalPerSecond) : null;
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
    const today = this.dayOf(nowMs, now);
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
    const slot = Math.max(nowMs, this.nextSlotMs - catchUpMs, this.booked?.nextFree() ?? 0);
    // A slot at most one second ahead is booked and slept for; later ones go back to the queue.
    if (slot - nowMs > lookAheadMs) return { kind: 'wait', ms: Math.ceil(slot - nowMs) };
    const jitter = this.policy.jitterMs;
    const jitterDelay = jitter && jitter[1] > 0 ? Math.round(jitter[0] + this.random() * (jitter[1] - jitter[0])) : 0;
    const sendAt = slot + jitterDelay;
    this.nextSlotMs = Math.max(this.nextSlotMs, sendAt) + this.spacingMs;
    this.booked?.add(sendAt);
    this.lastByChat.set(request.chatId, sendAt);
    if (this.lastByChat.size > 50_000) this.lastByChat.clear();
    this.sentToday++;
    return { kind: 'send', afterMs: Math.ceil(sendAt - nowMs) };
  }

  /** The calendar day in the shop's zone; looked up once a minute (zone offsets are whole minutes). */
  private dayOf(nowMs: number, now: Date): string {
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== this.dayMinute) {
      this.dayMinute = minute;
      this.dayOfMinute = dayKey(now, this.options.timeZone);
    }
    return this.dayOfMinute;
  }

  /**
   * Called right before each send: 0 means go (and the send is counted); otherwise hold it that
   * many ms. Booked slots keep the limit on paper; this keeps it in fact when the process was busy
   * and several sleeping sends wake at once.
   */
  admit(nowMs: number): number {
    if (!this.started) return 0;
    const free = this.started.nextFree();
    if (free > nowMs) return Math.ceil(free - nowMs);
    this.started.add(nowMs);
    return 0;
  }
}

/** The last `limit` times, oldest first: enough to keep any one-second window at `limit`. */
class SecondWindow {
  private readonly times: number[] = [];

  constructor(private readonly limit: number) {}

  /** The earliest time one more entry keeps every one-second window at `limit` or fewer. */
  nextFree(): number {
    return this.times.length >= this.limit ? (this.times[0] ?? 0) + 1000 : 0;
  }

  add(at: number): void {
    this.times.push(at);
    if (this.times.length > this.limit) this.times.shift();
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
