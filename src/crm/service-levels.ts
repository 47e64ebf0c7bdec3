// Queue priority and SLA targets. Priority is one integer so the database can order the queue:
// severity dominates, then the customer's tier; waiting time breaks ties (escalatedAt ascending).
import type { Config } from '../config.ts';
import type { PriorityLevel } from '../domain/conversations.ts';
import type { Tier } from '../domain/customer.ts';
import { type HoursWindow, isWithin, msUntilStart } from '../kernel/hours.ts';

export type { PriorityLevel } from '../domain/conversations.ts';

const tierWeight: Record<Tier, number> = { normal: 0, silver: 1, gold: 2, diamond: 3 };

export function queuePriority(severity: number, tier: Tier): number {
  return Math.max(0, Math.min(3, severity)) * 10 + tierWeight[tier];
}

export function priorityLevel(priority: number): PriorityLevel {
  if (priority >= 30) return 'urgent';
  if (priority >= 20) return 'high';
  return 'normal';
}

export function slaTargets(
  service: Config['desk'],
  level: PriorityLevel,
): { firstResponseMinutes: number; resolutionMinutes: number } {
  const override = service.slaByPriority[level];
  return {
    firstResponseMinutes: override?.firstResponse ?? service.slaFirstResponseMinutes,
    resolutionMinutes: override?.resolution ?? service.slaResolutionMinutes,
  };
}

/**
 * SLA clocks run in shop hours only: escalated at night, the first-response clock starts when the
 * shop opens.
 */
export function slaDueDates(
  service: Config['desk'],
  level: PriorityLevel,
  at: Date,
  shopHours: HoursWindow,
  timeZone: string,
): { firstResponseDueAt: Date; resolutionDueAt: Date; startsAt: Date } {
  const targets = slaTargets(service, level);
  const startsAt = inShopHours(shopHours, at, timeZone)
    ? at
    : new Date(at.getTime() + msUntilStart(shopHours, at, timeZone));
  return {
    startsAt,
    firstResponseDueAt: new Date(startsAt.getTime() + targets.firstResponseMinutes * 60_000),
    resolutionDueAt: new Date(startsAt.getTime() + targets.resolutionMinutes * 60_000),
  };
}

/** How long before a breach the warning goes out: 20% of the target, at least one minute. */
export function warningLeadMs(targetMinutes: number): number {
  return Math.max(60_000, Math.round(targetMinutes * 60_000 * 0.2));
}

/** Shop hours "00:00-00:00" mean always open (unlike quiet hours, where equal bounds mean none). */
export function inShopHours(window: HoursWindow, at: Date, timeZone: string): boolean {
  return window.startMinute === window.endMinute || isWithin(window, at, timeZone);
}
