// Admin API for profile merges (ARCHITECTURE.md §10 "Staff and privacy"): merge two profiles, undo a
// merge, and the pairs that look like one person (proposed, never merged silently).
import { z } from 'zod';
import type { Merge } from '../../crm/records.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';
import { MergeBody, MergeResponse, type MergeView, SuggestionsResponse, UndoResponse } from '../schemas/merges.ts';
import { customerSummary } from './customer-views.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });

function mergeView(merge: Merge): MergeView {
  const moved: Record<string, number> = {};
  for (const [table, value] of Object.entries(merge.moved)) {
    if (Array.isArray(value)) moved[table] = value.length;
  }
  return {
    id: merge.id,
    sourceId: merge.sourceId,
    targetId: merge.targetId,
    reason: merge.reason,
    createdAt: merge.createdAt,
    undoneAt: merge.undoneAt,
    moved,
  };
}

export function mergeRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  app.post('/api/merges', async (request, reply) => {
    const actor = await admin(request);
    const { sourceId, targetId } = MergeBody.parse(request.body);
    const { merge, customer } = await ctx.services.merges.merge({ sourceId, targetId, reason: 'admin', actor });
    return reply
      .status(201)
      .send(MergeResponse.encode({ merge: mergeView(merge), customer: customerSummary(customer) }));
  });

  app.post('/api/merges/:id/undo', async (request) => {
    const actor = await admin(request);
    const { merge, source, target } = await ctx.services.merges.undo(IdParams.parse(request.params).id, actor);
    return UndoResponse.encode({
      merge: mergeView(merge),
      source: customerSummary(source),
      target: customerSummary(target),
    });
  });

  app.get('/api/merges/suggestions', async (request) => {
    await admin(request);
    const suggestions = await ctx.services.merges.suggestions();
    return SuggestionsResponse.encode({
      suggestions: suggestions.map((s) => ({
        reason: s.reason,
        shared: s.shared,
        customers: s.customers.map(customerSummary),
      })),
    });
  });
}
