// Security headers on every response (@fastify/helmet): a CSP without inline script, no framing of
// the console or the API, nosniff, no referrer. The webchat page and its scripts are the exception:
// shops put the chat on their own sites, so other origins may frame the page and load the scripts.
import helmet from '@fastify/helmet';
import type { HttpApp } from './context.ts';

const directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  // Preact and Chart.js set element styles from script; no inline <script> is ever allowed.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Paths another site may embed: the webchat page, its assets and the widget loader. */
export const embeddablePaths = new Set(['/', '/index.html', '/widget.js']);

function policy(frameAncestors: string[]): string {
  return Object.entries({ ...directives, 'frame-ancestors': frameAncestors })
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The CSP of every response but the embeddable ones. */
export const strictPolicy = policy(["'none'"]);

export async function registerSecurityHeaders(app: HttpApp): Promise<void> {
  await app.register(helmet, {
    global: true,
    // Set by hand below: helmet would add upgrade-insecure-requests, which breaks plain-HTTP shops on a LAN.
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const strict = strictPolicy;
  const embeddable = policy(['*']);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (embeddablePaths.has(path)) {
      reply.raw.setHeader('content-security-policy', embeddable);
      reply.raw.setHeader('cross-origin-resource-policy', 'cross-origin');
      reply.raw.removeHeader('x-frame-options');
      return;
    }
    reply.raw.setHeader('content-security-policy', strict);
  });
}
