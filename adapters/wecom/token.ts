// The access token (gettoken) is valid for `expires_in` seconds (7200) and WeCom rate-limits
// gettoken itself, so one token is cached per secret until shortly before it expires, concurrent
// callers share one fetch, and a token WeCom refused is dropped only if it is still the cached one
// (ten sends failing on the same expired token cause one refresh, not ten).
import type { Clock } from '../../src/kernel/clock.ts';

export interface IssuedToken {
  token: string;
  expiresInSec: number;
}

const EARLY_REFRESH_MS = 5 * 60_000;

export class AccessTokenCache {
  private cached: { token: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** WeCom refused `token` (40014/42001): the next get() fetches a fresh one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const issued = await this.issue();
    const lifetimeMs = issued.expiresInSec * 1000;
    // Refresh a little early so a token does not expire between get() and WeCom reading it.
    const early = Math.min(EARLY_REFRESH_MS, lifetimeMs / 10);
    this.cached = { token: issued.token, refreshAt: this.clock.now().getTime() + lifetimeMs - early };
    return issued.token;
  }
}
