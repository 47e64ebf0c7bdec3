// Staff/admin API for after-sale cases and the shop's retrieval synonyms.
import { z } from 'zod';
import { CaseNoteInput, CaseUpdate } from '../../domain/case-input.ts';
import { CaseStage, CaseStatus, CaseType } from '../../domain/cases.ts';
import { SynonymInput, SynonymTerm } from '../../domain/catalog-input.ts';
import { routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const CaseParams = z.object({ caseNo: z.string().trim().min(1).max(40) });
const CaseQuery = z.object({
  status: CaseStatus.optional(),
  type: CaseType.optional(),
  stage: CaseStage.optional(),
  customerId: z.coerce.number().int().positive().optional(),
  /** Part of a case number. */
  q: z.string().trim().max(40).optional(),
  take: z.coerce.number().int().min(1).max(200).default(50),
  skip: z.coerce.number().int().min(0).default(0),
});

export function commerceRoutes(app: HttpApp, ctx: HttpContext): void {
  const { admin, staff } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  app.get('/api/cases', async (request) => {
    const actor = await staff(request);
    const { q, ...query } = CaseQuery.parse(request.query);
    return { cases: await ctx.services.cases.list({ ...query, ...(q ? { caseNo: q } : {}) }, actor) };
  });

  app.get('/api/cases/:caseNo', async (request) => {
    const actor = await staff(request);
    return ctx.services.cases.get(CaseParams.parse(request.params).caseNo, actor);
  });

  app.patch('/api/cases/:caseNo', async (request) => {
    const actor = await staff(request);
    const { caseNo } = CaseParams.parse(request.params);
    return ctx.services.cases.update(caseNo, CaseUpdate.parse(request.body), actor);
  });

  app.post('/api/cases/:caseNo/notes', async (request, reply) => {
    const actor = await staff(request);
    const { caseNo } = CaseParams.parse(request.params);
    const body = CaseNoteInput.parse(request.body);
    return reply.status(201).send(await ctx.services.cases.addNote(caseNo, body.text, body.internal, actor));
  });

  app.get('/api/synonyms', async (request) => {
    await staff(request);
    return { synonyms: await ctx.services.catalog.synonyms() };
  });

  app.put('/api/synonyms/:term', async (request) => {
    const actor = await admin(request);
    const { term } = z.object({ term: SynonymTerm }).parse(request.params);
    return ctx.services.catalog.setSynonym(term, SynonymInput.parse(request.body), actor);
  });

  app.delete('/api/synonyms/:term', async (request) => {
    const actor = await admin(request);
    const { term } = z.object({ term: SynonymTerm }).parse(request.params);
    return { deleted: await ctx.services.catalog.deleteSynonym(term, actor) };
  });
}
