// The webhook endpoint: POST <path of TELEGRAM_WEBHOOK_URL>. Telegram sends the secret chosen at
// setWebhook in X-Telegram-Bot-Api-Secret-Token; anything else is refused before it is read.
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import type { HttpApp } from '../../src/http/context.ts';
import { HttpError, registerErrorHandling } from '../../src/http/errors.ts';
import type { Logger } from '../../src/kernel/logger.ts';

export interface WebhookOptions {
  url: string;
  secret: string;
  onUpdate: (update: unknown) => Promise<unknown>;
}

export function webhookPath(url: string): string {
  return new URL(url).pathname || '/';
}

export function mountWebhook(http: HttpApp, options: WebhookOptions): void {
  http.post(webhookPath(options.url), async (request) => {
    const given = request.headers['x-telegram-bot-api-secret-token'];
    if (typeof given !== 'string' || !sameSecret(given, options.secret)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    if (typeof request.body !== 'object' || request.body === null) {
      throw new HttpError(400, 'invalid_request', 'expected a Telegram update (JSON object)');
    }
    // A failure here answers 500 and Telegram redelivers; the pipeline's dedupe makes that safe.
    await options.onUpdate(request.body);
    return { ok: true };
  });
}

/** The webhook on its own port (TELEGRAM_WEBHOOK_PORT), e.g. when only that port is exposed publicly. */
export async function listenWebhook(
  options: WebhookOptions & { host: string; port: number; log: Logger },
): Promise<{ close(): Promise<void>; address: string }> {
  const server = Fastify({ loggerInstance: options.log, bodyLimit: 1024 * 1024 });
  registerErrorHandling(server);
  mountWebhook(server, options);
  const address = await server.listen({ host: options.host, port: options.port });
  return { address, close: () => server.close() };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
