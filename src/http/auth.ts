// Bearer-token authentication: ADMIN_TOKEN for admins (compared by its hash: a first-run token is
// only kept hashed), console sessions (stored, see src/crm/staff-sessions.ts) and issued staff API
// tokens (stored hashed) for staff. Tokens only ever come from the Authorization header.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { hashToken, type StaffAccounts } from '../crm/staff-accounts.ts';
import { SESSION_TOKEN_PREFIX } from '../crm/staff-sessions.ts';
import type { Actor } from '../domain/audit.ts';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.ts';
import type { StaffRole } from '../domain/staff.ts';

export type Principal =
  | { kind: 'admin' }
  | {
      kind: 'staff';
      staffId: number;
      role: StaffRole;
      name: string;
      /** The console session the request came with (null for an issued API token). */
      sessionId: number | null;
    };

export { hashToken };

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The bearer token of the Authorization header: never taken from a URL (the console streams with fetch). */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Where tokens are checked against staff accounts. */
export type StaffDirectory = Pick<StaffAccounts, 'activeBySession' | 'activeByToken'>;

export async function authenticate(
  request: FastifyRequest,
  staffAccounts: StaffDirectory,
  adminTokenHash: string,
): Promise<Principal> {
  const token = bearer(request);
  if (!token) throw new UnauthorizedError('missing bearer token');
  return principalOf(token, staffAccounts, adminTokenHash);
}

/** Resolves a token: ADMIN_TOKEN, a live console session, or an issued staff token of an active account. */
export async function principalOf(
  token: string,
  staffAccounts: StaffDirectory,
  adminTokenHash: string,
): Promise<Principal> {
  if (sameHash(hashToken(token), adminTokenHash)) return { kind: 'admin' };
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const found = await staffAccounts.activeBySession(token);
    if (!found) throw new UnauthorizedError('session ended: please log in again');
    const { staff, sessionId } = found;
    return { kind: 'staff', staffId: staff.id, role: staff.role, name: staff.name, sessionId };
  }
  const staff = await staffAccounts.activeByToken(token);
  if (!staff) throw new UnauthorizedError('invalid token');
  return { kind: 'staff', staffId: staff.id, role: staff.role, name: staff.name, sessionId: null };
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
export function routeGuards(staffAccounts: StaffDirectory, adminTokenHash: string) {
  const principal = (request: FastifyRequest) => authenticate(request, staffAccounts, adminTokenHash);
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
