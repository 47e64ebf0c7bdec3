// Per-address limits for the public surface (webchat, login): fixed one-minute windows counted in
// the database, so every instance behind a load balancer counts the same requests.
import { RateLimitedError } from '../domain/errors.ts';
import type { ServiceDeps } from './context.ts';

const WINDOW_MS = 60_000;
/** Windows are kept a little longer than they last, then deleted when a newer window starts. */
const KEEP_MS = 10 * WINDOW_MS;

export type RateLimitedSurface = 'webchat' | 'login';

export class RateLimits {
  constructor(private readonly deps: ServiceDeps) {}

  private limitOf(surface: RateLimitedSurface): number {
    const { limits } = this.deps.config;
    return surface === 'webchat' ? limits.webchatPerMinute : limits.loginPerMinute;
  }

  /**
   * True for one caller at most in any `spacingMs` (on every instance): the first claim of a window of
   * that length wins, and only when the window before it had none, so two winners are at least
   * `spacingMs` apart. (Two claims in the same instant on either side of a window boundary, on two
   * instances, could both win; the callers here are throttled at the source, so that is one agent
   * with two console tabs.) For effects that must stay rare, not for counting requests.
   */
  async claimSpaced(key: string, spacingMs: number): Promise<boolean> {
    const now = this.deps.clock.now().getTime();
    const windowStart = now - (now % spacingMs);
    const repos = this.deps.store.repos;
    if ((await repos.rateCounters.count(key, new Date(windowStart - spacingMs))) > 0) return false;
    const count = await repos.rateCounters.hit(key, new Date(windowStart));
    if (count === 1) await repos.rateCounters.prune(new Date(windowStart - KEEP_MS));
    return count === 1;
  }

  /** Counts one request from `address`; throws RateLimitedError (with the wait) once the window is full. */
  async hit(surface: RateLimitedSurface, address: string): Promise<void> {
    const limit = this.limitOf(surface);
    if (limit <= 0) return;
    const now = this.deps.clock.now().getTime();
    const windowStart = new Date(now - (now % WINDOW_MS));
    const repos = this.deps.store.repos;
    const count = await repos.rateCounters.hit(`${surface}:${address}`, windowStart);
    if (count === 1) await repos.rateCounters.prune(new Date(windowStart.getTime() - KEEP_MS));
    if (count > limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 1000));
      throw new RateLimitedError(`too many requests: at most ${limit} a minute`, retryAfterSeconds);
    }
  }
}
