// Issue 14, finding 2 and the PIPL phone rule: an agent reaches a customer only through a conversation
// waiting in the queue or assigned to them (404 otherwise, on the profile and every sub-resource);
// customer search is admin-only; agents edit name/phone/tags/notes only, adjust points within
// AGENT_POINTS_LIMIT, read phones masked and reveal them with an audit entry; consent is granted only
// by the customer, withdrawn by the customer or an admin.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('staff scope', (provider) => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bruce: Awaited<ReturnType<typeof loginAs>>;
  /** waiting: a customer whose chat waits in the queue; other: one who only talked to the bot. */
  const ids = { waiting: 0, other: 0, conversation: 0 };

  beforeEach(async () => {
    t = await createTestApp({ provider, env: { AUTO_ASSIGN: 'false', AGENT_POINTS_LIMIT: '500' } });
    await addStaff(t, 'alice');
    await addStaff(t, 'bruce');
    alice = await loginAs(t, 'alice');
    bruce = await loginAs(t, 'bruce');
    const waiting = await t.say('v-waiting', '人工', { name: '王小明' });
    ids.conversation = waiting.conversation?.id ?? 0;
    await t.say('v-other', '你好', { name: '李四' });
    const conversation = await t.app.store.repos.conversations.get(ids.conversation);
    ids.waiting = conversation?.customerId ?? 0;
    const list = (await t.admin('GET', '/api/customers?q=李四')).body as { customers: { id: number }[] };
    ids.other = list.customers[0]?.id ?? 0;
    expect(ids.other).toBeGreaterThan(0);
    expect(ids.other).not.toBe(ids.waiting);
    for (const [id, phone] of [
      [ids.waiting, '13812345678'],
      [ids.other, '13987654321'],
    ] as const) {
      expect((await t.admin('PATCH', `/api/customers/${id}`, { phone })).status).toBe(200);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers 404 for a customer outside the agent’s conversations, on the profile and every sub-resource', async () => {
    const other = ids.other;
    const attempts: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]> = [
      ['GET', `/api/customers/${other}`],
      ['GET', `/api/customers/${other}/points`],
      ['GET', `/api/customers/${other}/points.csv`],
      ['POST', `/api/customers/${other}/points/adjust`, { amount: 10, reason: '补偿' }],
      ['POST', `/api/customers/${other}/reveal`],
      ['PATCH', `/api/customers/${other}`, { name: '改名' }],
      ['POST', `/api/customers/${other}/tags`, { tag: 'VIP' }],
      ['DELETE', `/api/customers/${other}/tags/VIP`],
      ['POST', `/api/customers/${other}/notes`, { text: '看看' }],
    ];
    for (const [method, url, body] of attempts) {
      const response = await alice(method, url, body);
      expect(response.status, `${method} ${url}`).toBe(404);
      expect(response.body).toMatchObject({ error: { code: 'not_found' } });
    }
    // The customer's cases too: unknown to the agent, who lists cases one customer in scope at a time.
    const { case: opened } = await t.app.services.cases.open({
      type: 'complaint',
      customerId: other,
      dedupeKey: 'scope-test',
    });
    for (const [method, url, body] of [
      ['GET', `/api/cases/${opened.caseNo}`],
      ['GET', `/api/cases?customerId=${other}`],
      ['PATCH', `/api/cases/${opened.caseNo}`, { status: 'resolved' }],
      ['POST', `/api/cases/${opened.caseNo}/notes`, { text: '看看' }],
    ] as const) {
      expect((await alice(method, url, body)).status, `${method} ${url}`).toBe(404);
    }
    expect((await alice('GET', '/api/cases')).status).toBe(403);
    expect((await t.admin('GET', `/api/cases/${opened.caseNo}`)).body).toMatchObject({ status: 'open', notes: [] });
    // Nothing was written: the name, tags, notes and ledger are as before.
    const profile = (await t.admin('GET', `/api/customers/${other}`)).body;
    expect(profile).toMatchObject({ name: '李四', tags: [], notes: [], pointsBalance: 0, phone: '13987654321' });
    // The admin reaches everyone.
    expect((await t.admin('GET', `/api/customers/${other}/points`)).status).toBe(200);
  });

  it('lets every agent see a waiting customer, and only the owner once the chat is taken', async () => {
    expect((await bruce('GET', `/api/customers/${ids.waiting}`)).status).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${ids.conversation}/take`)).status).toBe(200);
    expect((await alice('GET', `/api/customers/${ids.waiting}`)).status).toBe(200);
    expect((await bruce('GET', `/api/customers/${ids.waiting}`)).status).toBe(404);
  });

  it('keeps customer search and listing for admins', async () => {
    const searched = await alice('GET', '/api/customers?q=138');
    expect(searched.status).toBe(403);
    expect(searched.body).toMatchObject({ error: { code: 'forbidden' } });
    expect((await alice('GET', '/api/customers')).status).toBe(403);
    const admin = (await t.admin('GET', '/api/customers?q=13812345678')).body as { customers: { id: number }[] };
    expect(admin.customers.map((c) => c.id)).toEqual([ids.waiting]);
  });

  it('shows agents masked phones, and reveals one with an audit entry', async () => {
    const profile = await alice('GET', `/api/customers/${ids.waiting}`);
    expect(profile.body).toMatchObject({ phone: '138****5678' });
    expect(JSON.stringify(profile.body)).not.toContain('13812345678');
    const view = await alice('GET', `/api/console/conversations/${ids.conversation}`);
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).not.toContain('13812345678');
    expect(JSON.stringify(view.body)).toContain('138****5678');
    // Admins read the number as it is.
    expect((await t.admin('GET', `/api/customers/${ids.waiting}`)).body).toMatchObject({ phone: '13812345678' });

    const revealed = await alice('POST', `/api/customers/${ids.waiting}/reveal`);
    expect(revealed).toEqual({ status: 200, body: { phone: '13812345678' } });
    const trail = await t.app.store.repos.audit.forEntity('customer', String(ids.waiting));
    const alicesId = (await t.app.store.repos.staff.byUsername('alice'))?.id;
    expect(trail).toContainEqual(
      expect.objectContaining({ action: 'customer.reveal', actorType: 'staff', actorId: String(alicesId) }),
    );
  });

  it('lets agents edit name, phone, tags and notes in scope, nothing else', async () => {
    const renamed = await alice('PATCH', `/api/customers/${ids.waiting}`, { name: '王大明', phone: '13700001111' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '王大明', phone: '137****1111' });
    expect((await alice('POST', `/api/customers/${ids.waiting}/tags`, { tag: '老客' })).status).toBe(200);
    expect((await alice('DELETE', `/api/customers/${ids.waiting}/tags/老客`)).status).toBe(200);
    expect((await alice('POST', `/api/customers/${ids.waiting}/notes`, { text: '喜欢蓝色' })).status).toBe(201);
    for (const patch of [
      { tier: 'gold' },
      { marketingOptIn: false },
      { email: 'a@b.cn' },
      { orderNotifications: false },
    ]) {
      const refused = await alice('PATCH', `/api/customers/${ids.waiting}`, patch);
      expect(refused.status, JSON.stringify(patch)).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    const after = (await t.admin('GET', `/api/customers/${ids.waiting}`)).body;
    expect(after).toMatchObject({ tier: 'normal', phone: '13700001111' });
    // Tier changes are the admin's.
    expect((await t.admin('PATCH', `/api/customers/${ids.waiting}`, { tier: 'gold' })).status).toBe(200);
  });

  it('lets only the customer grant marketing consent; an admin may withdraw it, an agent not at all', async () => {
    // The customer talks to the bot (a chat waiting for staff is with staff, not the menu).
    const other = ids.other;
    const consent = async () =>
      ((await t.admin('GET', `/api/customers/${other}`)).body as { marketingOptIn: boolean }).marketingOptIn;
    await t.say('v-other', '订阅');
    expect(await consent()).toBe(true);
    await t.say('v-other', '退订');
    expect(await consent()).toBe(false);
    // Staff cannot undo a customer's 退订.
    const regrant = await t.admin('PATCH', `/api/customers/${other}`, { marketingOptIn: true });
    expect(regrant.status).toBe(403);
    expect(regrant.body).toMatchObject({ error: { code: 'forbidden' } });
    expect(await consent()).toBe(false);
    await t.say('v-other', '订阅');
    expect(await consent()).toBe(true);
    expect((await t.admin('PATCH', `/api/customers/${other}`, { marketingOptIn: false })).status).toBe(200);
    expect(await consent()).toBe(false);
    // An agent changes it neither way, even for a customer in scope.
    for (const marketingOptIn of [true, false]) {
      expect((await alice('PATCH', `/api/customers/${ids.waiting}`, { marketingOptIn })).status).toBe(403);
    }
  });

  it('lets agents adjust points within AGENT_POINTS_LIMIT, audited; admins without a limit', async () => {
    const url = `/api/customers/${ids.waiting}/points/adjust`;
    expect((await alice('POST', url, { amount: 500, reason: '补偿运费' })).status).toBe(201);
    const tooMuch = await alice('POST', url, { amount: 501, reason: '补偿运费' });
    expect(tooMuch.status).toBe(403);
    expect((await alice('POST', url, { amount: -501, reason: '扣回' })).status).toBe(403);
    expect((await alice('POST', url, { amount: 10_000_000, reason: '随便' })).status).toBe(403);
    expect((await t.admin('POST', url, { amount: 5000, reason: '活动奖励' })).status).toBe(201);
    const ledger = (await t.admin('GET', `/api/customers/${ids.waiting}/points`)).body as { balance: number };
    expect(ledger.balance).toBe(5500);
    const adjustments = (await t.app.store.repos.audit.forEntity('customer', String(ids.waiting))).filter(
      (entry) => entry.action === 'points.adjust',
    );
    expect(adjustments.map((entry) => entry.actorType).sort()).toEqual(['admin', 'staff']);
  });
});
