// The one error model: services throw these, the HTTP layer maps each code to a status in one place
// (src/http/errors.ts). A "no" that is a normal answer to a customer in a chat (not enough points,
// survey expired) is a result value of the service instead, not an error.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input breaks a rule a schema cannot express (e.g. merging a customer into itself). */
export class InvalidInputError extends DomainError {
  readonly code = 'invalid_request';
}

/** No valid credential. */
export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** The record does not exist, or the caller may not know that it does. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The change clashes with the record's state: a unique value already taken, or an illegal state transition. */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
}

/** Too many attempts; the caller may try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
