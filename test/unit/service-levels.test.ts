// Complaint grading, queue priority and SLA due dates (pure functions).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { detectComplaint } from '../../src/crm/complaints.ts';
import { priorityLevel, queuePriority, slaDueDates, slaTargets, warningLeadMs } from '../../src/crm/service-levels.ts';
import { parseHours } from '../../src/kernel/hours.ts';

const service = loadConfig({ SLA_PRIORITY_MINUTES: 'urgent=1/30, high=2/120' }).desk;
const hours = parseHours('09:00-21:00');

describe('complaint detection', () => {
  it.each([
    ['我要打12315投诉你们', 3],
    ['你们就是骗子', 3],
    ['I will sue you', 3],
    ['给你们差评', 2],
    ['快退钱', 2],
    ['I want to complain', 2],
    ['什么破东西，垃圾', 1],
    ['到底发不发货！！！', 1],
  ])('%s → severity %i', (text, severity) => {
    expect(detectComplaint(text)?.severity).toBe(severity);
  });

  it.each(['这件有M码吗', '我的订单到哪了', '人工', 'thanks!'])('%s is not a complaint', (text) => {
    expect(detectComplaint(text)).toBeNull();
  });
});

describe('queue priority and SLA', () => {
  it('lets severity dominate tier', () => {
    expect(queuePriority(1, 'diamond')).toBeLessThan(queuePriority(2, 'normal'));
    expect(queuePriority(0, 'gold')).toBeGreaterThan(queuePriority(0, 'normal'));
    expect(priorityLevel(queuePriority(3, 'normal'))).toBe('urgent');
    expect(priorityLevel(queuePriority(2, 'silver'))).toBe('high');
    expect(priorityLevel(queuePriority(0, 'diamond'))).toBe('normal');
  });

  it('uses per-priority overrides, else the defaults', () => {
    expect(slaTargets(service, 'urgent')).toEqual({ firstResponseMinutes: 1, resolutionMinutes: 30 });
    expect(slaTargets(service, 'normal')).toEqual({ firstResponseMinutes: 3, resolutionMinutes: 240 });
  });

  it('starts the clocks at the next opening when escalated at night', () => {
    const day = slaDueDates(service, 'normal', new Date('2026-03-02T04:00:00Z'), hours, 'Asia/Shanghai');
    expect(day.firstResponseDueAt.toISOString()).toBe('2026-03-02T04:03:00.000Z');
    const night = slaDueDates(service, 'high', new Date('2026-03-02T15:30:00Z'), hours, 'Asia/Shanghai');
    expect(night.startsAt.toISOString()).toBe('2026-03-03T01:00:00.000Z');
    expect(night.resolutionDueAt.toISOString()).toBe('2026-03-03T03:00:00.000Z');
  });

  it('warns 20% before the target, at least a minute', () => {
    expect(warningLeadMs(3)).toBe(60_000);
    expect(warningLeadMs(240)).toBe(48 * 60_000);
  });

  it('rejects malformed overrides', () => {
    expect(() => loadConfig({ SLA_PRIORITY_MINUTES: 'urgent=fast' })).toThrow(/SLA_PRIORITY_MINUTES/);
  });
});
