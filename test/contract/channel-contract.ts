// The adapter contract: one suite every channel must pass (webchat, Telegram grammY, Telegraf, WeChat).
// A harness drives the platform side (a fake Bot API, the Wechaty mock puppet, HTTP) and reports what
// the platform received; the suite only speaks in users, groups, texts and button labels.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { ChannelName } from '../../src/domain/messages.ts';
import { describeEachProvider, type Provider } from '../helpers/databases.ts';
import { multipartFile, PNG } from '../helpers/files.ts';

export interface Outgoing {
  chatId: string;
  text: string;
  /** Button labels as the platform shows them (inline keyboard, numbered options, JSON). */
  buttons: string[];
  /** The bytes of a photo the platform received (a staff photo), as the recipient gets them. */
  photo?: Buffer;
}

export interface Delivery {
  /** Delivers exactly the same update again (the platform's at-least-once redelivery). */
  replay(): Promise<void>;
}

export interface ContractHarness {
  app: App;
  channel: ChannelName;
  message(input: { user: number; group?: number; text: string; mention?: boolean }): Promise<Delivery>;
  /** A sticker/image with no text. */
  attachment(input: { user: number }): Promise<Delivery>;
  /** Presses the button labelled `label` on the latest message in that chat showing it. */
  press(input: { user: number; group?: number; label: string }): Promise<Delivery>;
  /** Lets the outbox send everything due, and returns what the platform received since the last call. */
  flush(): Promise<Outgoing[]>;
  privateChatId(user: number): string;
  groupChatId(group: number): string;
  senderId(user: number): string;
  close(): Promise<void>;
}

export interface ChannelCapabilities {
  /** False for channels without group chats (webchat): the group cases are skipped. */
  groups: boolean;
  /** False when the channel cannot carry non-text content (webchat): that case is skipped. */
  attachments: boolean;
}

/** A staff account signed in through the console API (the way the console does it). */
async function staffSession(app: App, username: string) {
  await app.services.staff.create(
    { username, name: `客服${username.length}`, role: 'agent', password: `${username}-password` },
    { type: 'system' },
  );
  const login = await app.http.inject({
    method: 'POST',
    url: '/api/console/login',
    payload: { username, password: `${username}-password` },
  });
  const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
  return {
    headers,
    async json(method: 'GET' | 'POST', url: string, body?: unknown) {
      const response = await app.http.inject({
        method,
        url,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: response.statusCode, body: response.json<unknown>() };
    },
  };
}

export function channelContract(
  name: string,
  can: ChannelCapabilities,
  make: (provider: Provider) => Promise<ContractHarness>,
): void {
  describeEachProvider(`channel contract: ${name}`, (provider) => {
    // One app per provider: every case uses its own users, so cases cannot see each other's effects.
    let h: ContractHarness;
    beforeAll(async () => {
      h = await make(provider);
    });
    afterAll(async () => {
      await h.close();
    });

    const interactions = async (user: number) => {
      const identity = await h.app.store.repos.customers.findIdentity(h.channel, h.senderId(user));
      return identity ? h.app.store.repos.interactions.forCustomer(identity.customerId, 200) : [];
    };

    it('private message → reply in the private chat', async () => {
      await h.message({ user: 1, text: '/start' });
      const out = await h.flush();
      expect(out).toHaveLength(1);
      expect(out[0]?.chatId).toBe(h.privateChatId(1));
      expect(out[0]?.text).toContain('小助手');
      expect(out[0]?.buttons.join('|')).toContain('我的资料');
    });

    it('button press → the flow takes the next step', async () => {
      await h.message({ user: 2, text: '/start' });
      await h.flush();
      await h.press({ user: 2, label: '我的资料' });
      const profile = await h.flush();
      expect(profile.map((m) => m.text).join('\n')).toContain('你的资料');
      await h.press({ user: 2, label: '修改姓名' });
      expect((await h.flush()).map((m) => m.text).join('\n')).toContain('请输入你的姓名');
      await h.message({ user: 2, text: '王小明' });
      expect((await h.flush()).map((m) => m.text).join('\n')).toContain('已保存');
      const identity = await h.app.store.repos.customers.findIdentity(h.channel, h.senderId(2));
      expect(identity?.customer.name).toBe('王小明');
    });

    it('replayed update → no second effect', async () => {
      const delivery = await h.message({ user: 3, text: '/start' });
      expect(await h.flush()).toHaveLength(1);
      await delivery.replay();
      expect(await h.flush()).toHaveLength(0);
      const logged = await interactions(3);
      expect(logged.filter((i) => i.direction === 'in')).toHaveLength(1);
      expect(logged.filter((i) => i.direction === 'out')).toHaveLength(1);
    });

    it('a 4096+ character message and an empty message are handled and logged', async () => {
      await h.message({ user: 4, text: '长'.repeat(5000) });
      await h.message({ user: 4, text: '' });
      const out = await h.flush();
      expect(out.length).toBeGreaterThanOrEqual(2);
      const inbound = (await interactions(4)).filter((i) => i.direction === 'in');
      expect(inbound).toHaveLength(2);
      expect(inbound.map((i) => i.text?.length ?? 0).sort((a, b) => b - a)[0]).toBe(4096);
    });

    it.skipIf(!can.attachments)('a sticker/image with no text is handled and logged', async () => {
      await h.attachment({ user: 5 });
      await h.flush();
      const inbound = (await interactions(5)).filter((i) => i.direction === 'in');
      expect(inbound).toHaveLength(1);
      expect(JSON.stringify(inbound[0]?.payload)).toContain('attachment');
    });

    it('staff sends a photo → the platform gets it once, natively, with its text; logged and shown in the console', async () => {
      await h.message({ user: 9, text: '人工' });
      await h.flush();
      const identity = await h.app.store.repos.customers.findIdentity(h.channel, h.senderId(9));
      const chat = await h.app.store.repos.chats.find(h.channel, h.privateChatId(9));
      const conversation =
        identity && chat ? await h.app.store.repos.conversations.findLive(identity.customerId, chat.id) : null;
      expect(conversation?.status).toBe('pending');
      const id = conversation?.id ?? 0;
      const staff = await staffSession(h.app, `photo-${h.channel}`);
      expect((await staff.json('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
      const upload = await h.app.http.inject({
        method: 'POST',
        url: `/api/console/conversations/${id}/attachments`,
        ...multipartFile(PNG, 'shoe.png', 'image/png', staff.headers),
      });
      expect(upload.statusCode).toBe(201);
      const photoId = upload.json<{ id: string }>().id;
      const caption = '这是鞋子的实拍图';
      const sent = await staff.json('POST', `/api/console/conversations/${id}/reply`, {
        text: caption,
        attachments: [photoId],
      });
      expect(sent.status).toBe(200);

      const out = await h.flush();
      const photos = out.filter((m) => m.photo);
      expect(photos).toHaveLength(1);
      expect(photos[0]?.photo?.equals(PNG)).toBe(true);
      expect(out.every((m) => m.chatId === h.privateChatId(9))).toBe(true);
      // As the caption, or as the next message where the platform has no captions.
      expect(out.map((m) => m.text).join('\n')).toContain(caption);
      // One outbox row, sent once: another round sends nothing.
      expect(await h.flush()).toHaveLength(0);
      const rows = await h.app.store.repos.outbox.forChat(h.channel, h.privateChatId(9), 0, 100);
      const photoRows = rows.filter((row) => JSON.stringify(row.meta).includes(photoId));
      expect(photoRows.map((row) => row.status)).toEqual(['sent']);

      const logged = (await interactions(9)).filter((i) => i.kind === 'staff_reply');
      expect(logged.map((i) => i.payload)).toContainEqual(expect.objectContaining({ attachments: [photoId] }));
      const thread = await staff.json('GET', `/api/console/conversations/${id}`);
      const messages = (thread.body as { messages: Array<{ from: string; text: string; attachments: string[] }> })
        .messages;
      expect(messages.find((m) => m.from === 'staff')).toMatchObject({ text: caption, attachments: [photoId] });
    });

    it.skipIf(!can.groups)('group without mention → silence (but logged)', async () => {
      await h.message({ user: 6, group: 1, text: '你好' });
      expect(await h.flush()).toHaveLength(0);
      expect((await interactions(6)).filter((i) => i.direction === 'in')).toHaveLength(1);
    });

    it.skipIf(!can.groups)('group with mention → reply in the group', async () => {
      await h.message({ user: 7, group: 1, text: '菜单', mention: true });
      const out = await h.flush();
      expect(out).toHaveLength(1);
      expect(out[0]?.chatId).toBe(h.groupChatId(1));
      expect(out[0]?.text).toContain('小助手');
    });

    it.skipIf(!can.groups)('private data requested in a group → never posted in the group', async () => {
      // Never talked to the bot privately: the group is told how to reach it, nothing personal.
      await h.message({ user: 8, group: 1, text: '我的资料', mention: true });
      const first = await h.flush();
      expect(first.every((m) => m.chatId === h.groupChatId(1))).toBe(true);
      expect(first.map((m) => m.text).join('\n')).toContain('私聊');
      expect(first.map((m) => m.text).join('\n')).not.toContain('你的资料');
      // After a private chat exists, the profile goes there and the group only gets a pointer.
      await h.message({ user: 8, text: '/start' });
      await h.flush();
      await h.message({ user: 8, group: 1, text: '我的资料', mention: true });
      const second = await h.flush();
      const inGroup = second.filter((m) => m.chatId === h.groupChatId(1));
      const inPrivate = second.filter((m) => m.chatId === h.privateChatId(8));
      expect(inPrivate.map((m) => m.text).join('\n')).toContain('你的资料');
      expect(inGroup.map((m) => m.text).join('\n')).not.toContain('你的资料');
      expect(inGroup.map((m) => m.text).join('\n')).toContain('私信');
    });
  });
}
