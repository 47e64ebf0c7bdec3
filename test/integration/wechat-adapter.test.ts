// WeChat specifics beyond the shared contract: @-replies in rooms, friend requests, room joins,
// numbered menus kept in the database, identity re-keying after a re-login, pacing from config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatPacing } from '../../adapters/wechat/index.ts';
import { menuKey } from '../../adapters/wechat/numbered.ts';
import { BOT_NAME, type WechatHarness, wechatHarness } from '../contract/wechat-harness.ts';

describe('wechat adapter', () => {
  let h: WechatHarness;
  beforeAll(async () => {
    h = await wechatHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a room mention in the room, @-ing the customer, with numbered options', async () => {
    await h.message({ user: 1, group: 1, text: '菜单', mention: true });
    const [reply] = await h.flush();
    expect(reply?.chatId).toBe(h.groupChatId(1));
    expect(reply?.text.startsWith('@用户1')).toBe(true);
    expect(reply?.text).toMatch(/回复 1 .+商品咨询/);
    expect(reply?.text).not.toContain(`@${BOT_NAME}`);
  });

  it('keeps the last numbered menu per conversation in the database', async () => {
    await h.message({ user: 2, text: '/start' });
    await h.flush();
    const stored = await h.app.store.repos.settings.get(menuKey(h.privateChatId(2)));
    expect(JSON.stringify(stored)).toContain('"data":"profile"');
    // A number that is not on the menu is just text: the bot does not pretend it was a choice.
    await h.message({ user: 2, text: '42' });
    const out = await h.flush();
    // The pre-sale fallback admits it is unsure and offers a person, with its own fresh options.
    expect(out.map((m) => m.text).join('\n')).toContain('不太确定');
  });

  it('a bare number in a room only answers the menu that @-ed that member', async () => {
    await h.message({ user: 3, group: 2, text: '1' });
    expect(await h.flush()).toHaveLength(0);
  });

  it('accepts a friend request and welcomes the new friend once', async () => {
    const friend = h.contact(10);
    const fire = () => h.puppet.emit('friendship', { friendshipId: `f1:${friend.id}` });
    await h.settle('friendship', fire);
    await h.settle('friendship', fire);
    expect(h.puppet.accepted).toContain(`f1:${friend.id}`);
    const out = await h.flush();
    expect(out).toHaveLength(1);
    expect(out[0]?.chatId).toBe(friend.id);
    expect(out[0]?.text).toContain('小助手');
  });

  it('welcomes room joiners in the room and creates their profiles', async () => {
    const room = h.room(3);
    const joiner = h.contact(11);
    await h.settle('room-join', () => room.add(joiner).by(h.contact(1)));
    const out = await h.flush();
    expect(out).toHaveLength(1);
    expect(out[0]?.chatId).toBe(room.id);
    expect(out[0]?.text).toContain('@用户11');
    const identity = await h.app.store.repos.customers.findIdentity('wechat', joiner.id);
    expect(identity?.customer).toBeTruthy();
    const groups = await h.app.store.repos.chats.groupsOf(identity?.customerId ?? -1);
    expect(groups.map((g) => g.chat.externalId)).toContain(room.id);
  });

  it('keeps the profile when the contact id changes after a re-login (same handle)', async () => {
    await h.message({ user: 4, text: '/start' });
    await h.flush();
    const before = await h.app.store.repos.customers.findIdentity('wechat', h.senderId(4));
    expect(before?.alias).toBe('wx:weixin_user4');
    const relogged = h.mocker.createContact({ id: 'wxid_new_4', name: '用户4', handle: 'weixin_user4' });
    await h.settle('message', () => relogged.say('/start').to(h.mocker.ContactMock.load('wxid_bot')));
    const after = await h.app.store.repos.customers.findIdentity('wechat', 'wxid_new_4');
    expect(after?.customerId).toBe(before?.customerId);
  });

  it('derives pacing from config: per-chat gap, per-minute cap, jitter and daily cap', () => {
    expect(
      wechatPacing({ perChatIntervalMs: 3000, perMinute: 40, jitterMinMs: 1000, jitterMaxMs: 3000, dailyCap: 2000 }),
    ).toEqual({
      privateChatIntervalMs: 3000,
      groupIntervalMs: 3000,
      globalPerMinute: 40,
      jitterMs: [1000, 3000],
      dailyCap: 2000,
    });
    expect(h.channelImpl.pacing.globalPerMinute).toBe(40);
  });
});

describe('wechat adapter with friend auto-accept off', () => {
  it('leaves friend requests alone', async () => {
    const h = await wechatHarness('sqlite', { WECHAT_AUTO_ACCEPT_FRIENDS: 'false' });
    try {
      const friend = h.contact(20);
      await h.settle('friendship', () => h.puppet.emit('friendship', { friendshipId: `f2:${friend.id}` }));
      expect(h.puppet.accepted).toHaveLength(0);
      expect(await h.flush()).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
