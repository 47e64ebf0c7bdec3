// Console sessions, stored so every instance honours them and they can end: at SESSION_MAX_HOURS after
// login (absolute), after SESSION_IDLE_MINUTES without a request, on logout, on a password change or
// deactivation of the account, or when revoked by their owner or an admin. The token is random and
// only its SHA-256 is kept, like issued API tokens.
import { randomBytes } from 'node:crypto';
import type { StaffSession } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { NotFoundError } from '../domain/errors.ts';
import { HOUR, MINUTE } from '../kernel/clock.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { isAdmin } from './customer-access.ts';
import { hashToken } from './token-hash.ts';

/** Session tokens carry this prefix, so a bearer token is looked up in the right table. */
export const SESSION_TOKEN_PREFIX = 'gs2_';

/** A session's last-seen time is written at most this often (each request would be a write otherwise). */
const TOUCH_EVERY_MS = MINUTE;

export interface SessionView {
  id: number;
  staffId: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** When it ends if unused from now on: the earlier of the idle and the absolute end. */
  idleUntil: Date;
}

export class StaffSessions {
  constructor(private readonly deps: ServiceDeps) {}

  private get limits() {
    return {
      maxMs: this.deps.config.access.sessionMaxHours * HOUR,
      idleMs: this.deps.config.access.sessionIdleMinutes * MINUTE,
    };
  }

  /** Starts a session for an account that just proved who it is. */
  async start(staffId: number): Promise<{ token: string; session: StaffSession }> {
    const now = this.deps.clock.now();
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const session = await this.deps.store.repos.staffSessions.create({
      staffId,
      tokenHash: hashToken(token),
      at: now,
      expiresAt: new Date(now.getTime() + this.limits.maxMs),
    });
    return { token, session };
  }

  /** The live session behind a token (and notes the use), or null: unknown, ended, expired or idle too long. */
  async resolve(token: string): Promise<StaffSession | null> {
    const { repos } = this.deps.store;
    const session = await repos.staffSessions.byTokenHash(hashToken(token));
    const now = this.deps.clock.now();
    if (!session || !this.isLive(session, now)) return null;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
      await repos.staffSessions.touch(session.id, now);
    return session;
  }

  private isLive(session: StaffSession, now: Date): boolean {
    return (
      session.revokedAt === null &&
      session.expiresAt > now &&
      now.getTime() - session.lastSeenAt.getTime() < this.limits.idleMs
    );
  }

  /** A staff member's live sessions (their own, or anyone's for an admin). */
  async list(staffId: number, actor: Actor): Promise<SessionView[]> {
    this.mayManage(staffId, actor);
    const now = this.deps.clock.now();
    const rows = await this.deps.store.repos.staffSessions.live(staffId, now);
    return rows.filter((s) => this.isLive(s, now)).map((s) => this.view(s));
  }

  /** Ends one session: the owner's own, or any for an admin (others get "not found"). */
  async revoke(sessionId: number, actor: Actor): Promise<void> {
    const session = await this.deps.store.repos.staffSessions.get(sessionId);
    if (!session || !this.mayManageQuietly(session.staffId, actor)) throw new NotFoundError(`session ${sessionId}`);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (repos) => {
      if (!(await repos.staffSessions.revoke(sessionId, now))) return;
      await audit(repos, now, {
        actor,
        action: 'staff.session_end',
        entity: 'staff',
        entityId: session.staffId,
        details: { sessionId },
      });
    });
  }

  /** Ends every session of a staff member (logout everywhere). */
  async revokeAll(staffId: number, actor: Actor): Promise<number> {
    this.mayManage(staffId, actor);
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (repos) => {
      const count = await repos.staffSessions.revokeAll(staffId, now);
      await audit(repos, now, {
        actor,
        action: 'staff.session_end',
        entity: 'staff',
        entityId: staffId,
        details: { all: true, count },
      });
      return count;
    });
  }

  private mayManageQuietly(staffId: number, actor: Actor): boolean {
    return isAdmin(actor) || (actor.type === 'staff' && actor.staffId === staffId);
  }

  private mayManage(staffId: number, actor: Actor): void {
    if (!this.mayManageQuietly(staffId, actor)) throw new NotFoundError(`staff ${staffId}`);
  }

  private view(s: StaffSession): SessionView {
    const idleEnd = new Date(s.lastSeenAt.getTime() + this.limits.idleMs);
    return {
      id: s.id,
      staffId: s.staffId,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
      idleUntil: idleEnd < s.expiresAt ? idleEnd : s.expiresAt,
    };
  }
}
