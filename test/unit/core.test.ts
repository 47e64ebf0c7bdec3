import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/core/pacing.ts';
import { ReadWriteGate } from '../../src/db/rw-lock.ts';
import { dayKey, isWithin, minuteOfDay, msUntilEnd, parseHours, startOfDay } from '../../src/kernel/hours.ts';
import { formatMoney, interpolate, msg, pickLocale, translator } from '../../src/kernel/i18n.ts';
import { KeyedLock } from '../../src/kernel/keyed-lock.ts';
import { maskPhone, maskPhonesInText, normalisePhone } from '../../src/kernel/privacy.ts';

describe('i18n', () => {
  it('picks the customer locale, else the shop default, and interpolates', () => {
    const hello = msg('你好，{name}', 'Hello, {name}');
    expect(translator(pickLocale('en', 'zh-CN'))(hello, { name: 'Ann' })).toBe('Hello, Ann');
    expect(translator(pickLocale(null, 'zh-CN'))(hello, { name: '小王' })).toBe('你好，小王');
    expect(translator(pickLocale('fr', 'en'))(hello, { name: 'Zoé' })).toBe('Hello, Zoé');
    expect(interpolate('{a} {missing}', { a: 1 })).toBe('1 {missing}');
  });

  it('formats fen as yuan', () => {
    expect(formatMoney(12900)).toBe('¥129.00');
    expect(formatMoney(5)).toBe('¥0.05');
    expect(formatMoney(-150)).toBe('-¥1.50');
  });
});

describe('privacy', () => {
  it('normalises mainland and international phone numbers and rejects others', () => {
    expect(normalisePhone('138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('+86-138-1234-5678')).toBe('13812345678');
    expect(normalisePhone('+44 7700 900123')).toBe('+447700900123');
    expect(normalisePhone('12345678901')).toBeUndefined();
    expect(normalisePhone('hello')).toBeUndefined();
  });

  it('masks phone numbers for logs', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhonesInText('call 13812345678 or +86 139 1234 5678 now')).toBe('call 138****5678 or 139****5678 now');
    expect(maskPhonesInText('order 20251111-0042')).toBe('order 20251111-0042');
  });
});

describe('hours', () => {
  const quiet = parseHours('22:00-08:00');
  it('handles windows that wrap past midnight in the shop time zone', () => {
    expect(isWithin(quiet, new Date('2026-03-02T15:00:00Z'), 'Asia/Shanghai')).toBe(true); // 23:00 Shanghai
    expect(isWithin(quiet, new Date('2026-03-02T04:00:00Z'), 'Asia/Shanghai')).toBe(false); // 12:00
    expect(msUntilEnd(quiet, new Date('2026-03-02T15:00:00Z'), 'Asia/Shanghai')).toBe(9 * 3600_000);
  });
  it('finds the start of the local day', () => {
    expect(startOfDay(new Date('2026-03-02T17:30:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-03-02T16:00:00.000Z',
    );
  });
  it('reads the wall clock as Intl does, across DST changes and odd offsets', () => {
    // The offset is remembered per quarter hour: walk instants (in and out of order) around the
    // 2026 transitions of zones with DST, half- and quarter-hour offsets, and compare with Intl.
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
    const around = ['2026-03-08T06:00:00Z', '2026-03-29T00:30:00Z', '2026-10-04T14:00:00Z', '2026-11-01T05:30:00Z'];
    for (const timeZone of zones) {
      const clock = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      for (const start of around) {
        for (let step = -12; step <= 12; step++) {
          const at = new Date(Date.parse(start) + step * 7 * 60_000 + (step % 3) * 13_000);
          const parts = Object.fromEntries(clock.formatToParts(at).map((p) => [p.type, p.value]));
          expect(minuteOfDay(at, timeZone), `${timeZone} ${at.toISOString()}`).toBe(
            Number(parts.hour) * 60 + Number(parts.minute),
          );
          expect(dayKey(at, timeZone)).toBe(`${parts.year}-${parts.month}-${parts.day}`);
        }
      }
    }
  });
});

describe('pacer', () => {
  const at = Date.parse('2026-03-02T04:00:00Z');
  it('spreads a per-second global limit out, booking at most a second ahead', () => {
    const pacer = new Pacer({ globalPerSecond: 2 }, { timeZone: 'UTC' });
    const ask = (chatId: string, now: number) => pacer.reserve({ chatId, group: false, proactive: false }, now);
    expect(ask('a', at)).toEqual({ kind: 'send', afterMs: 0 });
    // Up to 250 ms of slack is caught up at once (here: half a slot), never beyond 2 in any second.
    expect(ask('b', at)).toEqual({ kind: 'send', afterMs: 250 });
    expect(ask('c', at)).toEqual({ kind: 'send', afterMs: 1000 });
    expect(ask('d', at)).toEqual({ kind: 'wait', ms: 1250 });
    expect(ask('d', at + 1250)).toEqual({ kind: 'send', afterMs: 0 });
  });
  it('never exceeds the limit in any one-second window and does not drift', () => {
    const pacer = new Pacer({ globalPerSecond: 30 }, { timeZone: 'UTC' });
    const sentAt: number[] = [];
    // A sender that asks every 7 ms and wakes up late by 0–3 ms, for 20 simulated seconds.
    for (let now = at, i = 0; now < at + 20_000; now += 7, i++) {
      const decision = pacer.reserve({ chatId: `c${i}`, group: false, proactive: true }, now + (i % 4));
      if (decision.kind === 'send') sentAt.push(now + (i % 4) + decision.afterMs);
    }
    for (const t of sentAt) expect(sentAt.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(30);
    expect(sentAt.length).toBeGreaterThanOrEqual(599);
  });
  it('holds a send whose actual start would put more than the limit in one second', () => {
    const pacer = new Pacer({ globalPerSecond: 2 }, { timeZone: 'UTC' });
    // Two booked sends woke late and a third is due: the third waits for the first to age out.
    expect(pacer.admit(at)).toBe(0);
    expect(pacer.admit(at + 5)).toBe(0);
    expect(pacer.admit(at + 10)).toBe(990);
    expect(pacer.admit(at + 1000)).toBe(0);
    expect(pacer.admit(at + 1001)).toBe(4);
    expect(new Pacer({}, { timeZone: 'UTC' }).admit(at)).toBe(0);
  });
  it('keeps per-chat gaps, separately for groups', () => {
    const pacer = new Pacer({ privateChatIntervalMs: 1000, groupIntervalMs: 3000 }, { timeZone: 'UTC' });
    pacer.reserve({ chatId: 'p', group: false, proactive: false }, at);
    pacer.reserve({ chatId: 'g', group: true, proactive: false }, at);
    expect(pacer.reserve({ chatId: 'p', group: false, proactive: false }, at + 500)).toEqual({ kind: 'wait', ms: 500 });
    expect(pacer.reserve({ chatId: 'g', group: true, proactive: false }, at + 1000)).toEqual({
      kind: 'wait',
      ms: 2000,
    });
  });
  it('applies jitter, a daily cap, and quiet hours for proactive messages only', () => {
    const pacer = new Pacer(
      { jitterMs: [1000, 3000], dailyCap: 1 },
      { timeZone: 'Asia/Shanghai', quietHours: parseHours('22:00-08:00'), random: () => 0.5 },
    );
    expect(pacer.reserve({ chatId: 'a', group: false, proactive: false }, at)).toEqual({ kind: 'send', afterMs: 2000 });
    const capped = pacer.reserve({ chatId: 'b', group: false, proactive: false }, at + 10_000);
    expect(capped.kind).toBe('wait');
    const night = Date.parse('2026-03-02T15:00:00Z');
    const fresh = new Pacer({}, { timeZone: 'Asia/Shanghai', quietHours: parseHours('22:00-08:00') });
    expect(fresh.reserve({ chatId: 'a', group: false, proactive: true }, night).kind).toBe('wait');
    expect(fresh.reserve({ chatId: 'a', group: false, proactive: false }, night).kind).toBe('send');
  });
});

describe('locks', () => {
  it('KeyedLock runs work for one key in order and other keys freely', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const slow = (label: string, ms: number) => () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push(label);
          resolve();
        }, ms),
      );
    await Promise.all([lock.run('a', slow('a1', 20)), lock.run('a', slow('a2', 1)), lock.run('b', slow('b1', 5))]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('ReadWriteGate never runs shared work while exclusive work is in progress', async () => {
    const gate = new ReadWriteGate();
    let exclusive = false;
    let overlap = false;
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      if (i % 5 === 0) {
        tasks.push(
          gate.exclusive(async () => {
            exclusive = true;
            await new Promise((r) => setTimeout(r, 2));
            exclusive = false;
          }),
        );
      } else {
        tasks.push(
          gate.shared(async () => {
            if (exclusive) overlap = true;
            await new Promise((r) => setTimeout(r, 1));
            if (exclusive) overlap = true;
          }),
        );
      }
    }
    await Promise.all(tasks);
    expect(overlap).toBe(false);
  });
});
