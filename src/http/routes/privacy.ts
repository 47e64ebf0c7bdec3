// PIPL rights over HTTP (ARCHITECTURE.md §7, §10): export and erase one customer's data. Admin only.
import { z } from 'zod';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });

export function privacyRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  app.get('/api/customers/:id/export', async (request, reply) => {
    const actor = await admin(request);
    const { id } = IdParams.parse(request.params);
    const document = await ctx.services.personalData.export(id, actor);
    return reply
      .header('content-disposition', `attachment; filename="customer-${id}.json"`)
      .header('cache-control', 'no-store')
      .send(document);
  });

  app.post('/api/customers/:id/erase', async (request) => {
    const actor = await admin(request);
    const { id } = IdParams.parse(request.params);
    const { erasedAt } = await ctx.services.personalData.erase(id, actor);
    return { id, erasedAt: erasedAt.toISOString() };
  });
}
