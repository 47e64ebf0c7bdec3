// The Fastify server: webchat API, admin API, health, the webchat page in web/ with the widget
// built from web/widget into dist/widget, and the staff console built from web/console into dist/console.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply } from 'fastify';
import type { Logger } from '../kernel/logger.ts';
import type { HttpApp, HttpContext } from './context.ts';
import { registerErrorHandling } from './errors.ts';
import { registerInputGuard } from './input-guard.ts';
import { registerPublicLimits } from './public-limits.ts';
import { recordRoutes } from './route-table.ts';
import { adminRoutes } from './routes/admin.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { auditRoutes } from './routes/audit.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { commerceRoutes } from './routes/commerce.ts';
import { consoleRoutes } from './routes/console.ts';
import { importRoutes } from './routes/imports.ts';
import { loyaltyRoutes } from './routes/loyalty.ts';
import { mergeRoutes } from './routes/merges.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { webchatRoutes } from './routes/webchat.ts';
import { wecomContactRoutes } from './routes/wecom-contacts.ts';
import { registerSecurityHeaders } from './security-headers.ts';

const consoleDist = resolve(import.meta.dirname, '../../dist/console');
const widgetBundle = resolve(import.meta.dirname, '../../dist/widget/widget.js');

/**
 * The webchat widget's script, for any page that embeds it (a classic <script>, so no CORS), and
 * CORS on the webchat API for the shop's other sites (WEBCHAT_ALLOWED_ORIGINS): the widget there
 * calls this server with the visitor's secret header; no cookies are involved.
 */
function registerWidget(app: HttpApp, allowedOrigins: string[]): void {
  void app.register(fastifyCors, {
    hook: 'onRequest',
    delegator: (request, callback) => {
      const webchat = (request.url ?? '').startsWith('/api/webchat/');
      callback(null, {
        origin: webchat && allowedOrigins.length ? allowedOrigins : false,
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type', 'x-visitor-secret', 'last-event-id'],
        credentials: false,
        maxAge: 600,
      });
    },
  });
  app.get('/widget.js', (_request, reply) => {
    if (!existsSync(widgetBundle)) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The widget is not built yet: run `npm run build:web` (npm start and npm ci do it for you).');
    }
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(readFileSync(widgetBundle));
  });
}

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
  // Uploads (webchat photos): one file per request, size checked by the route against UPLOAD_MAX_MB.
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 0, parts: 1 } });
  // web/ holds the webchat page; the console's sources there are not served, its bundle is.
  await app.register(fastifyStatic, {
    root: resolve(import.meta.dirname, '../../web'),
    prefix: '/',
    allowedPath: (pathname) => !pathname.startsWith('/console') && !pathname.startsWith('/widget/'),
  });
  registerConsole(app);
  registerWidget(app, ctx.config.webchat.allowedOrigins);
  app.get('/healthz', async () => ({ ok: true }));
  webchatRoutes(app, ctx);
  adminRoutes(app, ctx);
  mergeRoutes(app, ctx);
  attachmentRoutes(app, ctx);
  loyaltyRoutes(app, ctx);
  surveyRoutes(app, ctx);
  consoleRoutes(app, ctx);
  commerceRoutes(app, ctx);
  campaignRoutes(app, ctx);
  importRoutes(app, ctx);
  auditRoutes(app, ctx);
  sessionRoutes(app, ctx);
  privacyRoutes(app, ctx);
  wecomContactRoutes(app, ctx);
  for (const routes of extra) routes(app, ctx);
  return app;
}
