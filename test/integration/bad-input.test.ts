// Bad input (issue 14, finding 5) through the real routes on both databases: NUL bytes and broken
// Unicode are refused with 400 before any database call (PostgreSQL used to answer 500 inside a
// transaction), on the public webchat and login as on the admin API; segment rule trees have a
// depth and size limit.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SEGMENT_MAX_DEPTH, SEGMENT_MAX_NODES } from '../../src/domain/segment-rules.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

const invalid = { error: { code: 'invalid_request', message: expect.any(String) } };

function nestedNot(depth: number): unknown {
  let rule: unknown = { type: 'tag', tag: 'vip' };
  for (let i = 1; i < depth; i++) rule = { type: 'not', rule };
  return rule;
}

describeEachProvider('bad input', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  it('a NUL byte in a webchat message answers 400 and creates no customer', async () => {
    const res = await t.say('v-nul', 'hello\u0000world');
    expect([res.status, res.raw]).toEqual([400, invalid]);
    expect(await t.app.store.repos.customers.findIdentity('webchat', 'v-nul')).toBeNull();
  });

  it('a lone surrogate in a webchat message answers 400', async () => {
    const res = await t.say('v-surrogate', 'broken \ud83d text');
    expect([res.status, res.raw]).toEqual([400, invalid]);
    expect(await t.app.store.repos.customers.findIdentity('webchat', 'v-surrogate')).toBeNull();
  });

  it('a NUL byte in the login answers 400, not 500', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'admin\u0000', password: 'x' },
    });
    expect([res.statusCode, res.json()]).toEqual([400, invalid]);
  });

  it('NUL in a path or query answers 400', async () => {
    expect(await t.admin('GET', '/api/orders/A%00B')).toEqual({ status: 400, body: invalid });
    expect(await t.admin('GET', '/api/customers?q=%00')).toEqual({ status: 400, body: invalid });
  });

  it('NUL in an object key or a nested admin field answers 400 and writes nothing', async () => {
    const res = await t.admin('POST', '/api/segments', { name: 'a\u0000b', rules: { type: 'tag', tag: 'vip' } });
    expect(res).toEqual({ status: 400, body: invalid });
    const product = await t.admin('PUT', '/api/products/TEA-1', {
      name: '茶',
      price: 100,
      stock: 1,
      attributes: { 'bad\u0000key': 'x' },
    });
    expect(product).toEqual({ status: 400, body: invalid });
    expect((await t.admin('GET', '/api/segments')).body).toMatchObject({ segments: [] });
    expect((await t.admin('GET', '/api/products')).body).toMatchObject({ products: [] });
  });

  it('JSON nested thousands deep answers 400', async () => {
    const res = await t.admin('POST', '/api/segments/preview', `{"rules":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(res).toEqual({ status: 400, body: invalid });
  });

  it(`segment rules nest at most ${SEGMENT_MAX_DEPTH} levels and hold at most ${SEGMENT_MAX_NODES} rules`, async () => {
    const ok = await t.admin('POST', '/api/segments', { name: 'deep-ok', rules: nestedNot(SEGMENT_MAX_DEPTH) });
    expect(ok.status).toBe(201);
    const deep = await t.admin('POST', '/api/segments', { name: 'too-deep', rules: nestedNot(SEGMENT_MAX_DEPTH + 1) });
    expect(deep).toEqual({ status: 400, body: invalid });
    const preview = await t.admin('POST', '/api/segments/preview', { rules: nestedNot(SEGMENT_MAX_DEPTH + 1) });
    expect(preview).toEqual({ status: 400, body: invalid });
    const leaves = Array.from({ length: 40 }, (_, i) => ({ type: 'tag', tag: `t${i}` }));
    const wide = { type: 'or', rules: Array.from({ length: 5 }, () => ({ type: 'and', rules: leaves })) };
    const big = await t.admin('POST', '/api/segments', { name: 'too-big', rules: wide });
    expect(big).toEqual({ status: 400, body: invalid });
    const campaign = await t.admin('POST', '/api/campaigns', {
      name: 'deep',
      audience: { rules: nestedNot(SEGMENT_MAX_DEPTH + 1) },
      message: { text: 'hi' },
      channels: ['webchat'],
      draft: true,
    });
    expect(campaign).toEqual({ status: 400, body: invalid });
    const names = (await t.app.services.segments.list()).map((s) => s.name);
    expect(names).toEqual(['deep-ok']);
  });
});
