// Platform webhooks served for channel adapters (the WebhookHost of their AdapterPort): on the main
// HTTP server, or on a listener of their own. The secret header is checked before the body is used.
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import type { WebhookEndpoint, WebhookHost } from '../core/adapter-port.ts';
import { InvalidInputError, UnauthorizedError } from '../domain/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import type { HttpApp } from './context.ts';
import { registerErrorHandling } from './errors.ts';
import { mountSignedWebhook } from './routes/wecom.ts';

export function webhookHost(http: HttpApp, log: Logger): WebhookHost {
  return {
    mount: (endpoint) => mountWebhook(http, endpoint, log),
    mountSigned: (endpoint) => mountSignedWebhook(http, endpoint),
    async listen(endpoint, at) {
      const server = Fastify({ loggerInstance: log, bodyLimit: 1024 * 1024 });
      registerErrorHandling(server);
      mountWebhook(server, endpoint, log);
      const address = await server.listen({ host: at.host, port: at.port });
      return { address, close: () => server.close() };
    },
  };
}

function mountWebhook(http: HttpApp, endpoint: WebhookEndpoint, log: Logger): void {
  const header = endpoint.secretHeader.name.toLowerCase();
  // No request lines at info: a platform posts one update per request, and each one is already an
  // Interaction row; two log lines per update were a fifth of the webhook's time (issue 13). Refusals
  // and failures are still logged.
  http.post(endpoint.path, { logLevel: 'warn' }, async (request) => {
    const given = request.headers[header];
    if (typeof given !== 'string' || !sameSecret(given, endpoint.secretHeader.value)) {
      log.warn({ path: endpoint.path, ip: request.ip }, 'webhook call refused: missing or wrong secret header');
      throw new UnauthorizedError(`missing or wrong ${endpoint.secretHeader.name}`);
    }
    if (typeof request.body !== 'object' || request.body === null) {
      throw new InvalidInputError('expected a JSON object');
    }
    // A failure here answers 500 and the platform redelivers; the pipeline's dedupe makes that safe.
    return (await endpoint.receive(request.body)) ?? { ok: true };
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
