import { afterEach, beforeEach, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('surveys', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider, env: { JOBS_ENABLED: 'false', SURVEY_DELAY_DAYS: '3', POINTS_SURVEY: '15' } });
  });
  afterEach(async () => {
    await t.close();
  });

  async function deliveredOrder(visitor: string, orderNo: string) {
    await t.say(visitor, '/start');
    const order = {
      orderNo,
      customer: { channel: 'webchat', externalId: visitor },
      items: [{ sku: 'TEA-01', name: 'Tea', qty: 1, price: 9_900 }],
      total: 9_900,
      status: 'shipped',
    };
    expect((await t.admin('POST', '/api/orders', order)).status).toBe(200);
    expect((await t.admin('PATCH', `/api/orders/${orderNo}`, { status: 'delivered' })).status).toBe(200);
    const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
    return identity?.customerId ?? -1;
  }

  /** Survey messages written for the customer (outbox + interaction log, whatever the sender did since). */
  async function surveyRows(visitor: string) {
    const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
    const rows = await t.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1, 200);
    return rows.filter((r) => r.kind === 'survey');
  }

  it('sends the post-purchase survey once, N days after delivery, even with two runners', async () => {
    await deliveredOrder('v-pp', 'PP-1');
    expect(await t.app.jobs.surveys.runOnce(t.clock.now())).toEqual({ sent: 0, expired: 0 });
    t.clock.advance(3 * DAY + HOUR);
    await t.app.sender.drainChannel('webchat');
    // A restart or a second instance running the same schedule at the same moment.
    const second = await createTestApp({ provider, env: { JOBS_ENABLED: 'false' } });
    await second.close();
    const [a, b] = await Promise.all([
      t.app.jobs.surveys.runOnce(t.clock.now()),
      t.app.jobs.surveys.runOnce(t.clock.now()),
    ]);
    expect(a.sent + b.sent).toBe(1);
    expect((await t.app.jobs.surveys.runOnce(t.clock.now())).sent).toBe(0);
    await t.app.sender.drainChannel('webchat');
    const sent = await surveyRows('v-pp');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('满意');
    // Redelivering the order later schedules nothing new (one survey per trigger, ever).
    await t.admin('PATCH', '/api/orders/PP-1', { status: 'shipped' });
    await t.admin('PATCH', '/api/orders/PP-1', { status: 'delivered' });
    t.clock.advance(4 * DAY);
    expect((await t.app.jobs.surveys.runOnce(t.clock.now())).sent).toBe(0);
  });

  it('takes answers by buttons and text, ignores a second press, rewards completion once', async () => {
    const customerId = await deliveredOrder('v-ans', 'PP-2');
    t.clock.advance(3 * DAY);
    await t.app.jobs.surveys.runOnce(t.clock.now());
    const response = (await t.app.store.repos.surveys.byTrigger('order:PP-2:post_purchase')) ?? null;
    expect(response?.status).toBe('sent');
    const rid = response?.id;

    const first = await t.press('v-ans', `survey:${rid}:csat:5`);
    expect(first.text).toContain('推荐');
    expect(first.replies[0]?.buttons).toHaveLength(11);
    const again = await t.press('v-ans', `survey:${rid}:csat:1`);
    expect(again.text).toContain('已经回答过');
    await t.press('v-ans', `survey:${rid}:nps:9`);
    const choice = await t.press('v-ans', `survey:${rid}:best:shipping`);
    expect(choice.text).toContain('还有什么');
    const done = await t.say('v-ans', '包装很用心，下次还来');
    expect(done.text).toContain('15 积分');
    await t.press('v-ans', `survey:${rid}:comment:-`);

    const saved = await t.app.services.surveys.response(rid ?? -1);
    expect(saved.status).toBe('completed');
    expect(saved.csat).toBe(5);
    expect(saved.nps).toBe(9);
    expect(saved.answers.map((a) => [a.questionId, a.value])).toEqual([
      ['csat', '5'],
      ['nps', '9'],
      ['best', 'shipping'],
      ['comment', '包装很用心，下次还来'],
    ]);
    expect(await t.app.services.loyalty.balance(customerId)).toBe(15);
    expect(await t.app.store.repos.cases.byDedupeKey(`survey:${rid}`)).toBeNull();

    const report = await t.admin(
      'GET',
      `/api/surveys/report?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&groupBy=product`,
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      overall: {
        sent: 1,
        responded: 1,
        responseRate: 100,
        csat: { count: 1, satisfied: 1, percent: 100 },
        nps: { count: 1, promoters: 1, passives: 0, detractors: 0, score: 100 },
      },
      groups: [{ key: 'TEA-01', sent: 1 }],
      comments: [{ text: '包装很用心，下次还来' }],
    });
  });

  it('a low score opens one recovery case with context and tells the customer', async () => {
    await deliveredOrder('v-low', 'PP-3');
    t.clock.advance(3 * DAY);
    await t.app.jobs.surveys.runOnce(t.clock.now());
    const rid = (await t.app.store.repos.surveys.byTrigger('order:PP-3:post_purchase'))?.id;
    // The same old button pressed twice at once: one answer, one case, one follow-up notice.
    const [low, dup] = await Promise.all([
      t.press('v-low', `survey:${rid}:csat:1`),
      t.press('v-low', `survey:${rid}:csat:1`),
    ]);
    expect([low.text, dup.text].filter((text) => text.includes('专人跟进'))).toHaveLength(1);
    expect([low.text, dup.text].filter((text) => text.includes('已经回答过'))).toHaveLength(1);
    const nps = await t.press('v-low', `survey:${rid}:nps:2`);
    expect(nps.text).not.toContain('专人跟进');
    const recovery = await t.app.store.repos.cases.byDedupeKey(`survey:${rid}`);
    expect(recovery).toMatchObject({ type: 'recovery', priority: 'high' });
    expect(recovery?.data).toMatchObject({ surveyKey: 'post_purchase', csat: 1, orderNo: 'PP-3' });
  });

  it('a customer who answers 1 to the service CSAT gets a recovery case numbered, logged and audited like every case', async () => {
    await addStaff(t, 'alice');
    const alice = await loginAs(t, 'alice');
    const id = (await t.say('v-unhappy', '人工')).conversation?.id ?? 0;
    expect((await alice('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${id}/reply`, { text: '您好' })).status).toBe(200);
    expect((await alice('POST', `/api/console/conversations/${id}/resolve`)).status).toBe(200);
    await expect.poll(() => t.app.store.repos.surveys.byTrigger(`conversation:${id}:csat`)).not.toBeNull();
    expect((await t.app.jobs.surveys.runOnce(t.clock.now())).sent).toBe(1);
    const rid = (await t.app.store.repos.surveys.byTrigger(`conversation:${id}:csat`))?.id;

    const answer = await t.press('v-unhappy', `survey:${rid}:csat:1`);
    expect(answer.text).toContain('专人跟进');
    const list = await t.admin('GET', '/api/cases?type=recovery');
    const cases = (list.body as { cases: Array<{ caseNo: string; priority: string; conversationId: number }> }).cases;
    expect(cases).toHaveLength(1);
    const caseNo = cases[0]?.caseNo ?? '';
    // The same numbering as after-sale (AS…) and complaint (TS…) cases: prefix, shop-local date, sequence.
    expect(caseNo).toMatch(/^RC20260302-0001$/);
    expect(cases[0]).toMatchObject({ priority: 'high', conversationId: id });
    const audit = await t.app.store.repos.audit.forEntity('case', caseNo);
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([['case.open', 'customer']]);
    const customerId = (await t.app.store.repos.customers.findIdentity('webchat', 'v-unhappy'))?.customerId;
    const profile = await t.admin('GET', `/api/customers/${customerId}`);
    const timeline = (profile.body as { interactions: Array<{ eventType: string | null; text: string | null }> })
      .interactions;
    expect(timeline).toContainEqual(
      expect.objectContaining({ eventType: 'case.opened', text: `case ${caseNo} opened (recovery)` }),
    );
  });

  it('keeps partial answers and expires an abandoned survey', async () => {
    await deliveredOrder('v-exp', 'PP-4');
    t.clock.advance(3 * DAY);
    await t.app.jobs.surveys.runOnce(t.clock.now());
    const rid = (await t.app.store.repos.surveys.byTrigger('order:PP-4:post_purchase'))?.id ?? -1;
    await t.press('v-exp', `survey:${rid}:csat:4`);
    t.clock.advance(73 * HOUR);
    expect((await t.app.jobs.surveys.runOnce(t.clock.now())).expired).toBe(1);
    const late = await t.press('v-exp', `survey:${rid}:nps:10`);
    expect(late.text).toContain('过期');
    const saved = await t.app.services.surveys.response(rid);
    expect(saved.status).toBe('expired');
    expect(saved.answers.map((a) => a.questionId)).toEqual(['csat']);
  });

  it('asks for CSAT when a staff-handled conversation is resolved, not for bot-only ones', async () => {
    await t.say('v-cs', '/start');
    await t.say('v-bot', '/start');
    const conv = async (visitor: string) => {
      const identity = await t.app.store.repos.customers.findIdentity('webchat', visitor);
      const chat = await t.app.store.repos.chats.find('webchat', visitor);
      return t.app.store.repos.conversations.findLive(identity?.customerId ?? -1, chat?.id ?? -1);
    };
    const staffed = await conv('v-cs');
    const botOnly = await conv('v-bot');
    const system = { type: 'system' } as const;
    await t.app.services.conversations.transition(staffed?.id ?? -1, 'escalate', system, { reason: 'test' });
    await t.app.services.conversations.transition(staffed?.id ?? -1, 'resolve', system);
    await t.app.services.conversations.transition(botOnly?.id ?? -1, 'resolve', system);
    await expect.poll(() => t.app.store.repos.surveys.byTrigger(`conversation:${staffed?.id}:csat`)).not.toBeNull();
    expect(await t.app.services.surveys.onConversationResolved(botOnly?.id ?? -1)).toBe(false);
    expect(await t.app.store.repos.surveys.byTrigger(`conversation:${botOnly?.id}:csat`)).toBeNull();
    expect((await t.app.jobs.surveys.runOnce(t.clock.now())).sent).toBe(1);
    const rows = await surveyRows('v-cs');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toContain('客服服务');
  });
  it('a survey that opens with free text takes the next message as the answer', async () => {
    const put = await t.admin('PUT', '/api/surveys/csat_service', {
      name: 'Service',
      kind: 'csat',
      questions: [
        { id: 'comment', type: 'text', text: { 'zh-CN': '请说说这次的服务体验', en: 'Tell us about the service' } },
        { id: 'csat', type: 'csat', text: { 'zh-CN': '打个分吧', en: 'Rate us' } },
      ],
    });
    expect(put.status).toBe(200);
    await t.say('v-text', '/start');
    const identity = await t.app.store.repos.customers.findIdentity('webchat', 'v-text');
    const chat = await t.app.store.repos.chats.find('webchat', 'v-text');
    const conversation = await t.app.store.repos.conversations.findLive(identity?.customerId ?? -1, chat?.id ?? -1);
    const system = { type: 'system' } as const;
    await t.app.services.conversations.transition(conversation?.id ?? -1, 'take', system);
    await t.app.services.conversations.transition(conversation?.id ?? -1, 'resolve', system);
    await expect
      .poll(() => t.app.store.repos.surveys.byTrigger(`conversation:${conversation?.id}:csat`))
      .not.toBeNull();
    expect((await t.app.jobs.surveys.runOnce(t.clock.now())).sent).toBe(1);
    const reply = await t.say('v-text', '客服小王很耐心');
    expect(reply.text).toContain('打个分吧');
    const rid = (await t.app.store.repos.surveys.byTrigger(`conversation:${conversation?.id}:csat`))?.id ?? -1;
    expect((await t.app.services.surveys.response(rid)).answers.map((a) => a.value)).toEqual(['客服小王很耐心']);
  });
});
