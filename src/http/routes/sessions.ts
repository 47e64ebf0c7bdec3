// Console sessions and staff API tokens: log out, list and end sessions (one's own; an admin anyone's),
// log out everywhere, revoke an issued API token (admin).
import { z } from 'zod';
import { actorOf, authenticate, requireAdmin } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { SessionsResponse } from '../schemas/console.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const SessionsQuery = z.object({ staffId: z.coerce.number().int().positive().optional() }).strict();

export function sessionRoutes(app: HttpApp, ctx: HttpContext): void {
  const { staff } = ctx.services;
  const who = (request: Parameters<typeof authenticate>[0]) => authenticate(request, staff, ctx.adminTokenHash);

  /** Ends the session the request came with (an API token or ADMIN_TOKEN has none to end). */
  app.post('/api/console/logout', async (request) => {
    const principal = await who(request);
    if (principal.kind === 'staff' && principal.sessionId !== null) {
      await staff.sessions.revoke(principal.sessionId, actorOf(principal));
    }
    return { ok: true };
  });

  app.get('/api/staff/sessions', async (request) => {
    const principal = await who(request);
    const { staffId } = SessionsQuery.parse(request.query);
    const own = principal.kind === 'staff' ? principal.staffId : undefined;
    const target = staffId ?? own;
    if (target === undefined) return SessionsResponse.encode({ sessions: [] });
    const current = principal.kind === 'staff' ? principal.sessionId : null;
    const sessions = await staff.sessions.list(target, actorOf(principal));
    return SessionsResponse.encode({ sessions: sessions.map((s) => ({ ...s, current: s.id === current })) });
  });

  app.delete('/api/staff/sessions/:id', async (request) => {
    const principal = await who(request);
    await staff.sessions.revoke(IdParams.parse(request.params).id, actorOf(principal));
    return { ok: true };
  });

  /** Logs a staff member out everywhere: their own account, or anyone's for an admin. */
  app.post('/api/staff/:id/logout-all', async (request) => {
    const principal = await who(request);
    const ended = await staff.sessions.revokeAll(IdParams.parse(request.params).id, actorOf(principal));
    return { ended };
  });

  app.delete('/api/console/staff/:id/token', async (request) => {
    const principal = await who(request);
    requireAdmin(principal);
    await staff.revokeToken(IdParams.parse(request.params).id, actorOf(principal));
    return { ok: true };
  });
}
