// Survey API: reports (CSAT, NPS, response rate by period/agent/product/channel, comments), the
// survey definitions, and one response with its answers.
import { z } from 'zod';
import { SurveyInput } from '../../crm/survey-questions.ts';
import { ReportQuery } from '../../crm/survey-reports.ts';
import { actorOf, requireAdmin, routeGuards } from '../auth.ts';
import type { HttpApp, HttpContext } from '../context.ts';

const KeyParams = z.object({ key: z.string().regex(/^[a-z0-9_]{1,64}$/) });
const IdParams = z.object({ id: z.coerce.number().int().positive() });

export function surveyRoutes(app: HttpApp, ctx: HttpContext): void {
  const { principal } = routeGuards(ctx.services.staff, ctx.adminTokenHash);

  // Admin only: the comments name customers an agent may not be allowed to reach.
  app.get('/api/surveys/report', async (request) => {
    requireAdmin(await principal(request));
    return ctx.services.surveyReports.report(ReportQuery.parse(request.query));
  });

  app.get('/api/surveys', async (request) => {
    await principal(request);
    return { surveys: await ctx.services.surveys.list() };
  });

  app.put('/api/surveys/:key', async (request) => {
    const p = await principal(request);
    requireAdmin(p);
    const { key } = KeyParams.parse(request.params);
    return ctx.services.surveys.upsert(key, SurveyInput.parse(request.body), actorOf(p));
  });

  app.get('/api/surveys/responses/:id', async (request) => {
    await principal(request);
    return ctx.services.surveys.response(IdParams.parse(request.params).id);
  });
}
