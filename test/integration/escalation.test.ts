// Escalation through the webchat API: triggers, complaint cases, queue order, assignment under
// capacity, shop hours and SLA timers on a ManualClock.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MINUTE } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff } from '../helpers/staff.ts';

// 2026-03-02T04:00Z is 12:00 in Shanghai: inside the default shop hours 09:00-21:00.
describeEachProvider('escalation', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider, env: { SLA_PRIORITY_MINUTES: 'urgent=1/30' } });
  });
  afterEach(async () => {
    await t.close();
  });

  const conversationOf = async (visitorId: string) => {
    const identity = await t.app.store.repos.customers.findIdentity('webchat', visitorId);
    const chat = await t.app.store.repos.chats.find('webchat', visitorId);
    const live = await t.app.store.repos.conversations.findLive(identity?.customerId ?? 0, chat?.id ?? 0);
    if (!live) throw new Error(`no live conversation for ${visitorId}`);
    return live;
  };

  it('asks for a person: pending, told the true queue position (no estimate with nobody online); later messages reach staff only', async () => {
    await t.say('v-a', '/start');
    const res = await t.say('v-a', '转人工');
    expect(res.conversation?.status).toBe('pending');
    expect(res.text).toContain('客服暂时都不在线，你在队列中排第 1 位');
    expect(res.text).not.toContain('预计');
    expect((await t.say('v-a2', '转人工')).text).toContain('排第 2 位');
    const silent = await t.say('v-a', '我的快递三天没动了');
    expect(silent.replies).toEqual([]);
    const conversation = await conversationOf('v-a');
    const messages = await t.app.store.repos.interactions.forConversation(conversation.id);
    expect(messages.filter((m) => m.direction === 'in').map((m) => m.text)).toContain('我的快递三天没动了');
    expect(conversation.firstResponseDueAt?.toISOString()).toBe('2026-03-02T04:03:00.000Z');
    expect(conversation.resolutionDueAt?.toISOString()).toBe('2026-03-02T08:00:00.000Z');
  });

  it('detects a complaint even inside another flow: one complaint case, urgent, replay adds nothing', async () => {
    await t.say('v-c', '我的资料');
    const res = await t.say('v-c', '你们就是骗子，我要打12315', { messageId: 'c-1' });
    expect(res.conversation?.status).toBe('pending');
    expect(res.text).toMatch(/投诉（编号 TS20260302-\d+）/);
    await t.say('v-c', '你们就是骗子，我要打12315', { messageId: 'c-1' });
    const conversation = await conversationOf('v-c');
    const cases = await t.app.store.repos.desk.casesForConversation(conversation.id);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ type: 'complaint', severity: 3, priority: 'urgent', status: 'open' });
    expect(conversation.priority).toBe(30);
    expect(conversation.firstResponseDueAt?.toISOString()).toBe('2026-03-02T04:01:00.000Z');
  });

  it('escalates after two turns the bot did not understand', async () => {
    const first = await t.say('v-n', 'qwertyuiop');
    expect(first.conversation?.status).toBe('bot');
    const second = await t.say('v-n', 'asdfghjkl');
    expect(second.conversation?.status).toBe('pending');
    expect((await conversationOf('v-n')).escalationReason).toBe('not_understood');
  });

  it('ESCALATE_AFTER_FAILURES sets how many such turns it takes (0 = never)', async () => {
    for (const [setting, turns] of [
      ['3', 3],
      ['0', undefined],
    ] as const) {
      const custom = await createTestApp({ provider, env: { ESCALATE_AFTER_FAILURES: setting } });
      try {
        const statuses: Array<string | undefined> = [];
        for (const text of ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'poiuytrewq']) {
          statuses.push((await custom.say(`v-f${setting}`, text)).conversation?.status);
        }
        const escalatedAt = statuses.indexOf('pending');
        expect(escalatedAt === -1 ? undefined : escalatedAt + 1).toBe(turns);
      } finally {
        await custom.close();
      }
    }
  });

  it('orders the queue by severity, then tier, then waiting time', async () => {
    await t.say('v-q1', '人工');
    t.clock.advance(MINUTE);
    await t.say('v-q2', '人工');
    const gold = await conversationOf('v-q2');
    await t.app.services.customers.update(gold.customerId, { tier: 'gold' }, { type: 'system' });
    await t.say('v-q3', '人工');
    await t.say('v-q4', '差评！我要投诉');
    // The gold customer's tier counts for conversations escalated after the change: escalate again.
    const q2 = await conversationOf('v-q2');
    await t.app.services.conversations.transition(q2.id, 'release', { type: 'system' });
    await t.say('v-q2', '人工');
    const queue = await t.app.store.repos.desk.pendingQueue(10);
    const order = await Promise.all(
      queue.map(async (c) => (await t.app.store.repos.customers.identities(c.customerId))[0]?.externalId),
    );
    expect(order).toEqual(['v-q4', 'v-q2', 'v-q1', 'v-q3']);
  });

  it('with staff online but busy: the true number ahead and an estimated wait ("you are next" when nobody is ahead)', async () => {
    await addStaff(t, 'solo', { online: true, capacity: 1 });
    expect((await t.say('v-busy-1', '人工')).text).toContain('SOLO');
    const next = await t.say('v-busy-2', '人工');
    expect(next.conversation?.status).toBe('pending');
    expect(next.text).toMatch(/你是下一位，预计等待约 \d+ 分钟/);
    expect((await t.say('v-busy-3', '人工')).text).toMatch(/你前面还有 1 位顾客，预计等待约 \d+ 分钟/);
  });

  it('auto-assigns to the least-loaded online agent under capacity', async () => {
    const ann = await addStaff(t, 'ann', { online: true, capacity: 1 });
    const bob = await addStaff(t, 'bob', { online: true, capacity: 2 });
    await addStaff(t, 'off', { online: false, capacity: 10 });
    const assignees: Array<number | null> = [];
    for (const v of ['v-1', 'v-2', 'v-3', 'v-4']) {
      const res = await t.say(v, '人工');
      assignees.push((await t.app.store.repos.conversations.get(res.conversation?.id ?? 0))?.assigneeId ?? null);
    }
    expect(assignees).toEqual([ann.id, bob.id, bob.id, null]);
    expect((await conversationOf('v-4')).status).toBe('pending');
    expect((await t.say('v-1', 'hi')).replies).toEqual([]);
    // Ann resolves hers: the waiting conversation goes to her.
    const first = await conversationOf('v-1');
    await t.app.services.desk.resolve({ staffId: ann.id, role: 'agent', name: 'ANN' }, first.id);
    const fourth = await t.app.store.repos.conversations.get((await conversationOf('v-4')).id);
    expect(fourth).toMatchObject({ status: 'open', assigneeId: ann.id });
  });

  it('outside shop hours: tells when staff are back and keeps answering simple questions', async () => {
    t.clock.set('2026-03-02T15:00:00Z'); // 23:00 in Shanghai
    const res = await t.say('v-night', '人工');
    expect(res.conversation?.status).toBe('pending');
    expect(res.text).toContain('09:00');
    const help = await t.say('v-night', '帮助');
    expect(help.text).toContain('我可以帮你');
    const again = await t.say('v-night', '人工');
    expect(again.text).toContain('你已在人工队列中');
    const conversation = await conversationOf('v-night');
    expect(conversation.status).toBe('pending');
    // The first-response clock starts when the shop opens (09:00 Shanghai = 01:00Z).
    expect(conversation.firstResponseDueAt?.toISOString()).toBe('2026-03-03T01:03:00.000Z');
  });

  it('warns before the SLA breach, marks the breach once, even with two monitors running', async () => {
    const warnings: Array<{ type: string; conversationId: number }> = [];
    t.app.events.on('desk', (e) => warnings.push(e));
    await t.say('v-sla', '人工');
    const id = (await conversationOf('v-sla')).id;
    expect(await t.app.jobs.sla.runOnce(t.clock.advance(MINUTE))).toMatchObject({ warned: [], breached: [] });
    const warnAt = t.clock.advance(MINUTE);
    const [a, b] = await Promise.all([t.app.jobs.sla.runOnce(warnAt), t.app.jobs.sla.runOnce(warnAt)]);
    expect([...a.warned, ...b.warned]).toEqual([id]);
    const breachAt = t.clock.advance(MINUTE);
    const [c, d] = await Promise.all([t.app.jobs.sla.runOnce(breachAt), t.app.jobs.sla.runOnce(breachAt)]);
    expect([...c.breached, ...d.breached]).toEqual([id]);
    expect(await t.app.jobs.sla.runOnce(t.clock.advance(MINUTE))).toMatchObject({ warned: [], breached: [] });
    const row = await t.app.store.repos.conversations.get(id);
    expect(row?.slaWarnedAt?.toISOString()).toBe(warnAt.toISOString());
    expect(row?.slaBreachedAt?.toISOString()).toBe(breachAt.toISOString());
    expect(warnings.map((w) => w.type)).toEqual(['sla_warning', 'sla_breach']);
    const audit = await t.app.store.repos.audit.forEntity('conversation', String(id));
    expect(audit.filter((e) => e.action === 'conversation.sla_breach')).toHaveLength(1);
  });

  it('a staff reply before the deadline stops the first-response clock', async () => {
    const ann = await addStaff(t, 'ann2', { online: true });
    await t.say('v-fast', '人工');
    const id = (await conversationOf('v-fast')).id;
    t.clock.advance(MINUTE);
    await t.app.services.desk.reply({ staffId: ann.id, role: 'agent', name: 'ANN2' }, id, '您好，我来帮您');
    const run = await t.app.jobs.sla.runOnce(t.clock.advance(10 * MINUTE));
    expect(run.breached).toEqual([]);
    expect((await t.app.store.repos.conversations.get(id))?.firstResponseAt).not.toBeNull();
  });

  it('escalates as a complaint when the intent classifier says so (the optional LLM hook)', async () => {
    const classified = await createTestApp({
      provider,
      app: {
        classifier: {
          classify: async (text) => (text.includes('等了一周') ? { intent: 'complaint', confidence: 0.9 } : null),
        },
      },
    });
    try {
      // Unhappy without any complaint phrase: only the classifier can tell.
      const res = await classified.say('v-llm', '唉，等了一周还是这样');
      expect(res.conversation?.status).toBe('pending');
      const cases = await classified.app.store.repos.desk.casesForConversation(res.conversation?.id ?? 0);
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ type: 'complaint', severity: 2 });
    } finally {
      await classified.close();
    }
  });
});
