import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('pipeline', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers /start with the main menu as buttons', async () => {
    const res = await t.say('v-start', '/start');
    expect(res.status).toBe(200);
    expect(res.text).toContain('小助手');
    expect(res.replies[0]?.buttons?.map((b) => b.data)).toEqual([
      'presale',
      'orders',
      'aftersale',
      'loyalty',
      'human',
      'profile',
    ]);
    expect(res.conversation).toMatchObject({ status: 'bot', flow: null });
  });

  it('ignores a replayed messageId: one interaction, one reply, same answer', async () => {
    const first = await t.say('v-replay', '/start', { messageId: 'dup-1' });
    const second = await t.say('v-replay', '/start', { messageId: 'dup-1' });
    expect(second.replies).toEqual(first.replies);
    const identity = await t.app.store.repos.customers.findIdentity('webchat', 'v-replay');
    const interactions = await t.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1);
    expect(interactions.filter((i) => i.direction === 'in')).toHaveLength(1);
    expect(interactions.filter((i) => i.direction === 'out')).toHaveLength(1);
    const rows = await t.app.store.repos.outbox.bySource('webchat:dup-1');
    expect(rows).toHaveLength(1);
  });

  it('resumes a flow step after a restart (state lives in the conversation row)', async () => {
    await t.press('v-restart', 'profile:name');
    // A second app on the same database stands in for the restarted process.
    const restarted = await createTestApp({ provider, app: {} });
    await restarted.close();
    const conversation = await t.app.store.repos.conversations.findLive(
      (await t.app.store.repos.customers.findIdentity('webchat', 'v-restart'))?.customerId ?? -1,
      (await t.app.store.repos.chats.find('webchat', 'v-restart'))?.id ?? -1,
    );
    expect(conversation?.flow).toBe('profile');
    expect(conversation?.flowState).toEqual({ step: 'name', attempts: 0 });
  });
});
