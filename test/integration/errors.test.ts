// The error model through real routes on both databases: a value already taken, an illegal state move
// and a rule the input breaks answer their 4xx code, never 500, and write nothing.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('error model through the routes', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  it('a username already taken answers 409 conflict and creates no second account', async () => {
    const kim = { username: 'kim', name: 'Kim', password: 'kim-password' };
    expect((await t.admin('POST', '/api/console/staff', kim)).status).toBe(201);
    const again = await t.admin('POST', '/api/console/staff', { ...kim, name: 'Another Kim' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'conflict', message: expect.stringContaining('username') } });
    const staff = (await t.app.services.staff.list()).filter((s) => s.username === 'kim');
    expect(staff.map((s) => s.name)).toEqual(['Kim']);
    const audit = await t.app.store.repos.audit.recent(50, 'staff.create');
    expect(audit).toHaveLength(1);
  });

  it('a segment name already taken answers 409 conflict', async () => {
    const segment = { name: 'club', rules: { type: 'tag', tag: 'vip-club' } };
    expect((await t.admin('POST', '/api/segments', segment)).status).toBe(201);
    const again = await t.admin('POST', '/api/segments', segment);
    expect([again.status, again.body]).toEqual([409, { error: { code: 'conflict', message: expect.any(String) } }]);
  });

  it('pausing a draft campaign answers 409 conflict and leaves it a draft', async () => {
    const created = await t.admin('POST', '/api/campaigns', {
      name: 'draft',
      audience: { rules: { type: 'consent', optIn: true } },
      message: { text: 'hello {name}' },
      channels: ['webchat'],
      draft: true,
    });
    expect(created.status).toBe(201);
    const id = typeof created.body === 'object' && created.body !== null && 'id' in created.body ? created.body.id : 0;
    const paused = await t.admin('POST', `/api/campaigns/${id}/pause`);
    expect([paused.status, paused.body]).toEqual([
      409,
      { error: { code: 'conflict', message: 'cannot pause a campaign that is draft' } },
    ]);
    expect((await t.admin('GET', `/api/campaigns/${id}`)).body).toMatchObject({ status: 'draft' });
  });

  it('taking points a customer does not have answers 409 conflict', async () => {
    await t.say('v-points', '/start');
    const id = (await t.app.store.repos.customers.findIdentity('webchat', 'v-points'))?.customerId;
    const res = await t.admin('POST', `/api/customers/${id}/points/adjust`, { amount: -50, reason: '扣回' });
    expect([res.status, res.body]).toEqual([409, { error: { code: 'conflict', message: expect.any(String) } }]);
    expect(await t.app.services.loyalty.balance(id ?? -1)).toBe(0);
  });

  it('merging a customer into itself is a bad request, not a server error', async () => {
    await t.say('v-self', '/start');
    const id = (await t.app.store.repos.customers.findIdentity('webchat', 'v-self'))?.customerId;
    const res = await t.admin('POST', '/api/merges', { sourceId: id, targetId: id });
    expect([res.status, res.body]).toEqual([400, { error: { code: 'invalid_request', message: expect.any(String) } }]);
  });

  it('malformed JSON answers 400 invalid_request', async () => {
    const res = await t.admin('POST', '/api/segments', '{"name":');
    expect([res.status, res.body]).toEqual([400, { error: { code: 'invalid_request', message: expect.any(String) } }]);
  });
});
