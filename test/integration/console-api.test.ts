// The staff console API: login, authorization (agents see the queue and their own chats only),
// take/reply/note/canned/transfer/release/resolve with audit, delivery to the customer, metrics.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('staff console API', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider });
    await addStaff(t, 'alice');
    await addStaff(t, 'bruce');
    await addStaff(t, 'boss', { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const customerMessages = async (visitorId: string) => {
    await t.app.sender.drainChannel('webchat');
    return (await t.thread(visitorId)).messages;
  };

  it('refuses a wrong password and audits the attempt', async () => {
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'alice', password: 'nope-nope' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const audit = await t.app.store.repos.audit.recent(10, 'staff.login_failed');
    expect(audit[0]?.details).toMatchObject({ username: 'alice' });
    const noSession = await t.app.http.inject({ method: 'GET', url: '/api/console/queue' });
    expect(noSession.statusCode).toBe(401);
  });

  it('runs a complaint from queue to resolution with every action audited', async () => {
    const alice = await loginAs(t, 'alice');
    const bruce = await loginAs(t, 'bruce');
    await t.say('v-desk', '商品质量太差了，我要投诉！');
    const queue = await alice('GET', '/api/console/queue');
    const [item] = queue.body.conversations;
    expect(item).toMatchObject({ status: 'pending', customer: { tier: 'normal' }, chat: { channel: 'webchat' } });
    const id: number = item.id;

    expect((await alice('POST', `/api/console/conversations/${id}/take`)).body.conversation).toMatchObject({
      status: 'open',
    });
    // Bruce no longer sees it, cannot read it, cannot act on it.
    expect((await bruce('GET', '/api/console/queue')).body.conversations).toEqual([]);
    expect((await bruce('GET', `/api/console/conversations/${id}`)).status).toBe(404);
    expect((await bruce('POST', `/api/console/conversations/${id}/reply`, { text: 'hi' })).status).toBe(404);

    const view = await alice('GET', `/api/console/conversations/${id}`);
    expect(view.body.identities[0]).toMatchObject({ channel: 'webchat', externalId: 'v-desk' });
    expect(view.body.cases[0]).toMatchObject({ type: 'complaint', status: 'open' });
    expect(view.body.messages.map((m: { text: string }) => m.text)).toContain('商品质量太差了，我要投诉！');

    t.clock.advance(MINUTE);
    expect(
      (await alice('POST', `/api/console/conversations/${id}/reply`, { text: '非常抱歉，我马上处理' })).status,
    ).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${id}/notes`, { text: '内部：已联系仓库' })).status).toBe(
      201,
    );
    const admin = await t.admin('PUT', '/api/console/canned/sorry', {
      text: '再次抱歉，已为您补发。',
      textEn: 'Sorry again, resent.',
    });
    expect(admin.status).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${id}/reply`, { shortcut: 'sorry' })).status).toBe(200);
    const texts = (await customerMessages('v-desk')).filter((m) => m.from === 'staff').map((m) => m.text);
    expect(texts).toEqual(['非常抱歉，我马上处理', '再次抱歉，已为您补发。']);
    expect(JSON.stringify(await customerMessages('v-desk'))).not.toContain('内部');

    const bruceId = (await t.app.store.repos.staff.byUsername('bruce'))?.id;
    expect((await alice('POST', `/api/console/conversations/${id}/transfer`, { staffId: bruceId })).status).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${id}/resolve`)).status).toBe(404);
    const resolved = await bruce('POST', `/api/console/conversations/${id}/resolve`);
    expect(resolved.body.conversation).toMatchObject({ status: 'resolved' });
    expect((await t.app.store.repos.desk.casesForConversation(id))[0]?.status).toBe('resolved');

    const audit = (await t.app.store.repos.audit.forEntity('conversation', String(id))).map((a) => a.action);
    for (const action of [
      'conversation.take',
      'conversation.reply',
      'conversation.note',
      'conversation.transfer',
      'conversation.resolve',
    ]) {
      expect(audit).toContain(action);
    }

    const metrics = await t.admin('GET', '/api/console/metrics?days=1');
    expect(metrics.status).toBe(200);
    const day = (metrics.body as { days: Array<Record<string, unknown>> }).days[0];
    expect(day).toMatchObject({
      day: '2026-03-02',
      escalated: 1,
      complaints: 1,
      complaintsResolved: 1,
      avgFirstResponseSeconds: 60,
    });
  });

  it('release hands the chat back to the bot', async () => {
    const alice = await loginAs(t, 'alice');
    const res = await t.say('v-rel', '人工');
    const id = res.conversation?.id;
    await alice('POST', `/api/console/conversations/${id}/take`);
    expect((await alice('POST', `/api/console/conversations/${id}/release`)).body.conversation.status).toBe('bot');
    expect((await t.say('v-rel', '帮助')).text).toContain('我可以帮你');
  });

  it('agents cannot create staff; admins can, and issued tokens work', async () => {
    const alice = await loginAs(t, 'alice');
    expect((await alice('POST', '/api/console/staff', { username: 'eve', name: 'Eve' })).status).toBe(403);
    const created = await t.admin('POST', '/api/console/staff', {
      username: 'carol',
      name: 'Carol',
      password: 'carol-password',
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('passwordHash');
    const id = (created.body as { id: number }).id;
    const issued = await t.admin('POST', `/api/console/staff/${id}/token`);
    const token = (issued.body as { token: string }).token;
    const me = await t.app.http.inject({
      method: 'GET',
      url: '/api/console/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ staff: { username: 'carol', role: 'agent' } });
    const bad = await t.admin('POST', '/api/console/staff', { username: 'x y', name: '' });
    expect(bad.status).toBe(400);
  });
});
