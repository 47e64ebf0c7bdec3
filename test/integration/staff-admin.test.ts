// Staff and settings as an admin runs them through the console API, on SQLite and PostgreSQL:
// accounts edited (name, role, capacity, Telegram id, WeCom userid), password reset, deactivated and reactivated;
// canned replies edited and deleted, every change audited, agents refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

const login = (t: TestApp, username: string, password: string) =>
  t.app.http.inject({ method: 'POST', url: '/api/console/login', payload: { username, password } });

describeEachProvider('staff and settings administration', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider });
    await addStaff(t, 'dora');
    await addStaff(t, 'boss', { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('edits an account: name, role, capacity and Telegram id, each audited', async () => {
    const boss = await loginAs(t, 'boss');
    const created = await boss('POST', '/api/console/staff', {
      username: 'fei',
      name: 'Fei',
      password: 'fei-password-1',
      telegramUserId: '1001',
    });
    expect(created.status).toBe(201);
    const id: number = created.body.id;
    const edited = await boss('PATCH', `/api/console/staff/${id}`, {
      name: '小飞',
      role: 'admin',
      capacity: 7,
      telegramUserId: '2002',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: '小飞', role: 'admin', capacity: 7, telegramUserId: '2002' });
    const cleared = await boss('PATCH', `/api/console/staff/${id}`, { telegramUserId: null });
    expect(cleared.body.telegramUserId).toBeNull();
    const entries = await t.app.store.repos.audit.recent(10, 'staff.update');
    expect(entries.filter((e) => e.entityId === String(id)).map((e) => e.details)).toEqual([
      { fields: ['telegramUserId'] },
      { fields: expect.arrayContaining(['name', 'role', 'capacity', 'telegramUserId']) },
    ]);

    // Bad input is a 400 with a message, and nothing is written.
    for (const bad of [{ capacity: 0 }, { telegramUserId: '@fei' }, { password: 'short' }, { role: 'owner' }]) {
      const res = await boss('PATCH', `/api/console/staff/${id}`, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    expect((await t.app.services.staff.get(id)).capacity).toBe(7);
    // A Telegram id another account already has is refused with a message, not a 500.
    await addStaff(t, 'hu', { telegramUserId: '3003' });
    const taken = await boss('PATCH', `/api/console/staff/${id}`, { telegramUserId: '3003' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBeTruthy();
  });

  it('keeps a WeCom userid per account (the 微信客服 接待人员 it is): set, validated, unique, cleared; agents may not set it', async () => {
    const boss = await loginAs(t, 'boss');
    const created = await boss('POST', '/api/console/staff', {
      username: 'wen',
      name: 'Wen',
      password: 'wen-password-1',
      wecomUserId: 'WenJing',
    });
    expect(created.status).toBe(201);
    expect(created.body.wecomUserId).toBe('WenJing');
    const id: number = created.body.id;
    for (const bad of ['', '-lead', 'has space', 'x'.repeat(65), '张三']) {
      const res = await boss('PATCH', `/api/console/staff/${id}`, { wecomUserId: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    const edited = await boss('PATCH', `/api/console/staff/${id}`, { wecomUserId: 'wen.jing@shop' });
    expect(edited.status).toBe(200);
    expect(edited.body.wecomUserId).toBe('wen.jing@shop');
    // Another account's userid: refused with a message, nothing changed.
    await addStaff(t, 'lan', { wecomUserId: 'lan' });
    const taken = await boss('PATCH', `/api/console/staff/${id}`, { wecomUserId: 'lan' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBeTruthy();
    expect((await t.app.services.staff.get(id)).wecomUserId).toBe('wen.jing@shop');
    const dora = await loginAs(t, 'dora');
    expect((await dora('PATCH', `/api/console/staff/${id}`, { wecomUserId: 'dora' })).status).toBe(403);
    const cleared = await boss('PATCH', `/api/console/staff/${id}`, { wecomUserId: null });
    expect(cleared.body.wecomUserId).toBeNull();
    const entries = await t.app.store.repos.audit.recent(10, 'staff.update');
    expect(entries.filter((e) => e.entityId === String(id)).map((e) => e.details)).toEqual([
      { fields: ['wecomUserId'] },
      { fields: ['wecomUserId'] },
    ]);
  });

  it('resets a password: the old one stops working, the new one works, sessions end', async () => {
    const dora = await loginAs(t, 'dora');
    expect((await dora('GET', '/api/console/queue')).status).toBe(200);
    const id = (await t.app.store.repos.staff.byUsername('dora'))?.id ?? -1;
    const reset = await t.admin('PATCH', `/api/console/staff/${id}`, { password: 'new-dora-password' });
    expect(reset.status).toBe(200);
    expect((await dora('GET', '/api/console/queue')).status).toBe(401);
    expect((await login(t, 'dora', 'dora-password')).statusCode).toBe(401);
    expect((await login(t, 'dora', 'new-dora-password')).statusCode).toBe(200);
    const entry = (await t.app.store.repos.audit.recent(10, 'staff.update')).find((e) => e.entityId === String(id));
    expect(entry?.details).toMatchObject({ fields: ['password'] });
    expect(JSON.stringify(entry?.details)).not.toContain('new-dora-password');
  });

  it('deactivates and reactivates an account; the team list hides it, the admin list keeps it', async () => {
    const gao = await addStaff(t, 'gao');
    const session = await loginAs(t, 'gao');
    expect((await t.admin('PATCH', `/api/console/staff/${gao.id}`, { active: false })).status).toBe(200);
    expect((await session('GET', '/api/console/queue')).status).toBe(401);
    expect((await login(t, 'gao', 'gao-password')).statusCode).toBe(401);

    const team = await t.admin('GET', '/api/console/staff');
    expect((team.body as { staff: Array<{ username: string }> }).staff.map((s) => s.username)).not.toContain('gao');
    const all = await t.admin('GET', '/api/console/staff?all=true');
    expect((all.body as { staff: Array<{ username: string; active: boolean }> }).staff).toContainEqual(
      expect.objectContaining({ username: 'gao', active: false }),
    );
    // Agents see the team, never the deactivated accounts.
    const dora = await login(t, 'dora', 'new-dora-password');
    const doraToken = dora.json<{ token: string }>().token;
    const refused = await t.app.http.inject({
      method: 'GET',
      url: '/api/console/staff?all=true',
      headers: { authorization: `Bearer ${doraToken}` },
    });
    expect(refused.statusCode).toBe(403);
    expect((await t.admin('GET', '/api/console/staff?all=maybe')).status).toBe(400);

    expect((await t.admin('PATCH', `/api/console/staff/${gao.id}`, { active: true })).status).toBe(200);
    expect((await login(t, 'gao', 'gao-password')).statusCode).toBe(200);
    expect((await t.admin('PATCH', '/api/console/staff/999999', { active: false })).status).toBe(404);
  });

  it('edits and deletes canned replies (audited); agents may use them but not change them', async () => {
    const boss = await loginAs(t, 'boss');
    expect((await boss('PUT', '/api/console/canned/wait', { text: '请稍等', textEn: 'One moment' })).status).toBe(200);
    expect((await boss('PUT', '/api/console/canned/wait', { text: '请稍等片刻' })).status).toBe(200);
    const list = await boss('GET', '/api/console/canned');
    expect(list.body.cannedReplies).toContainEqual({ shortcut: 'wait', text: '请稍等片刻', textEn: null });

    const gao = await loginAs(t, 'gao');
    expect((await gao('DELETE', '/api/console/canned/wait')).status).toBe(403);
    const deleted = await boss('DELETE', '/api/console/canned/wait');
    expect(deleted).toEqual({ status: 200, body: { deleted: true } });
    expect((await boss('GET', '/api/console/canned')).body.cannedReplies).not.toContainEqual(
      expect.objectContaining({ shortcut: 'wait' }),
    );
    expect((await boss('DELETE', '/api/console/canned/wait')).status).toBe(404);
    expect((await boss('DELETE', '/api/console/canned/no%20space')).status).toBe(400);
    const entries = await t.app.store.repos.audit.recent(10, 'canned.delete');
    expect(entries.map((e) => e.entityId)).toEqual(['wait']);
  });

  it('edits and deactivates a reward: the customer menu no longer offers it; reactivated it is back', async () => {
    const created = await t.admin('POST', '/api/rewards', { name: '帆布袋', kind: 'gift', cost: 300, stock: 5 });
    const id: number = (created.body as { id: number }).id;
    const edited = await t.admin('PATCH', `/api/rewards/${id}`, {
      name: '帆布托特包',
      nameEn: 'Canvas tote',
      cost: 250,
    });
    expect(edited.body).toMatchObject({ name: '帆布托特包', nameEn: 'Canvas tote', cost: 250 });
    const active = async () =>
      ((await t.admin('GET', '/api/rewards')).body as { rewards: Array<{ id: number }> }).rewards.map((r) => r.id);
    expect(await active()).toContain(id);
    expect((await t.admin('PATCH', `/api/rewards/${id}`, { active: false })).status).toBe(200);
    expect(await active()).not.toContain(id);
    expect((await t.admin('PATCH', `/api/rewards/${id}`, { cost: -1 })).status).toBe(400);
    expect((await t.admin('PATCH', `/api/rewards/${id}`, {})).status).toBe(400);
    expect((await t.admin('PATCH', `/api/rewards/${id}`, { active: true })).status).toBe(200);
    expect(await active()).toContain(id);
    const entries = await t.app.store.repos.audit.recent(10, 'reward.update');
    expect(entries.filter((e) => e.entityId === String(id))).toHaveLength(3);
  });

  it('edits survey questions; a bad question is a 400 and leaves the survey as it was', async () => {
    const before = (
      (await t.admin('GET', '/api/surveys')).body as { surveys: Array<{ key: string; questions: unknown[] }> }
    ).surveys;
    const csat = before.find((s) => s.key === 'csat_service');
    expect(csat?.questions.length).toBeGreaterThan(0);
    const questions = [
      { id: 'rating', type: 'csat', text: { 'zh-CN': '这次服务您打几分？', en: 'How would you rate our help?' } },
      { id: 'why', type: 'text', text: { 'zh-CN': '还有什么建议？', en: 'Anything we could do better?' } },
    ];
    const saved = await t.admin('PUT', '/api/surveys/csat_service', { name: '客服满意度', kind: 'csat', questions });
    expect(saved.status).toBe(200);
    const bad = await t.admin('PUT', '/api/surveys/csat_service', {
      name: '客服满意度',
      kind: 'csat',
      questions: [{ id: 'rating', type: 'csat', text: { 'zh-CN': '', en: 'x' } }],
    });
    expect(bad.status).toBe(400);
    const duplicate = await t.admin('PUT', '/api/surveys/csat_service', {
      name: '客服满意度',
      kind: 'csat',
      questions: [questions[0], questions[0]],
    });
    expect(duplicate.status).toBe(400);
    const after = (
      (await t.admin('GET', '/api/surveys')).body as { surveys: Array<{ key: string; questions: unknown }> }
    ).surveys;
    expect(after.find((s) => s.key === 'csat_service')?.questions).toEqual(questions);
  });
});
