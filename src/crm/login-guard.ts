// Password guessing, per account: LOGIN_MAX_FAILURES wrong passwords in a row lock the account for
// LOGIN_LOCKOUT_MINUTES, during which even the right password is refused with 429 and Retry-After.
// The counter and the lock live on the staff row, so every instance shares them. (Limits per client
// address are the HTTP layer's, RATE_LIMIT_LOGIN_PER_MINUTE.)
import type { Staff } from '../db/types.ts';
import { RateLimitedError } from '../domain/errors.ts';
import { MINUTE } from '../kernel/clock.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';

export class LoginGuard {
  constructor(private readonly deps: ServiceDeps) {}

  /** Throws while the account is locked. */
  assertOpen(staff: Staff): void {
    const now = this.deps.clock.now();
    if (staff.lockedUntil && staff.lockedUntil > now) {
      const seconds = Math.max(1, Math.ceil((staff.lockedUntil.getTime() - now.getTime()) / 1000));
      throw new RateLimitedError('too many failed logins: this account is locked for now', seconds);
    }
  }

  /** Counts a wrong password; the one that reaches the limit locks the account (audited). */
  async failed(staff: Staff): Promise<void> {
    const { loginMaxFailures, loginLockoutMinutes } = this.deps.config.access;
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (repos) => {
      const count = await repos.staff.countFailedLogin(staff.id);
      if (count < loginMaxFailures) return;
      const lockedUntil = new Date(now.getTime() + loginLockoutMinutes * MINUTE);
      await repos.staff.update(staff.id, { failedLogins: 0, lockedUntil });
      await audit(repos, now, {
        actor: { type: 'system' },
        action: 'staff.locked',
        entity: 'staff',
        entityId: staff.id,
        details: { failures: count, minutes: loginLockoutMinutes },
      });
    });
  }
}
