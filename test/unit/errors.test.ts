// The one error model: every domain error (and the subclasses services throw) reaches the client as the
// contract's { error: { code, message } } with its status, through the server's own error handler; so do
// zod failures and Fastify's own 4xx.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CampaignStateError } from '../../src/crm/campaigns.ts';
import { IllegalTransitionError } from '../../src/crm/conversations.ts';
import { InsufficientPointsError } from '../../src/crm/loyalty.ts';
import { DeskForbiddenError } from '../../src/crm/staff-desk.ts';
import { UniqueViolationError } from '../../src/db/repositories/errors.ts';
import * as errors from '../../src/domain/errors.ts';
import type { HttpApp } from '../../src/http/context.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { silentLogger } from '../../src/kernel/logger.ts';

/** The contract's table (ARCHITECTURE.md §10), written out here rather than read from the code under test. */
const contract: Array<{ name: string; make: () => Error; status: number; code: string }> = [
  { name: 'InvalidInputError', make: () => new errors.InvalidInputError('bad'), status: 400, code: 'invalid_request' },
  { name: 'UnauthorizedError', make: () => new errors.UnauthorizedError('who'), status: 401, code: 'unauthorized' },
  { name: 'ForbiddenError', make: () => new errors.ForbiddenError('no'), status: 403, code: 'forbidden' },
  { name: 'NotFoundError', make: () => new errors.NotFoundError('case X'), status: 404, code: 'not_found' },
  { name: 'ConflictError', make: () => new errors.ConflictError('taken'), status: 409, code: 'conflict' },
  {
    name: 'PayloadTooLargeError',
    make: () => new errors.PayloadTooLargeError('big'),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'RateLimitedError',
    make: () => new errors.RateLimitedError('slow down', 30),
    status: 429,
    code: 'rate_limited',
  },
  // What services throw, by the base class they extend.
  { name: 'DeskForbiddenError', make: () => new DeskForbiddenError('mine'), status: 403, code: 'forbidden' },
  {
    name: 'IllegalTransitionError',
    make: () => new IllegalTransitionError('take', 'resolved'),
    status: 409,
    code: 'conflict',
  },
  { name: 'CampaignStateError', make: () => new CampaignStateError('draft'), status: 409, code: 'conflict' },
  { name: 'InsufficientPointsError', make: () => new InsufficientPointsError(5, 10), status: 409, code: 'conflict' },
  {
    name: 'UniqueViolationError',
    make: () => new UniqueViolationError('a staff with this username already exists', null),
    status: 409,
    code: 'conflict',
  },
  {
    name: 'ZodError',
    make: () => z.object({ a: z.string() }).safeParse({}).error ?? new Error(),
    status: 400,
    code: 'invalid_request',
  },
];

describe('HTTP error mapping', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = Fastify({ loggerInstance: silentLogger, bodyLimit: 1024 });
    registerErrorHandling(app);
    for (const { name, make } of contract) {
      app.get(`/throw/${name}`, async () => {
        throw make();
      });
    }
    app.post('/echo', async (request) => ({ body: request.body }));
    app.get('/boom', async () => {
      throw new Error('database on fire');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('covers every domain error class', () => {
    const domainErrors = Object.entries(errors)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof errors.DomainError)
      .map(([name]) => name);
    expect(domainErrors.length).toBeGreaterThan(0);
    expect(contract.map((c) => c.name)).toEqual(expect.arrayContaining(domainErrors));
  });

  it.each(contract)('$name answers $status $code', async ({ name, status, code }) => {
    const res = await app.inject({ method: 'GET', url: `/throw/${name}` });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('tells a rate-limited caller when to come back', async () => {
    const res = await app.inject({ method: 'GET', url: '/throw/RateLimitedError' });
    expect(res.headers['retry-after']).toBe('30');
  });

  it("maps Fastify's own 4xx: bad JSON and a wrong content type are invalid requests, a huge body is too large", async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect([badJson.statusCode, badJson.json().error.code]).toEqual([400, 'invalid_request']);
    const wrongType = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'hello',
    });
    expect([wrongType.statusCode, wrongType.json().error.code]).toEqual([400, 'invalid_request']);
    const huge = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(2048) }),
    });
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'payload_too_large']);
  });

  it('answers anything else 500 without the internal message', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(JSON.stringify(res.json())).not.toContain('fire');
  });
});
