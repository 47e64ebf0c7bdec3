// One error shape for every endpoint: { error: { code, message } } with a 4xx/5xx status. Services
// throw the domain errors of src/domain/errors.ts; this is the one place they become HTTP.
import type { FastifyError } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, type ErrorCode, RateLimitedError } from '../domain/errors.ts';
import type { HttpApp } from './context.ts';

/** The HTTP status of each error code (the contract's table, ARCHITECTURE.md §10). */
export const httpStatus: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
};

/** Fastify's own 4xx (bad JSON, wrong content type, body too large…) by status; anything else is bad input. */
const codeOfStatus = new Map<number, ErrorCode>([
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [404, 'not_found'],
  [409, 'conflict'],
  [413, 'payload_too_large'],
  [429, 'rate_limited'],
]);

export function zodMessage(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function registerErrorHandling(app: HttpApp): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const send = (code: ErrorCode, message: string) =>
      reply.status(httpStatus[code]).send({ error: { code, message } });
    if (error instanceof ZodError) return send('invalid_request', zodMessage(error));
    if (error instanceof DomainError) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(Math.ceil(error.retryAfterSeconds)));
      return send(error.code, error.message);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) return send(codeOfStatus.get(status) ?? 'invalid_request', error.message);
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
