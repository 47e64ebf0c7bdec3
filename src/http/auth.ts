// Bearer-token authentication: ADMIN_TOKEN for admins, per-staff tokens (stored hashed) for agents.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../crm/context.ts';
import type { Store } from '../db/store.ts';
import { HttpError } from './errors.ts';

export type Principal = { kind: 'admin' } | { kind: 'staff'; staffId: number; role: 'admin' | 'agent'; name: string };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(hashToken(a));
  const right = Buffer.from(hashToken(b));
  return timingSafeEqual(left, right);
}

export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (match?.[1]) return match[1];
  // EventSource cannot set headers: the console passes its token as ?token= on SSE URLs only.
  const query = request.query;
  if (
    request.headers.accept === 'text/event-stream' &&
    typeof query === 'object' &&
    query !== null &&
    'token' in query
  ) {
    return typeof query.token === 'string' ? query.token : undefined;
  }
  return undefined;
}

export async function authenticate(request: FastifyRequest, store: Store, adminToken: string): Promise<Principal> {
  const token = bearer(request);
  if (!token) throw new HttpError(401, 'unauthorized', 'missing bearer token');
  if (safeEqual(token, adminToken)) return { kind: 'admin' };
  const staff = await store.repos.staff.byTokenHash(hashToken(token));
  if (!staff?.active) throw new HttpError(401, 'unauthorized', 'invalid token');
  return { kind: 'staff', staffId: staff.id, role: staff.role === 'admin' ? 'admin' : 'agent', name: staff.name };
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind === 'admin' || principal.role === 'admin') return;
  throw new HttpError(403, 'forbidden', 'admin role required');
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'admin'
    ? { type: 'admin' }
    : { type: 'staff', staffId: principal.staffId, role: principal.role };
}
