// Bearer-token authentication: ADMIN_TOKEN for admins, per-staff tokens (stored hashed) for agents.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { hashToken, type StaffAccounts } from '../crm/staff-accounts.ts';
import type { Actor } from '../domain/audit.ts';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.ts';
import type { StaffRole } from '../domain/staff.ts';
import { type Clock, systemClock } from '../kernel/clock.ts';

export type Principal = { kind: 'admin' } | { kind: 'staff'; staffId: number; role: StaffRole; name: string };

export { hashToken };

// Console sessions are signed, not stored: "gs1.<staffId>.<expiresMs>.<hmac>", keyed by the admin
// token, so every instance sharing ADMIN_TOKEN accepts them and a deactivated account is refused
// on its next request (the staff row is checked each time).
const SESSION_PREFIX = 'gs1.';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function sessionSignature(adminToken: string, body: string): string {
  const key = createHash('sha256').update(`guanxi-session:${adminToken}`).digest();
  return createHmac('sha256', key).update(body).digest('base64url');
}

export function issueSession(staffId: number, adminToken: string, now: Date): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const body = `${staffId}.${expiresAt.getTime()}`;
  return { token: `${SESSION_PREFIX}${body}.${sessionSignature(adminToken, body)}`, expiresAt };
}

function sessionStaffId(token: string, adminToken: string, now: Date): number | null {
  const match = /^gs1\.(\d+)\.(\d+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  const expected = Buffer.from(sessionSignature(adminToken, `${match[1]}.${match[2]}`));
  const given = Buffer.from(match[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (Number(match[2]) <= now.getTime()) return null;
  return Number(match[1]);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(hashToken(a));
  const right = Buffer.from(hashToken(b));
  return timingSafeEqual(left, right);
}

/** The bearer token of the Authorization header: never taken from a URL (the console streams with fetch). */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Where tokens are checked against staff accounts. */
export type StaffDirectory = Pick<StaffAccounts, 'activeById' | 'activeByToken'>;

export async function authenticate(
  request: FastifyRequest,
  staffAccounts: StaffDirectory,
  adminToken: string,
  now: Date = systemClock.now(),
): Promise<Principal> {
  const token = bearer(request);
  if (!token) throw new UnauthorizedError('missing bearer token');
  return principalOf(token, staffAccounts, adminToken, now);
}

/** Resolves a token: ADMIN_TOKEN, a console session, or an issued staff token. */
export async function principalOf(
  token: string,
  staffAccounts: StaffDirectory,
  adminToken: string,
  now: Date,
): Promise<Principal> {
  if (safeEqual(token, adminToken)) return { kind: 'admin' };
  const sessionId = token.startsWith(SESSION_PREFIX) ? sessionStaffId(token, adminToken, now) : null;
  const staff = sessionId ? await staffAccounts.activeById(sessionId) : await staffAccounts.activeByToken(token);
  if (!staff) throw new UnauthorizedError('invalid token');
  return { kind: 'staff', staffId: staff.id, role: staff.role, name: staff.name };
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'admin' || principal.role === 'admin') return;
  throw new ForbiddenError('admin role required');
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'admin'
    ? { type: 'admin' }
    : { type: 'staff', staffId: principal.staffId, role: principal.role };
}

/** The guards every route module uses: who is calling, and the actor for staff- or admin-only routes. */
export function routeGuards(staffAccounts: StaffDirectory, adminToken: string, clock: Clock = systemClock) {
  // Sessions expire on the app's clock, the one that issued them.
  const principal = (request: FastifyRequest) => authenticate(request, staffAccounts, adminToken, clock.now());
  return {
    principal,
    /** Any signed-in staff member (or the admin token); returns the audit actor. */
    staff: async (request: FastifyRequest): Promise<Actor> => actorOf(await principal(request)),
    /** Admins only (403 otherwise); returns the audit actor. */
    admin: async (request: FastifyRequest): Promise<Actor> => {
      const found = await principal(request);
      requireAdmin(found);
      return actorOf(found);
    },
  };
}
