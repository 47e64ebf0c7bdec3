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
  private readonly recent: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private day = '';
  private sentToday: number;
  private readonly random: () => number;

  constructor(
    private readonly policy: PacingPolicy,
    private readonly options: PacerOptions,
  ) {
    this.sentToday = options.sentToday ?? 0;
    this.random = options.random ?? Math.random;
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
    let wait = 0;
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= nowMs - 60_000) this.recent.shift();
    if (this.policy.globalPerSecond) wait = Math.max(wait, this.windowWait(nowMs, 1000, this.policy.globalPerSecond));
    if (this.policy.globalPerMinute) wait = Math.max(wait, this.windowWait(nowMs, 60_000, this.policy.globalPerMinute));
    const gap = request.group ? this.policy.groupIntervalMs : this.policy.privateChatIntervalMs;
    const last = this.lastByChat.get(request.chatId);
    if (gap && last !== undefined) wait = Math.max(wait, last + gap - nowMs);
    if (wait > 0) return { kind: 'wait', ms: wait };
    const jitter = this.policy.jitterMs;
    if (jitter && jitter[1] > 0) {
      // Book the slot in the future: the sender sleeps the jitter before sending.
      const delay = Math.round(jitter[0] + this.random() * (jitter[1] - jitter[0]));
      this.book(request.chatId, nowMs + delay);
      return { kind: 'send', afterMs: delay };
    }
    this.book(request.chatId, nowMs);
    return { kind: 'send', afterMs: 0 };
  }

  private windowWait(nowMs: number, windowMs: number, limit: number): number {
    let inWindow = 0;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const at = this.recent[i] ?? 0;
      if (at <= nowMs - windowMs) break;
      inWindow++;
    }
    if (inWindow < limit) return 0;
    const oldest = this.recent[this.recent.length - limit] ?? nowMs;
    return Math.max(1, oldest + windowMs - nowMs);
  }

  private book(chatId: string, atMs: number): void {
    this.recent.push(atMs);
    this.lastByChat.set(chatId, atMs);
    this.sentToday++;
    if (this.lastByChat.size > 50_000) this.lastByChat.clear();
  }
}

function msUntilNextDay(now: Date, timeZone: string): number {
  const today = dayKey(now, timeZone);
  let probe = now.getTime() + 60_000;
  // Walk forward in 15-minute steps; precise enough for a daily cap and immune to DST quirks.
  while (dayKey(new Date(probe), timeZone) === today) probe += 15 * 60_000;
  return probe - now.getTime();
}
