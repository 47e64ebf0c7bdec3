import type { PrismaTx } from '../client.ts';
import { isUniqueViolation } from './errors.ts';

/** Fixed-window counters (rate limits): one row per key and window, shared by every instance. */
export class RateCounterRepository {
  constructor(private readonly db: PrismaTx) {}

  /** Counts one more request in the window and returns the window's count so far. */
  async hit(key: string, windowStart: Date): Promise<number> {
    const where = { key_windowStart: { key, windowStart } };
    const upsert = () =>
      this.db.rateCounter.upsert({
        where,
        create: { key, windowStart, count: 1 },
        update: { count: { increment: 1 } },
        select: { count: true },
      });
    try {
      return (await upsert()).count;
    } catch (error) {
      // Two instances created the same window at once: the row exists now, so count again.
      if (!isUniqueViolation(error)) throw error;
      return (await upsert()).count;
    }
  }

  /** How many were counted in the window (0 when it has no row). */
  async count(key: string, windowStart: Date): Promise<number> {
    const row = await this.db.rateCounter.findUnique({
      where: { key_windowStart: { key, windowStart } },
      select: { count: true },
    });
    return row?.count ?? 0;
  }

  /** Forgets windows that ended before `before`. */
  async prune(before: Date): Promise<void> {
    await this.db.rateCounter.deleteMany({ where: { windowStart: { lt: before } } });
  }
}
