// Staff accounts: creation, password login (scrypt, constant-time compare), issued API tokens
// (stored as SHA-256 hashes), presence and capacity, canned replies. Every change is audited.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { Repositories } from '../db/store.ts';
import type { JsonObject, Staff } from '../db/types.ts';
import type { Actor, AuditAction } from '../domain/audit.ts';
import { NotFoundError } from '../domain/errors.ts';
import { CannedInput, Shortcut, StaffInput, StaffPatch } from '../domain/staff-input.ts';
import { audit, audited } from './audit.ts';
import type { ServiceDeps } from './context.ts';
import { LoginGuard } from './login-guard.ts';
import { StaffSessions } from './staff-sessions.ts';
import { hashToken } from './token-hash.ts';

export type PublicStaff = Omit<Staff, 'passwordHash' | 'tokenHash'>;

export function publicStaff(staff: Staff): PublicStaff {
  const { passwordHash: _p, tokenHash: _t, ...rest } = staff;
  return rest;
}

export { hashToken };

const SCRYPT_KEYLEN = 32;
/** The scheme tag stored in front of a password hash ("scrypt$salt$key"). */
const PASSWORD_SCHEME = 'scrypt';

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT_KEYLEN, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `${PASSWORD_SCHEME}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, salt, hash] = (stored ?? `${PASSWORD_SCHEME}$AAAAAAAAAAAAAAAAAAAAAA==$`).split('$');
  // Unknown users still pay for one scrypt so timing does not reveal which usernames exist.
  const key = await scryptAsync(password, Buffer.from(salt ?? '', 'base64'));
  const expected = Buffer.from(hash ?? '', 'base64');
  return scheme === PASSWORD_SCHEME && expected.length === key.length && timingSafeEqual(key, expected);
}

export class StaffAccounts {
  /** Console sessions of these accounts. */
  readonly sessions: StaffSessions;
  private readonly guard: LoginGuard;

  constructor(private readonly deps: ServiceDeps) {
    this.sessions = new StaffSessions(deps);
    this.guard = new LoginGuard(deps);
  }

  list(): Promise<Staff[]> {
    return this.deps.store.repos.staff.list();
  }

  async get(id: number): Promise<Staff> {
    const staff = await this.deps.store.repos.staff.get(id);
    if (!staff) throw new NotFoundError(`staff ${id}`);
    return staff;
  }

  /** The account if it exists and is active (a console session names it), else null. */
  async activeById(id: number): Promise<Staff | null> {
    const staff = await this.deps.store.repos.staff.get(id);
    return staff?.active ? staff : null;
  }

  /** The active account behind a live console session token, with the session's id; else null. */
  async activeBySession(token: string): Promise<{ staff: Staff; sessionId: number } | null> {
    const session = await this.sessions.resolve(token);
    const staff = session ? await this.activeById(session.staffId) : null;
    return session && staff ? { staff, sessionId: session.id } : null;
  }

  /** The active account an issued API token belongs to, else null. */
  async activeByToken(token: string): Promise<Staff | null> {
    const staff = await this.deps.store.repos.staff.byTokenHash(hashToken(token));
    return staff?.active ? staff : null;
  }

  /** The active account registered with this Telegram user id (the staff group), else null. */
  async activeByTelegramUser(telegramUserId: string): Promise<Staff | null> {
    const staff = await this.deps.store.repos.staff.byTelegramUser(telegramUserId);
    return staff?.active ? staff : null;
  }

  /** The active account registered with this WeCom userid (a 微信客服 接待人员), else null. */
  async activeByWecomUser(wecomUserId: string): Promise<Staff | null> {
    const staff = await this.deps.store.repos.staff.byWecomUser(wecomUserId);
    return staff?.active ? staff : null;
  }

  async create(raw: StaffInput, actor: Actor): Promise<Staff> {
    const input = StaffInput.parse(raw);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.deps.store.transaction(async (repos) => {
      const staff = await repos.staff.create({
        username: input.username,
        name: input.name,
        role: input.role,
        passwordHash,
        capacity: input.capacity ?? this.deps.config.desk.agentCapacity,
        telegramUserId: input.telegramUserId ?? null,
        wecomUserId: input.wecomUserId ?? null,
      });
      await this.audit(repos, actor, 'staff.create', staff.id, { username: staff.username, role: staff.role });
      return staff;
    });
  }

  async update(id: number, raw: z.input<typeof StaffPatch>, actor: Actor): Promise<Staff> {
    const { password, ...patch } = StaffPatch.parse(raw);
    await this.get(id);
    const passwordHash = password ? await hashPassword(password) : undefined;
    return this.deps.store.transaction(async (repos) => {
      const staff = await repos.staff.update(id, {
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
        // A password set by an admin also lifts a lockout: the guesser no longer knows the password.
        ...(passwordHash ? { passwordHash, failedLogins: 0, lockedUntil: null } : {}),
      });
      // A new password or a deactivation ends every console session of the account (an issued
      // API token dies with deactivation too: tokens are only accepted for active accounts).
      const endedSessions =
        passwordHash || patch.active === false ? await repos.staffSessions.revokeAll(id, this.deps.clock.now()) : 0;
      await this.audit(repos, actor, 'staff.update', id, {
        fields: [...Object.keys(patch), ...(password ? ['password'] : [])],
        ...(endedSessions ? { endedSessions } : {}),
      });
      return staff;
    });
  }

  /** Issues a new API token (replacing the old one); only its hash is stored. */
  async issueToken(id: number, actor: Actor): Promise<string> {
    await this.get(id);
    const token = `gx_${randomBytes(24).toString('base64url')}`;
    await this.deps.store.transaction(async (repos) => {
      await repos.staff.update(id, { tokenHash: hashToken(token) });
      await this.audit(repos, actor, 'staff.token', id);
    });
    return token;
  }

  /** Revokes the account's issued API token (console sessions are separate). */
  async revokeToken(id: number, actor: Actor): Promise<void> {
    await this.get(id);
    await this.deps.store.transaction(async (repos) => {
      await repos.staff.update(id, { tokenHash: null });
      await this.audit(repos, actor, 'staff.token_revoke', id);
    });
  }

  /**
   * Username + password, or null. Audits failures (without the password). A locked account is
   * refused (RateLimitedError) before the password is even checked.
   */
  async login(username: string, password: string): Promise<Staff | null> {
    const staff = await this.deps.store.repos.staff.byUsername(username);
    if (staff) this.guard.assertOpen(staff);
    const ok = await verifyPassword(password, staff?.passwordHash ?? null);
    const now = this.deps.clock.now();
    if (!ok || !staff?.active) {
      if (staff) await this.guard.failed(staff);
      await audit(this.deps.store.repos, now, {
        actor: { type: 'anonymous' },
        action: 'staff.login_failed',
        entity: 'staff',
        entityId: staff?.id ?? null,
        details: { username: username.slice(0, 40) },
      });
      return null;
    }
    await this.deps.store.transaction(async (repos) => {
      await repos.staff.update(staff.id, { lastSeenAt: now, ...(staff.failedLogins > 0 ? { failedLogins: 0 } : {}) });
      await this.audit(repos, { type: 'staff', staffId: staff.id, role: staff.role }, 'staff.login', staff.id);
    });
    return staff;
  }

  async setOnline(id: number, online: boolean, actor: Actor): Promise<Staff> {
    return this.deps.store.transaction(async (repos) => {
      const staff = await repos.staff.update(id, { online, lastSeenAt: this.deps.clock.now() });
      await this.audit(repos, actor, online ? 'staff.online' : 'staff.offline', id);
      return staff;
    });
  }

  /** A staff member's own console language. */
  async setLocale(id: number, locale: 'zh-CN' | 'en', actor: Actor): Promise<Staff> {
    return this.deps.store.transaction(async (repos) => {
      const staff = await repos.staff.update(id, { locale });
      await this.audit(repos, actor, 'staff.update', id, { fields: ['locale'] });
      return staff;
    });
  }

  cannedReplies() {
    return this.deps.store.repos.staff.cannedReplies();
  }

  async upsertCanned(shortcut: string, raw: z.input<typeof CannedInput>, actor: Actor) {
    const key = Shortcut.parse(shortcut);
    const input = CannedInput.parse(raw);
    return audited(
      this.deps,
      actor,
      (repos) => repos.staff.upsertCannedReply(key, input.text, input.textEn ?? null),
      () => ({ action: 'canned.upsert', entity: 'canned_reply', entityId: key }),
    );
  }

  /** Deletes a canned reply (audited); NotFoundError when the shortcut has none. */
  async deleteCanned(shortcut: string, actor: Actor): Promise<void> {
    const key = Shortcut.parse(shortcut);
    await this.deps.store.transaction(async (repos) => {
      if (!(await repos.staff.deleteCannedReply(key))) throw new NotFoundError(`canned reply /${key}`);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'canned.delete',
        entity: 'canned_reply',
        entityId: key,
      });
    });
  }

  private audit(repos: Repositories, actor: Actor, action: AuditAction, staffId: number, details?: JsonObject) {
    return audit(repos, this.deps.clock.now(), {
      actor,
      action,
      entity: 'staff',
      entityId: staffId,
      ...(details ? { details } : {}),
    });
  }
}
