// One error shape for every endpoint: { error: { code, message } } with a 4xx/5xx status.
import type { FastifyError } from 'fastify';
import { ZodError } from 'zod';
import { IllegalTransitionError } from '../crm/conversations.ts';
import { NotFoundError } from '../crm/customers.ts';
import { DeskForbiddenError } from '../crm/staff-desk.ts';
import type { HttpApp } from './context.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function zodMessage(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function registerErrorHandling(app: HttpApp): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ZodError) {
      return reply.status(400).send({ error: { code: 'invalid_request', message: zodMessage(error) } });
    }
    if (error instanceof HttpError) {
      return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
    }
    if (error instanceof NotFoundError) {
      return reply.status(404).send({ error: { code: 'not_found', message: error.message } });
    }
    if (error instanceof DeskForbiddenError) {
      return reply.status(403).send({ error: { code: 'forbidden', message: error.message } });
    }
    if (error instanceof IllegalTransitionError) {
      return reply.status(409).send({ error: { code: 'conflict', message: error.message } });
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
