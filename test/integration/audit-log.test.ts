// Issue 14: the audit trail is written everywhere but nothing read it. GET /api/audit (admin) filters it
// by actor, action, record and time, newest first, paged with an opaque cursor, with names.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditResponse } from '../../src/http/schemas/audit.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('audit log API', (provider) => {
  let t: TestApp;
  let customerId = 0;
  let aliceId = 0;

  beforeEach(async () => {
    t = await createTestApp({ provider, env: { AUTO_ASSIGN: 'false' } });
    aliceId = (await addStaff(t, 'alice')).id;
    const said = await t.say('v-audit', '人工', { name: '王小明' });
    customerId = (await t.app.store.repos.conversations.get(said.conversation?.id ?? 0))?.customerId ?? 0;
  });
  afterEach(async () => {
    await t.close();
  });

  const read = async (query: string) => {
    const response = await t.admin('GET', `/api/audit${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return AuditResponse.parse(response.body);
  };

  it('lists who did what to whom, filtered by actor, action, record and time', async () => {
    const start = t.clock.now();
    await t.admin('PATCH', `/api/customers/${customerId}`, { name: '王大明' });
    t.clock.advance(60_000);
    const alice = await loginAs(t, 'alice');
    await alice('POST', `/api/customers/${customerId}/reveal`);
    await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'alice', password: 'wrong-password' },
    });

    const all = await read('');
    const newest = all.entries[0];
    expect(newest).toMatchObject({ action: 'staff.login_failed', actor: { type: 'anonymous' } });
    const reveal = all.entries.find((e) => e.action === 'customer.reveal');
    expect(reveal).toMatchObject({
      actor: { type: 'staff', id: String(aliceId), name: 'ALICE' },
      entity: { type: 'customer', id: String(customerId), name: '王大明' },
    });
    expect(all.entries.map((e) => e.id)).toEqual([...all.entries.map((e) => e.id)].sort((a, b) => b - a));

    expect((await read(`?actor=staff:${aliceId}`)).entries.map((e) => e.action)).toEqual([
      'customer.reveal',
      'staff.login',
    ]);
    expect((await read('?action=customer.update')).entries).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ type: 'admin' }), details: { fields: ['name'] } }),
    ]);
    const onCustomer = (await read(`?entity=customer:${customerId}`)).entries.map((e) => e.action);
    expect(onCustomer).toEqual(['customer.reveal', 'customer.update']);
    const later = new Date(start.getTime() + 30_000).toISOString();
    const early = (await read(`?to=${encodeURIComponent(later)}&entity=customer`)).entries.map((e) => e.action);
    expect(early).toEqual(['customer.update']);
    const late = (await read(`?from=${encodeURIComponent(later)}&entity=customer`)).entries.map((e) => e.action);
    expect(late).toEqual(['customer.reveal']);
  });

  it('pages with an opaque cursor until the first entry, each entry once', async () => {
    for (const tag of ['a', 'b', 'c', 'd', 'e']) await t.admin('POST', `/api/customers/${customerId}/tags`, { tag });
    const everything = (await read('?take=200')).entries.map((e) => e.id);
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: AuditResponse = await read(`?take=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.cursor;
    }
    expect(seen).toEqual(everything);
    expect(everything.length).toBeGreaterThanOrEqual(6);
  });

  it('is for admins only, and refuses bad filters with 400', async () => {
    const alice = await loginAs(t, 'alice');
    expect((await alice('GET', '/api/audit')).status).toBe(403);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
    for (const query of [
      '?actor=robot',
      '?action=nope',
      '?entity=planet:1',
      '?cursor=xyz',
      '?from=yesterday',
      '?x=1',
    ]) {
      const response = await t.admin('GET', `/api/audit${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });
});
