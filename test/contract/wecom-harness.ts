// Drives the 微信客服 channel for the contract suite and the WeCom tests: a fake WeCom server on
// loopback (test/helpers/fake-wecom.ts) holds the customers' messages; each test message is appended
// there and announced with an encrypted kf_msg_or_event callback posted to the app's callback route,
// exactly as WeCom does; the channel then pulls it with sync_msg. What the bot sends is read back from
// the fake (send_msg and send_msg_on_event).
import { sealCallback } from '../../adapters/wecom/callback.ts';
import { WecomCrypto } from '../../adapters/wecom/crypto.ts';
import type { Wecom, WecomChannel } from '../../adapters/wecom/index.ts';
import { buildXml } from '../../adapters/wecom/xml.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import type { Logger } from '../../src/kernel/logger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Provider, TestDatabase } from '../helpers/databases.ts';
import { type FakeWecom, startFakeWecom, type UploadedMedia } from '../helpers/fake-wecom.ts';
import type { ContractHarness, Outgoing } from './channel-contract.ts';

export const KF = 'wkGuanxiShop01';
export const CALLBACK = { token: 'CallbackToken42', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
export const CALLBACK_PATH = '/wecom/callback';
/** A 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Unique across harnesses (a restarted app shares the fake's log). */
let sequence = 0;

export interface WecomHarness extends ContractHarness {
  test: TestApp;
  fake: FakeWecom;
  wecom: Wecom;
  channelImpl: WecomChannel;
  /** Everything the platform received so far (send_msg and send_msg_on_event), in order. */
  sent: WecomOutgoing[];
  externalUserId(user: number): string;
  /** Posts a signed kf_msg_or_event callback for the 客服账号 and waits until its pull is done. */
  callback(openKfId?: string): Promise<{ status: number; body: string }>;
  /** Restarts the app on the same database and fake server (a new process would do the same). */
  restart(): Promise<WecomHarness>;
}

export interface WecomHarnessOptions {
  env?: Record<string, string>;
  fake?: FakeWecom;
  clock?: ManualClock;
  database?: TestDatabase;
  servicers?: string[];
  log?: Logger;
}

export async function wecomHarness(provider: Provider, options: WecomHarnessOptions = {}): Promise<WecomHarness> {
  const clock = options.clock ?? new ManualClock('2026-03-02T04:00:00Z');
  const fake =
    options.fake ?? (await startFakeWecom({ clock, callback: CALLBACK, servicers: options.servicers ?? [] }));
  const test = await createTestApp({
    provider,
    clock,
    ...(options.database ? { database: options.database } : {}),
    ...(options.log ? { app: { log: options.log } } : {}),
    env: {
      WECOM_CORP_ID: fake.corpId,
      WECOM_KF_SECRET: fake.secret,
      WECOM_CALLBACK_TOKEN: CALLBACK.token,
      WECOM_ENCODING_AES_KEY: CALLBACK.encodingAesKey,
      WECOM_API_ROOT: fake.apiRoot,
      ...options.env,
    },
  });
  // createApp mounts the callback and registers the channel, as in production.
  const wecom = test.app.wecom;
  if (!wecom?.channel) throw new Error('wecom channel not created');
  const created = wecom;
  const channel = wecom.channel;
  const { app } = test;
  // The start-up catch-up pull (when WECOM_OPEN_KFID names accounts) is done before the test goes on.
  await channel.idle();
  const crypto = new WecomCrypto({ ...CALLBACK, receiveId: fake.corpId });

  const externalUserId = (user: number) => `wmUser${user}x`;
  const chatId = (user: number) => externalUserId(user);
  const sent: WecomOutgoing[] = [];
  // A restarted app shares the fake: what the previous one sent is not this one's.
  let read = fake.sent.length;
  let readEvents = fake.eventSent.length;
  let seen = 0;
  const collect = () => {
    for (const message of fake.sent.slice(read))
      sent.push(outgoing(message.open_kfid, message.touser, message.body, fake.uploads));
    read = fake.sent.length;
    for (const message of fake.eventSent.slice(readEvents)) {
      // send_msg_on_event names no chat: the code was issued for the customer the test greeted.
      sent.push(outgoing('', '', message.body, fake.uploads));
    }
    readEvents = fake.eventSent.length;
  };

  const callback = async (openKfId = KF) => {
    const createTime = Math.floor(clock.now().getTime() / 1000);
    const event = buildXml({
      ToUserName: fake.corpId,
      CreateTime: createTime,
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: fake.issueSyncToken(),
      OpenKfId: openKfId,
    });
    const sealed = sealCallback(crypto, event, { timestamp: String(createTime) });
    const response = await app.http.inject({
      method: 'POST',
      url: `${CALLBACK_PATH}?${new URLSearchParams(sealed.query).toString()}`,
      headers: { 'content-type': 'text/xml' },
      payload: sealed.body,
    });
    await channel.idle();
    return { status: response.statusCode, body: response.body };
  };

  /** Appends a customer message (origin 3) to WeCom's log, announces it, and returns its redelivery. */
  const deliver = async (user: number, body: Record<string, unknown>) => {
    const item = {
      msgid: `harness-msg-${++sequence}-${fake.calls.length}`,
      open_kfid: KF,
      external_userid: externalUserId(user),
      send_time: Math.floor(clock.now().getTime() / 1000),
      origin: 3,
      ...body,
    };
    fake.push(KF, item);
    await callback();
    return {
      async replay() {
        // WeCom delivers the very same item again (at least once): same msgid, same content.
        fake.push(KF, item);
        await callback();
      },
    };
  };

  const harness: WecomHarness = {
    app,
    test,
    fake,
    wecom: created,
    channelImpl: channel,
    sent,
    channel: 'wecom',
    externalUserId,
    callback,
    message: ({ user, text }) => deliver(user, { msgtype: 'text', text: { content: text } }),
    attachment: ({ user }) => {
      const mediaId = fake.addMedia({ data: PNG, mime: 'image/png', name: 'photo.png' });
      return deliver(user, { msgtype: 'image', image: { media_id: mediaId } });
    },
    press: ({ user, label }) => {
      collect();
      const target = chatId(user);
      const menu = [...sent].reverse().find((m) => m.chatId === target && m.buttons.some((b) => b.includes(label)));
      const index = menu?.buttons.findIndex((b) => b.includes(label)) ?? -1;
      const id = menu?.menuIds[index];
      if (!id) throw new Error(`no menu item "${label}" in chat ${target}`);
      return deliver(user, { msgtype: 'text', text: { content: menu?.buttons[index] ?? label, menu_id: id } });
    },
    async flush() {
      for (let round = 0; round < 4; round++) {
        await app.sender.drainChannel('wecom');
        clock.advance(1000);
      }
      collect();
      const fresh = sent.slice(seen);
      seen = sent.length;
      return fresh;
    },
    privateChatId: chatId,
    groupChatId: () => {
      throw new Error('微信客服 has no group chats');
    },
    senderId: externalUserId,
    async restart() {
      await app.stop();
      return wecomHarness(provider, { ...options, fake, clock, database: test.database });
    },
    async close() {
      await test.close();
      if (!options.fake) await fake.close();
    },
  };
  return harness;
}

export interface WecomOutgoing extends Outgoing {
  /** The msgmenu click ids, beside their labels in `buttons`. */
  menuIds: string[];
}

function outgoing(
  openKfId: string,
  touser: string,
  body: Record<string, unknown>,
  uploads: UploadedMedia[],
): WecomOutgoing {
  const chatId = openKfId ? touser : '';
  const text = record(body.text).content;
  if (typeof text === 'string') return { chatId, text, buttons: [], menuIds: [] };
  const mediaId = record(body.image).media_id;
  if (typeof mediaId === 'string') {
    // An image message: the customer gets the bytes uploaded under that media_id.
    const upload = uploads.find((u) => u.mediaId === mediaId);
    return { chatId, text: '', buttons: [], menuIds: [], ...(upload ? { photo: upload.data } : {}) };
  }
  const menu = record(body.msgmenu);
  const list = Array.isArray(menu.list) ? menu.list.map((item) => record(record(item).click)) : [];
  return {
    chatId,
    text: typeof menu.head_content === 'string' ? menu.head_content : '',
    buttons: list.map((click) => String(click.content ?? '')),
    menuIds: list.map((click) => String(click.id ?? '')),
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}
