// Per-address rate limits on the routes anyone can call without an account. Checked as the request
// arrives, before its body is read; the client address honours TRUST_PROXY (Fastify's request.ip).
import type { RateLimitedSurface } from '../crm/rate-limits.ts';
import type { HttpApp, HttpContext } from './context.ts';

/** Route (method and pattern) → the limit it counts against. */
export const limitedRoutes = new Map<string, RateLimitedSurface>([
  ['POST /api/webchat/messages', 'webchat'],
  ['POST /api/console/login', 'login'],
]);

export function registerPublicLimits(app: HttpApp, ctx: HttpContext): void {
  app.addHook('onRequest', async (request) => {
    const surface = limitedRoutes.get(`${request.method} ${request.routeOptions.url ?? ''}`);
    if (surface) await ctx.services.rateLimits.hit(surface, request.ip);
  });
}
