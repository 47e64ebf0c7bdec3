// Service metrics per day (shop time zone) and per agent. Definitions are in docs/staff.md; times
// are in seconds, rates in 0..1, null when there is nothing to measure.
import type { Conversation } from '../db/types.ts';
import { DAY } from '../kernel/clock.ts';
import { dayKey, startOfDay } from '../kernel/hours.ts';
import type { ServiceDeps } from './context.ts';

/** The days to measure: the last `days` days up to `until` (YYYY-MM-DD in the shop's time zone; default today). */
export interface MetricsWindow {
  days: number;
  until?: string | undefined;
}

export interface DayMetrics {
  day: string;
  conversations: number;
  escalated: number;
  botContainmentRate: number | null;
  escalationRate: number | null;
  avgFirstResponseSeconds: number | null;
  avgHandlingSeconds: number | null;
  avgResolutionSeconds: number | null;
  slaBreaches: number;
  complaints: number;
  complaintsResolved: number;
  complaintResolutionRate: number | null;
  /** Escalated by the end of the day and not yet resolved or released at that moment (as far as known now). */
  backlog: number;
}

export interface AgentMetrics {
  staffId: number;
  name: string;
  handled: number;
  resolved: number;
  avgFirstResponseSeconds: number | null;
  avgHandlingSeconds: number | null;
  avgResolutionSeconds: number | null;
  slaBreaches: number;
  openNow: number;
}

const seconds = (from: Date | null, to: Date | null) =>
  from && to && to >= from ? (to.getTime() - from.getTime()) / 1000 : null;

function average(values: Array<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? Math.round(present.reduce((a, b) => a + b, 0) / present.length) : null;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export class ServiceMetrics {
  constructor(private readonly deps: ServiceDeps) {}

  async compute(query: MetricsWindow = { days: 7 }) {
    const tz = this.deps.config.shop.timezone;
    const now = this.deps.clock.now();
    const lastDay = query.until ? new Date(`${query.until}T12:00:00Z`) : now;
    const end = new Date(startOfDay(lastDay, tz).getTime() + DAY);
    const start = new Date(end.getTime() - query.days * DAY);
    const { repos } = this.deps.store;
    const [created, escalated, complaints, staff, load, backlogNow] = await Promise.all([
      repos.desk.conversationsCreated(start, end),
      repos.desk.conversationsEscalated(start, end),
      repos.desk.complaintsCreated(start, end),
      repos.staff.list(),
      repos.desk.openLoad(),
      repos.desk.backlog(),
    ]);
    const days: DayMetrics[] = [];
    for (let at = start.getTime(); at < end.getTime(); at += DAY) {
      const day = dayKey(new Date(at + DAY / 2), tz);
      const dayEnd = new Date(at + DAY);
      const made = created.filter((c) => dayKey(c.createdAt, tz) === day);
      const esc = escalated.filter((c) => c.escalatedAt && dayKey(c.escalatedAt, tz) === day);
      const madeEscalated = made.filter((c) => c.escalatedAt !== null).length;
      const dayComplaints = complaints.filter((c) => dayKey(c.createdAt, tz) === day);
      const complaintsResolved = dayComplaints.filter((c) => c.status === 'resolved' || c.status === 'closed').length;
      days.push({
        day,
        conversations: made.length,
        escalated: esc.length,
        botContainmentRate: rate(made.length - madeEscalated, made.length),
        escalationRate: rate(madeEscalated, made.length),
        ...timings(esc),
        slaBreaches: esc.filter((c) => c.slaBreachedAt !== null).length,
        complaints: dayComplaints.length,
        complaintsResolved,
        complaintResolutionRate: rate(complaintsResolved, dayComplaints.length),
        backlog: escalated.filter(
          (c) =>
            c.escalatedAt &&
            c.escalatedAt < dayEnd &&
            (c.status === 'pending' || c.status === 'open' || (c.resolvedAt !== null && c.resolvedAt >= dayEnd)),
        ).length,
      });
    }
    const agents: AgentMetrics[] = staff.map((s) => {
      const mine = escalated.filter((c) => c.assigneeId === s.id);
      return {
        staffId: s.id,
        name: s.name,
        handled: mine.length,
        resolved: mine.filter((c) => c.status === 'resolved').length,
        ...timings(mine),
        slaBreaches: mine.filter((c) => c.slaBreachedAt !== null).length,
        openNow: load.get(s.id) ?? 0,
      };
    });
    const totalMade = created.length;
    const totalEscalated = created.filter((c) => c.escalatedAt !== null).length;
    const totalComplaintsResolved = complaints.filter((c) => c.status === 'resolved' || c.status === 'closed').length;
    return {
      from: start.toISOString(),
      to: end.toISOString(),
      totals: {
        conversations: totalMade,
        escalated: escalated.length,
        botContainmentRate: rate(totalMade - totalEscalated, totalMade),
        escalationRate: rate(totalEscalated, totalMade),
        ...timings(escalated),
        slaBreaches: escalated.filter((c) => c.slaBreachedAt !== null).length,
        complaints: complaints.length,
        complaintResolutionRate: rate(totalComplaintsResolved, complaints.length),
        backlog: backlogNow,
      },
      days,
      agents,
    };
  }
}

function timings(conversations: Conversation[]) {
  return {
    avgFirstResponseSeconds: average(conversations.map((c) => seconds(c.escalatedAt, c.firstResponseAt))),
    avgHandlingSeconds: average(conversations.map((c) => seconds(c.takenAt, c.resolvedAt))),
    avgResolutionSeconds: average(conversations.map((c) => seconds(c.escalatedAt, c.resolvedAt))),
  };
}
