// Platform webhooks served for channel adapters (the WebhookHost of their AdapterPort): on the main
// HTTP server, or on a listener of their own. The secret header is checked before the body is used.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import Fastify from 'fastify';
import type { WebhookEndpoint, WebhookHost } from '../core/adapter-port.ts';
import { InvalidInputError, UnauthorizedError } from '../domain/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import type { HttpApp } from './context.ts';
import { errorAnswer, registerErrorHandling } from './errors.ts';
import { badInput } from './input-guard.ts';
import { mountSignedWebhook } from './routes/wecom.ts';
import { strictPolicy } from './security-headers.ts';

/** The largest webhook body, as Fastify's bodyLimit on both servers. */
const BODY_LIMIT = 1024 * 1024;

export function webhookHost(http: HttpApp, log: Logger): WebhookHost {
  return {
    mount: (endpoint) => mountWebhook(http, endpoint, log),
    mountSigned: (endpoint) => mountSignedWebhook(http, endpoint),
    async listen(endpoint, at) {
      const server = Fastify({ loggerInstance: log, bodyLimit: BODY_LIMIT });
      registerErrorHandling(server);
      mountWebhook(server, endpoint, log, jsonOnly);
      const address = await server.listen({ host: at.host, port: at.port });
      return { address, close: () => server.close() };
    },
  };
}

function mountWebhook(
  http: HttpApp,
  endpoint: WebhookEndpoint,
  log: Logger,
  answerHeaders: Record<string, string> = mainServerHeaders,
): void {
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
  serveDirectly(http, endpoint, log, answerHeaders);
}

/**
 * The headers of a direct webhook answer on the main server: those the route's answer carries there
 * (helmet, the strict CSP of security-headers.ts, CORS's `vary`), so that both paths answer alike; a
 * test compares them. The webhook's own listener has none of those plugins.
 */
const jsonOnly = { 'content-type': 'application/json; charset=utf-8' };
const mainServerHeaders = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  'content-security-policy': strictPolicy,
  vary: 'Origin',
  ...jsonOnly,
};

/**
 * The webhook's usual request served straight off node:http, ahead of Fastify (issue 13: Fastify's
 * hooks — CORS, helmet, the CSP, routing, a child logger per request — cost about a tenth of a
 * millisecond per update, as much as a Bot API call). Taken only when the request is exactly what the
 * platform sends: POST to the path, a JSON content type, the right secret, a declared length within
 * the body limit. Everything else — a wrong secret, another shape, no length — goes to Fastify
 * untouched, and a body that turns out not to be a plain, clean JSON object (bad JSON, a `__proto__`
 * or `constructor` key, text the input guard refuses) is handed to Fastify through `inject`, so every
 * refusal answers and logs exactly as the route does. Only a failing `receive` is answered here, with
 * the error shape of errors.ts.
 */
function serveDirectly(
  http: HttpApp,
  endpoint: WebhookEndpoint,
  log: Logger,
  answerHeaders: Record<string, string>,
): void {
  const server: Server = http.server;
  const header = endpoint.secretHeader.name.toLowerCase();
  const others = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (taken(request)) {
      void serve(request, response).catch((error: unknown) => {
        log.warn({ err: error, path: endpoint.path }, 'webhook request failed before its answer');
        response.destroy();
      });
      return;
    }
    for (const listener of others) Reflect.apply(listener, server, [request, response]);
  });

  function taken(request: IncomingMessage): boolean {
    // A closing server (no longer listening) answers through Fastify, which says 503 and closes the connection.
    if (request.method !== 'POST' || request.url !== endpoint.path || !server.listening) return false;
    const type = request.headers['content-type'];
    if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) return false;
    const length = Number(request.headers['content-length']);
    if (!Number.isInteger(length) || length <= 0 || length > BODY_LIMIT) return false;
    const given = request.headers[header];
    return typeof given === 'string' && sameSecret(given, endpoint.secretHeader.value);
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const body = plainObject(raw.toString('utf8'));
    if (!body) return viaFastify(request, response, raw);
    let answer: object;
    try {
      answer = (await endpoint.receive(body)) ?? { ok: true };
    } catch (error) {
      const failed = errorAnswer(error);
      if (failed.internal) log.error({ err: error, path: endpoint.path }, 'request failed');
      const headers = failed.retryAfter ? { ...answerHeaders, 'retry-after': failed.retryAfter } : answerHeaders;
      return reply(response, failed.status, failed.body, headers);
    }
    reply(response, 200, answer, answerHeaders);
  }

  /** The route's own answer for a body the direct path does not take (the request's body already read). */
  async function viaFastify(request: IncomingMessage, response: ServerResponse, payload: Buffer): Promise<void> {
    const injected = await http.inject({
      method: 'POST',
      url: request.url ?? endpoint.path,
      headers: request.headers,
      payload,
      remoteAddress: request.socket.remoteAddress ?? '127.0.0.1',
    });
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(injected.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    }
    response.writeHead(injected.statusCode, headers);
    response.end(injected.rawPayload);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('aborted', () => reject(new Error('the request was aborted')));
  });
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function reply(response: ServerResponse, status: number, body: object, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The body as a plain JSON object the input guard accepts; undefined for anything the route should judge. */
function plainObject(text: string): object | undefined {
  // As Fastify's parser (secure-json-parse) does, a prototype key refuses the body: the route says so.
  if (text.includes('__proto__') || text.includes('constructor')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return badInput(value, 'body') === null ? value : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
