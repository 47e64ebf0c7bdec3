// Drives the WeChat adapter for the contract suite with wechaty-puppet-mock: mock contacts talk to
// the bot, and every message the bot sends is read back from the mock's message payloads.
import { randomUUID } from 'node:crypto';
// The puppet's own file container (the adapter sends photos in it).
import { FileBox } from 'file-box';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatChannel, type WechatChannel } from '../../adapters/wechat/index.ts';
import type { App } from '../../src/app.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Provider } from '../helpers/databases.ts';
import type { ContractHarness, Outgoing } from './channel-contract.ts';

export const BOT_NAME = '关系小助手';

/** The mock puppet answers friendship payloads with just an id; this one behaves like WeChat. */
class FriendlyPuppetMock extends PuppetMock {
  readonly accepted: string[] = [];
  override async friendshipRawPayload(id: string) {
    const [, contactId = ''] = id.split(':');
    return { id, contactId, hello: '你好，想买东西', type: types.Friendship.Receive, timestamp: Date.now() };
  }
  override async friendshipAccept(friendshipId: string): Promise<void> {
    this.accepted.push(friendshipId);
  }
}

export interface WechatHarness extends ContractHarness {
  test: TestApp;
  mocker: mock.Mocker;
  puppet: FriendlyPuppetMock;
  channelImpl: WechatChannel;
  sent: Outgoing[];
  contact(user: number): mock.ContactMock;
  room(group: number): mock.RoomMock;
  /** Emits a puppet event and waits until the adapter has fully handled it. */
  settle(event: 'message' | 'friendship' | 'room-join', fire: () => void): Promise<void>;
}

export async function wechatHarness(provider: Provider, env: Record<string, string> = {}): Promise<WechatHarness> {
  const mocker = new mock.Mocker();
  const puppet = new FriendlyPuppetMock({ mocker });
  let channel: WechatChannel | undefined;
  const test = await createTestApp({
    provider,
    env: { WECHATY_PUPPET: 'wechaty-puppet-mock', WECHAT_JITTER_MIN_MS: '0', WECHAT_JITTER_MAX_MS: '0', ...env },
    beforeStart: async (app: App) => {
      if (!app.config.wechat) throw new Error('wechat config missing');
      channel = createWechatChannel(app.config.wechat, app.ports.adapter, { puppet });
      await app.addChannel(channel);
    },
  });
  if (!channel) throw new Error('wechat channel not created');
  const wechat = channel;
  const botUser = mocker.createContact({ id: 'wxid_bot', name: BOT_NAME });
  const loggedIn = new Promise((resolve) => wechat.bot.once('login', resolve));
  mocker.login(botUser);
  await loggedIn;

  const { app, clock } = test;
  const contacts = new Map<number, mock.ContactMock>();
  const rooms = new Map<number, mock.RoomMock>();
  const contact = (user: number) => {
    let found = contacts.get(user);
    if (!found) {
      found = mocker.createContact({ id: `wxid_user${user}`, name: `用户${user}`, handle: `weixin_user${user}` });
      contacts.set(user, found);
    }
    return found;
  };
  const room = (group: number) => {
    let found = rooms.get(group);
    if (!found) {
      found = mocker.createRoom({ id: `${group}000@chatroom`, topic: `群${group}`, memberIdList: [botUser.id] });
      rooms.set(group, found);
    }
    return found;
  };
  const sent: Outgoing[] = [];
  const reading: Array<Promise<void>> = [];
  let seen = 0;
  puppet.on('message', ({ messageId }) => {
    const payload = mocker.messagePayload(messageId);
    if (payload.talkerId !== botUser.id) return;
    const text = payload.text ?? '';
    const buttons = [...text.matchAll(/^回复 \d+ (.+)$/gm)].map((m) => m[1] ?? '');
    const entry: Outgoing = { chatId: payload.roomId || payload.listenerId || '', text, buttons };
    sent.push(entry);
    // A file the bot sent: the mock keeps the FileBox it was given; read its bytes back.
    const box = mocker.cacheFileBoxPayload.get(messageId);
    if (box)
      reading.push(
        FileBox.fromJSON(box)
          .toBuffer()
          .then((bytes) => {
            entry.photo = bytes;
          }),
      );
  });

  const settle = async (event: 'message' | 'friendship' | 'room-join', fire: () => void) => {
    // The adapter's listener was registered first, so when ours runs its work is already tracked.
    const seenByBot = new Promise<void>((resolve) => wechat.bot.once(event, () => resolve()));
    fire();
    await seenByBot;
    await wechat.idle();
  };
  const say = async (user: number, text: string, group?: number, mention?: boolean) => {
    const talker = contact(user);
    let messageId = '';
    const capture = ({ messageId: id }: { messageId: string }) => {
      messageId ||= id;
    };
    puppet.once('message', capture);
    await settle('message', () => {
      if (group === undefined) talker.say(text).to(botUser);
      else {
        const target = room(group);
        if (!target.payload.memberIdList.includes(talker.id)) target.payload.memberIdList.push(talker.id);
        talker.say(mention ? `@${BOT_NAME}\u2005${text}` : text, mention ? [botUser] : []).to(target);
      }
    });
    return { replay: () => settle('message', () => puppet.emit('message', { messageId })) };
  };

  return {
    app,
    test,
    mocker,
    puppet,
    channelImpl: wechat,
    sent,
    contact,
    room,
    settle,
    channel: 'wechat',
    message: ({ user, group, text, mention }) => say(user, text, group, mention),
    async attachment({ user }) {
      const id = randomUUID();
      mocker.MessageMock.create({
        id,
        talkerId: contact(user).id,
        listenerId: botUser.id,
        timestamp: Date.now(),
        type: types.Message.Image,
      });
      await settle('message', () => puppet.emit('message', { messageId: id }));
      return { replay: () => settle('message', () => puppet.emit('message', { messageId: id })) };
    },
    press: ({ user, group, label }) => {
      const chatId = group === undefined ? contact(user).id : room(group).id;
      const message = [...sent].reverse().find((m) => m.chatId === chatId && m.buttons.some((b) => b.includes(label)));
      const number = (message?.buttons.findIndex((b) => b.includes(label)) ?? -1) + 1;
      if (!message || number === 0) throw new Error(`no option "${label}" in chat ${chatId}`);
      return say(user, String(number), group);
    },
    async flush() {
      for (let round = 0; round < 4; round++) {
        await app.sender.drainChannel('wechat');
        clock.advance(5000);
      }
      await wechat.idle();
      await Promise.all(reading.splice(0));
      const fresh = sent.slice(seen);
      seen = sent.length;
      return fresh;
    },
    privateChatId: (user) => contact(user).id,
    groupChatId: (group) => room(group).id,
    senderId: (user) => contact(user).id,
    async close() {
      await test.close();
    },
  };
}
