// The audit log API (admin): GET /api/audit?actor=&action=&entity=&from=&to=&cursor=&take=
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { AuditQuery, AuditResponse, auditCursor } from '../schemas/audit.ts';

function detailsOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : null;
}

export function auditRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  app.get('/api/audit', async (request) => {
    const actor = await admin(request);
    const query = AuditQuery.parse(request.query);
    const { lines, next } = await ctx.services.auditLog.search(
      {
        actor: query.actor,
        action: query.action,
        entity: query.entity,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        beforeId: query.cursor,
        take: query.take,
      },
      actor,
    );
    return AuditResponse.encode({
      entries: lines.map(({ entry, actorName, entityName }) => ({
        id: entry.id,
        at: entry.createdAt,
        actor: { type: entry.actorType, id: entry.actorId, name: actorName },
        action: entry.action,
        entity: { type: entry.entityType, id: entry.entityId, name: entityName },
        details: detailsOf(entry.details),
      })),
      cursor: next === null ? null : auditCursor(next),
    });
  });
}
