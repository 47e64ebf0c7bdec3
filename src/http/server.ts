// The Fastify server: webchat API, admin API, health, and the web pages in web/.
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { Logger } from '../kernel/logger.ts';
import type { HttpApp, HttpContext } from './context.ts';
import { registerErrorHandling } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { commerceRoutes } from './routes/commerce.ts';
import { consoleRoutes } from './routes/console.ts';
import { loyaltyRoutes } from './routes/loyalty.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { webchatRoutes } from './routes/webchat.ts';

export type RouteModule = (app: HttpApp, ctx: HttpContext) => void;

export async function buildServer(ctx: HttpContext, log: Logger, extra: RouteModule[] = []): Promise<HttpApp> {
  const app = Fastify({ loggerInstance: log, bodyLimit: 1024 * 1024 });
  registerErrorHandling(app);
  await app.register(fastifyStatic, { root: resolve(import.meta.dirname, '../../web'), prefix: '/' });
  // Console pages load Chart.js from the installed package rather than a CDN (no outside network).
  const chartJs = resolve(import.meta.dirname, '../../node_modules/chart.js/dist/chart.umd.min.js');
  app.get('/vendor/chart.umd.min.js', (_request, reply) =>
    reply.type('text/javascript').send(createReadStream(chartJs)),
  );
  app.get('/healthz', async () => ({ ok: true }));
  webchatRoutes(app, ctx);
  adminRoutes(app, ctx);
  loyaltyRoutes(app, ctx);
  surveyRoutes(app, ctx);
  consoleRoutes(app, ctx);
  commerceRoutes(app, ctx);
  campaignRoutes(app, ctx);
  for (const routes of extra) routes(app, ctx);
  return app;
}
