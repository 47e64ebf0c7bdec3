// The Fastify server: webchat API, admin API, health, the webchat page in web/ and the staff
// console built from web/console into dist/console.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply } from 'fastify';
import type { Logger } from '../kernel/logger.ts';
import type { HttpApp, HttpContext } from './context.ts';
import { registerErrorHandling } from './errors.ts';
import { registerInputGuard } from './input-guard.ts';
import { registerPublicLimits } from './public-limits.ts';
import { recordRoutes } from './route-table.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes } from './routes/audit.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { commerceRoutes } from './routes/commerce.ts';
import { consoleRoutes } from './routes/console.ts';
import { importRoutes } from './routes/imports.ts';
import { loyaltyRoutes } from './routes/loyalty.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { webchatRoutes } from './routes/webchat.ts';
import { registerSecurityHeaders } from './security-headers.ts';

const consoleDist = resolve(import.meta.dirname, '../../dist/console');

/** The staff console: hashed assets, and its page for every /console URL (the app routes in the browser). */
function registerConsole(app: HttpApp): void {
  void app.register(fastifyStatic, {
    root: resolve(consoleDist, 'assets'),
    prefix: '/console/assets/',
    decorateReply: false,
    // Files keep their names between builds (main.js), so the browser must revalidate.
    cacheControl: false,
    setHeaders: (res) => res.header('cache-control', 'no-cache'),
  });
  const page = resolve(consoleDist, 'index.html');
  const serve = (_request: unknown, reply: FastifyReply) => {
    if (!existsSync(page)) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built yet: run `npm run build:console` (npm start and npm ci do it for you).');
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(page));
  };
  app.get('/console', serve);
  app.get('/console/*', serve);
  // The old single-page console's address keeps working for bookmarks.
  app.get('/console.html', (_request, reply) => reply.redirect('/console/', 301));
}

export type RouteModule = (app: HttpApp, ctx: HttpContext) => void;

export async function buildServer(ctx: HttpContext, log: Logger, extra: RouteModule[] = []): Promise<HttpApp> {
  const trusted = ctx.config.limits.trustProxy;
  // A hop count as a function (what proxy-addr does with a number; Fastify's types only take the function).
  const trustProxy = typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : trusted;
  const app = Fastify({ loggerInstance: log, bodyLimit: 1024 * 1024, trustProxy });
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  registerPublicLimits(app, ctx);
  registerInputGuard(app);
  recordRoutes(app);
  // web/ holds the webchat page; the console's sources there are not served, its bundle is.
  await app.register(fastifyStatic, {
    root: resolve(import.meta.dirname, '../../web'),
    prefix: '/',
    allowedPath: (pathname) => !pathname.startsWith('/console'),
  });
  registerConsole(app);
  app.get('/healthz', async () => ({ ok: true }));
  webchatRoutes(app, ctx);
  adminRoutes(app, ctx);
  loyaltyRoutes(app, ctx);
  surveyRoutes(app, ctx);
  consoleRoutes(app, ctx);
  commerceRoutes(app, ctx);
  campaignRoutes(app, ctx);
  importRoutes(app, ctx);
  auditRoutes(app, ctx);
  sessionRoutes(app, ctx);
  privacyRoutes(app, ctx);
  for (const routes of extra) routes(app, ctx);
  return app;
}
