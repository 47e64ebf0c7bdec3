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

/** What an error answers: its status and `{ error }` body, Retry-After for a rate limit; `internal` is a 500 to log. */
export interface ErrorAnswer {
  status: number;
  body: { error: { code: ErrorCode | 'internal'; message: string } };
  retryAfter?: string;
  internal: boolean;
}

export function errorAnswer(error: unknown): ErrorAnswer {
  const answer = (code: ErrorCode, message: string): ErrorAnswer => ({
    status: httpStatus[code],
    body: { error: { code, message } },
    internal: false,
  });
  if (error instanceof ZodError) return answer('invalid_request', zodMessage(error));
  if (error instanceof DomainError) {
    const domain = answer(error.code, error.message);
    if (error instanceof RateLimitedError) domain.retryAfter = String(Math.ceil(error.retryAfterSeconds));
    return domain;
  }
  const known = typeof error === 'object' && error !== null;
  const status = known && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (known && status >= 400 && status < 500) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return answer(codeOfStatus.get(status) ?? 'invalid_request', message);
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } }, internal: true };
}

export function registerErrorHandling(app: HttpApp): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const answer = errorAnswer(error);
    if (answer.retryAfter !== undefined) reply.header('retry-after', answer.retryAfter);
    if (answer.internal) request.log.error({ err: error }, 'request failed');
    return reply.status(answer.status).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
