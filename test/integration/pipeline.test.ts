import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ChannelName } from '../../src/domain/channels.ts';
import type { Inbound } from '../../src/domain/messages.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

let sequence = 0;
function inbound(overrides: Partial<Inbound> & Pick<Inbound, 'channel'>): Inbound {
  sequence++;
  return {
    messageId: `m-${sequence}`,
    at: new Date('2026-03-02T04:00:00Z'),
    chat: { id: 'chat-1', kind: 'private' },
    sender: { id: 'user-1', name: '小王' },
    text: '',
    mentionsBot: false,
    ...overrides,
  };
}

describeEachProvider('pipeline', (provider) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ provider });
  });
  afterEach(async () => {
    await t.close();
  });

  const customerOf = async (channel: ChannelName, externalId: string) =>
    (await t.app.store.repos.customers.findIdentity(channel, externalId))?.customerId ?? -1;

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
    const interactions = await t.app.store.repos.interactions.forCustomer(await customerOf('webchat', 'v-replay'));
    expect(interactions.filter((i) => i.direction === 'in')).toHaveLength(1);
    expect(interactions.filter((i) => i.direction === 'out')).toHaveLength(1);
    expect(await t.app.store.repos.outbox.bySource('webchat:dup-1')).toHaveLength(1);
  });

  it('logs inbound and outbound messages as interactions with channel, chat, direction and payload', async () => {
    await t.say('v-log', '你好 👋 hello', { messageId: 'log-1' });
    const logged = await t.app.store.repos.interactions.forCustomer(await customerOf('webchat', 'v-log'));
    const inboundRow = logged.find((i) => i.direction === 'in');
    const outbound = logged.find((i) => i.direction === 'out');
    expect(inboundRow).toMatchObject({ channel: 'webchat', direction: 'in', kind: 'message', text: '你好 👋 hello' });
    expect(inboundRow?.payload).toMatchObject({ messageId: 'log-1' });
    expect(outbound).toMatchObject({ channel: 'webchat', direction: 'out', kind: 'bot_reply' });
    expect(outbound?.chatId).toBe(inboundRow?.chatId);
  });

  it('resumes a flow step after a restart (state lives in the conversation row)', async () => {
    const asked = await t.press('v-restart', 'profile:name');
    expect(asked.conversation?.flow).toBe('profile');
    await t.app.stop();
    const restarted = await createTestApp({ provider, database: t.database });
    try {
      const saved = await restarted.say('v-restart', '陈小明');
      expect(saved.text).toContain('已保存');
      expect(saved.text).toContain('陈小明');
      expect(saved.conversation?.flow).toBeNull();
    } finally {
      await restarted.close();
      t = await createTestApp({ provider });
    }
  });

  it('routes messages from two channels to one profile after a merge', async () => {
    await t.say('v-merge', '/start');
    await t.app.pipeline.handle(
      inbound({ channel: 'telegram', chat: { id: 'tg-9', kind: 'private' }, sender: { id: 'tg-9' }, text: '/start' }),
    );
    const webId = await customerOf('webchat', 'v-merge');
    const telegramId = await customerOf('telegram', 'tg-9');
    expect(webId).not.toBe(telegramId);
    await t.app.services.customers.addTag(telegramId, 'from-telegram', { type: 'system' });
    const merged = await t.admin('POST', '/api/merges', { sourceId: telegramId, targetId: webId });
    expect(merged.status).toBe(201);
    await t.say('v-merge', 'again from web');
    await t.app.pipeline.handle(
      inbound({
        channel: 'telegram',
        chat: { id: 'tg-9', kind: 'private' },
        sender: { id: 'tg-9' },
        text: 'again from telegram',
      }),
    );
    const profile = await t.app.services.customers.profile(webId, { type: 'admin' });
    expect(profile.identities.map((i) => i.channel).sort()).toEqual(['telegram', 'webchat']);
    expect(profile.tags).toContain('from-telegram');
    const texts = profile.interactions.filter((i) => i.direction === 'in').map((i) => i.text);
    expect(texts).toEqual(expect.arrayContaining(['again from web', 'again from telegram']));
    expect(await t.app.store.repos.audit.forEntity('customer', String(webId))).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'customer.merge' })]),
    );
    // The merged profile stays as a tombstone; a lookup by id lands on the survivor.
    expect((await t.app.services.customers.get(telegramId)).id).toBe(webId);
  });

  it('stays silent in a group unless mentioned, and answers in the group when mentioned', async () => {
    const group = { id: 'grp-1', kind: 'group' as const, title: '粉丝群' };
    const silent = await t.app.pipeline.handle(inbound({ channel: 'telegram', chat: group, text: '大家好' }));
    expect(silent.status).toBe('ignored');
    expect(silent.outboxIds).toEqual([]);
    const mentioned = await t.app.pipeline.handle(
      inbound({ channel: 'telegram', chat: group, text: '菜单', mentionsBot: true }),
    );
    expect(mentioned.outboxIds).toHaveLength(1);
    const row = await t.app.store.repos.outbox.get(mentioned.outboxIds[0] ?? -1);
    expect(row?.chatExternalId).toBe('grp-1');
  });

  it('never posts private data in a group: sends it privately, or tells the customer how', async () => {
    const group = { id: 'grp-2', kind: 'group' as const };
    const noPrivateChat = await t.app.pipeline.handle(
      inbound({ channel: 'telegram', chat: group, sender: { id: 'u-77' }, text: '我的资料', mentionsBot: true }),
    );
    const rows = await Promise.all(noPrivateChat.outboxIds.map((id) => t.app.store.repos.outbox.get(id)));
    expect(rows.every((r) => r?.chatExternalId === 'grp-2')).toBe(true);
    expect(rows.map((r) => r?.text).join()).not.toContain('手机号');
    expect(rows.map((r) => r?.text).join()).toContain('私聊');

    await t.app.pipeline.handle(
      inbound({ channel: 'telegram', chat: { id: 'u-77', kind: 'private' }, sender: { id: 'u-77' }, text: 'hi' }),
    );
    const withPrivateChat = await t.app.pipeline.handle(
      inbound({ channel: 'telegram', chat: group, sender: { id: 'u-77' }, text: '我的资料', mentionsBot: true }),
    );
    const sent = await Promise.all(withPrivateChat.outboxIds.map((id) => t.app.store.repos.outbox.get(id)));
    expect(sent.find((r) => r?.text.includes('手机号'))?.chatExternalId).toBe('u-77');
    expect(sent.find((r) => r?.chatExternalId === 'grp-2')?.text).toContain('私信');
  });

  it('hands off to staff on 人工 and then stays silent while the conversation is pending', async () => {
    const handoff = await t.say('v-human', '转人工');
    expect(handoff.conversation?.status).toBe('pending');
    expect(handoff.text.length).toBeGreaterThan(0);
    const silent = await t.say('v-human', '在吗？');
    expect(silent.replies).toEqual([]);
    const interactions = await t.app.store.repos.interactions.forCustomer(await customerOf('webchat', 'v-human'));
    expect(interactions.some((i) => i.text === '在吗？' && i.direction === 'in')).toBe(true);
  });

  it('opts out of marketing on 退订 and back in on 订阅, audited', async () => {
    await t.say('v-stop', '退订');
    const id = await customerOf('webchat', 'v-stop');
    expect((await t.app.services.customers.get(id)).marketingOptIn).toBe(false);
    await t.say('v-stop', '订阅');
    expect((await t.app.services.customers.get(id)).marketingOptIn).toBe(true);
    const actions = (await t.app.store.repos.audit.forEntity('customer', String(id))).map((a) => a.action);
    expect(actions).toEqual(['consent.opt_out', 'consent.opt_in']);
  });

  it('the explicit language switch is stored with the reply, audited once, and outlasts a message in the other language', async () => {
    const en = await t.say('v-lang', 'English');
    expect(en.text).not.toMatch(/[\u4e00-\u9fff]/);
    const id = await customerOf('webchat', 'v-lang');
    const after = await t.app.services.customers.get(id);
    expect([after.locale, after.localeSource, after.languageStreak]).toEqual(['en', 'switch', 0]);
    const entries = await t.app.store.repos.audit.forEntity('customer', String(id));
    expect(entries.map((a) => [a.action, a.actorType, a.actorId, a.details])).toEqual([
      ['customer.update', 'customer', String(id), { fields: ['locale'] }],
    ]);
    // One Chinese message does not undo a switch; switching back is audited again.
    await t.say('v-lang', '包邮吗');
    expect((await t.app.services.customers.get(id)).locale).toBe('en');
    await t.say('v-lang', '中文');
    expect((await t.app.services.customers.get(id)).locale).toBe('zh-CN');
    expect((await t.app.store.repos.audit.forEntity('customer', String(id))).length).toBe(2);
  });

  it('validates the phone number in the profile flow and stores it normalised', async () => {
    await t.press('v-phone', 'profile:phone');
    const bad = await t.say('v-phone', '12345');
    expect(bad.conversation?.flow).toBe('profile');
    const good = await t.say('v-phone', '+86 138-1234-5678');
    expect(good.text).toContain('13812345678');
    expect((await t.app.services.customers.get(await customerOf('webchat', 'v-phone'))).phone).toBe('13812345678');
  });

  it('admits it does not understand, in the customer language, and offers a person and the menu', async () => {
    await t.say('v-en', 'English');
    const res = await t.say('v-en', 'qwertyuiop');
    expect(res.text).toMatch(/not sure|did not quite get/i);
    expect(res.text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(res.replies.flatMap((r) => r.buttons ?? []).map((b) => b.data)).toEqual(
      expect.arrayContaining(['human', 'menu']),
    );
  });

  it('survives empty, huge, emoji-only and mixed-language messages', async () => {
    const huge = await t.say('v-odd', '好'.repeat(4096));
    expect(huge.status).toBe(200);
    const emoji = await t.say('v-odd', '😀😀😀');
    expect(emoji.status).toBe(200);
    const mixed = await t.say('v-odd', 'Hi 这件 T恤 有 M 码吗?');
    expect(mixed.status).toBe(200);
    const direct = await t.app.pipeline.handle(inbound({ channel: 'telegram', text: '' }));
    expect(direct.status).toBe('processed');
  });
});
