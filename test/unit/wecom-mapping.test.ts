// 微信客服 mapping: sync_msg items → Inbound / typed events, replies → send_msg contents within
// WeCom's limits, and a button's data surviving the trip through a msgmenu click.
import { describe, expect, it } from 'vitest';
import { kfChatId, parseKfChatId } from '../../adapters/wecom/chat-id.ts';
import { type KfItem, mapKfMessage } from '../../adapters/wecom/inbound.ts';
import type { ButtonPayloadStore } from '../../adapters/wecom/menu.ts';
import { addressed, outboxMsgid, renderReply, splitBytes, truncateBytes } from '../../adapters/wecom/outbound.ts';

/** The running app keeps long button data in its ButtonPayload table; a Map stands in for it here. */
function payloadStore(): ButtonPayloadStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async put(key, data) {
      entries.set(key, data);
    },
    async get(key) {
      return entries.get(key);
    },
  };
}

const KF = 'wkAJ2GCAAAZSfhHCt7IFSvLKtMPxyJTw';
const USER = 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw';
const chatId = `${KF}:${USER}`;
const base = { msgid: 'm1', open_kfid: KF, external_userid: USER, send_time: 1772352000, origin: 3 };

async function map(item: Record<string, unknown>, store = payloadStore()): Promise<KfItem> {
  return mapKfMessage(item, store);
}

describe('sync_msg items → Inbound', () => {
  it('a text message: chat = 客服账号 + customer, sender = the customer, dedupe key = msgid', async () => {
    const item = await map({ ...base, msgtype: 'text', text: { content: '有货吗？' } });
    expect(item).toEqual({
      kind: 'customer_message',
      chat: { openKfId: KF, externalUserId: USER },
      inbound: {
        channel: 'wecom',
        messageId: 'm1',
        at: new Date(1772352000 * 1000),
        chat: { id: chatId, kind: 'private' },
        sender: { id: USER },
        text: '有货吗？',
        mentionsBot: true,
      },
    });
    expect(parseKfChatId(chatId)).toEqual({ openKfId: KF, externalUserId: USER });
  });

  it('image, voice, video and file carry their media_id; location its address and coordinates; links their URL', async () => {
    for (const type of ['image', 'voice', 'video', 'file'] as const) {
      const item = await map({ ...base, msgtype: type, [type]: { media_id: `MEDIA_${type}` } });
      expect(item).toMatchObject({
        kind: 'customer_message',
        media: { type, mediaId: `MEDIA_${type}` },
        inbound: { text: '', attachment: { kind: type, ref: `MEDIA_${type}` } },
      });
    }
    const location = await map({
      ...base,
      msgtype: 'location',
      location: { latitude: 31.23, longitude: 121.47, name: '人民广场', address: '上海市黄浦区' },
    });
    expect(location).toMatchObject({
      inbound: { text: '人民广场 上海市黄浦区', attachment: { kind: 'location', ref: '31.23,121.47' } },
    });
    const link = await map({ ...base, msgtype: 'link', link: { title: 'T', url: 'https://shop.example/p/1' } });
    expect(link).toMatchObject({ inbound: { text: 'https://shop.example/p/1', attachment: { kind: 'link' } } });
    const card = await map({ ...base, msgtype: 'business_card', business_card: { userid: 'u' } });
    expect(card).toMatchObject({
      kind: 'customer_message',
      inbound: { text: '', attachment: { kind: 'business_card' } },
    });
  });

  it('a tapped msgmenu item carries the button data, short ids directly and long data through the store', async () => {
    const store = payloadStore();
    const longData = `order:${'x'.repeat(200)}`;
    const [menu] = await renderReply(
      {
        text: '请选择',
        buttons: [
          { label: '查订单', data: 'menu:orders' },
          { label: '详情', data: longData },
        ],
      },
      store,
    );
    if (menu?.msgtype !== 'msgmenu') throw new Error('expected a menu');
    const [short, long] = menu.msgmenu.list;
    expect(short?.click).toEqual({ id: 'menu:orders', content: '查订单' });
    expect(Buffer.byteLength(long?.click.id ?? '')).toBeLessThanOrEqual(64);
    const tapped = await map({ ...base, msgtype: 'text', text: { content: '详情', menu_id: long?.click.id } }, store);
    expect(tapped).toMatchObject({ inbound: { text: '详情', action: { data: longData } } });
    const direct = await map({ ...base, msgtype: 'text', text: { content: '查订单', menu_id: 'menu:orders' } }, store);
    expect(direct).toMatchObject({ inbound: { action: { data: 'menu:orders' } } });
    // A key the store does not know (older than the table, or forged) is just the typed text.
    const unknown = await map({ ...base, msgtype: 'text', text: { content: '详情', menu_id: '~unknownkey' } }, store);
    expect(unknown).toMatchObject({ kind: 'customer_message', inbound: { text: '详情' } });
    expect(unknown.kind === 'customer_message' && unknown.inbound.action).toBeUndefined();
  });

  it('enter_session: a /start with the scene kept as the source and the welcome_code', async () => {
    const item = await map({
      msgid: 'e1',
      send_time: 1772352000,
      origin: 4,
      msgtype: 'event',
      event: {
        event_type: 'enter_session',
        open_kfid: KF,
        external_userid: USER,
        scene: 'poster_0301',
        scene_param: 'store%3D12',
        welcome_code: 'WELCOME',
      },
    });
    expect(item).toEqual({
      kind: 'enter_session',
      chat: { openKfId: KF, externalUserId: USER },
      inbound: {
        channel: 'wecom',
        messageId: 'e1',
        at: new Date(1772352000 * 1000),
        chat: { id: chatId, kind: 'private' },
        sender: { id: USER },
        text: '/start',
        mentionsBot: true,
        attachment: { kind: 'enter_session', ref: 'poster_0301' },
      },
      welcomeCode: 'WELCOME',
      source: { scene: 'poster_0301', sceneParam: 'store%3D12' },
    });
  });

  it('session changes made in the WeCom app, failed sends and 接待人员 messages are typed, not Inbound', async () => {
    const event = (fields: Record<string, unknown>) => ({
      msgid: 'e2',
      send_time: 1772352000,
      origin: 4,
      msgtype: 'event',
      event: { open_kfid: KF, external_userid: USER, ...fields },
    });
    expect(
      await map(
        event({ event_type: 'session_status_change', change_type: 1, new_servicer_userid: 'zhangsan', msg_code: 'MC' }),
      ),
    ).toMatchObject({
      kind: 'session_change',
      change: 'taken_from_queue',
      newServicerUserId: 'zhangsan',
      msgCode: 'MC',
    });
    expect(
      await map(event({ event_type: 'session_status_change', change_type: 3, old_servicer_userid: 'zhangsan' })),
    ).toMatchObject({
      kind: 'session_change',
      change: 'ended',
      oldServicerUserId: 'zhangsan',
    });
    expect(await map(event({ event_type: 'msg_send_fail', fail_msgid: 'gx12_0', fail_type: 4 }))).toMatchObject({
      kind: 'send_failed',
      failedMsgid: 'gx12_0',
      failType: 4,
    });
    expect(await map(event({ event_type: 'user_recall_msg', recall_msgid: 'm0' }))).toMatchObject({
      kind: 'other_event',
      eventType: 'user_recall_msg',
    });
    expect(
      await map({
        ...base,
        origin: 5,
        servicer_userid: 'zhangsan',
        msgtype: 'text',
        text: { content: '您好，我是客服' },
      }),
    ).toMatchObject({ kind: 'servicer_message', servicerUserId: 'zhangsan', text: '您好，我是客服' });
  });

  it('odd items are ignored one by one with a reason, never thrown', async () => {
    expect(await map({ msgid: 'x' })).toEqual({ kind: 'ignored', msgid: 'x', reason: 'malformed' });
    expect(await map({ ...base, origin: 9, msgtype: 'text', text: { content: 'a' } })).toMatchObject({
      reason: 'unsupported',
    });
    expect(await map({ ...base, external_userid: 'has:colon', msgtype: 'text', text: { content: 'a' } })).toMatchObject(
      {
        reason: 'malformed',
      },
    );
    expect(await map({ ...base, msgtype: 'image' })).toMatchObject({ reason: 'malformed' });
    expect(await map({ ...base, msgtype: 'text' })).toMatchObject({ reason: 'malformed' });
    expect(await map({ ...base, msgtype: 'location' })).toMatchObject({ reason: 'malformed' });
    expect(await mapKfMessage('not an object', payloadStore())).toEqual({ kind: 'ignored', reason: 'malformed' });
    const long = await map({ ...base, msgtype: 'text', text: { content: '长'.repeat(5000) } });
    expect(long.kind === 'customer_message' && long.inbound.text.length).toBe(4096);
  });
});

describe('replies → send_msg contents', () => {
  it('plain text is one text message; text over 2048 bytes is split at line breaks, never inside a character', async () => {
    expect(await renderReply({ text: '您好' }, payloadStore())).toEqual([
      { msgtype: 'text', text: { content: '您好' } },
    ]);
    const lines = Array.from({ length: 120 }, (_, i) => `第${i}行：订单状态已更新`).join('\n');
    const parts = await renderReply({ text: lines }, payloadStore());
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      if (part.msgtype !== 'text') throw new Error('expected text');
      expect(Buffer.byteLength(part.text.content)).toBeLessThanOrEqual(2048);
      expect(part.text.content.startsWith('第')).toBe(true);
    }
    expect(parts.map((p) => (p.msgtype === 'text' ? p.text.content : '')).join('\n')).toBe(lines);
    expect(splitBytes('好'.repeat(1000), 2048).map((p) => p.length)).toEqual([682, 318]);
    expect(truncateBytes('😀😀', 5)).toBe('😀');
  });

  it('buttons become one msgmenu headed by the text; more than 10 buttons make a second menu', async () => {
    const buttons = Array.from({ length: 12 }, (_, i) => ({ label: `选项${i}`, data: `opt:${i}` }));
    const parts = await renderReply({ text: '请选择', buttons }, payloadStore());
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ msgtype: 'msgmenu', msgmenu: { head_content: '请选择' } });
    expect(parts[0]?.msgtype === 'msgmenu' && parts[0].msgmenu.list).toHaveLength(10);
    expect(parts[1]).toEqual({
      msgtype: 'msgmenu',
      msgmenu: {
        list: [
          { type: 'click', click: { id: 'opt:10', content: '选项10' } },
          { type: 'click', click: { id: 'opt:11', content: '选项11' } },
        ],
      },
    });
  });

  it('a long text with buttons: the text goes first, its last piece heads the menu within 1024 bytes', async () => {
    const text = `${'说明'.repeat(300)}\n请选择：`;
    const parts = await renderReply({ text, buttons: [{ label: '好的', data: 'ok' }] }, payloadStore());
    expect(parts.map((p) => p.msgtype)).toEqual(['text', 'msgmenu']);
    const [first, menu] = parts;
    const head = menu?.msgtype === 'msgmenu' ? (menu.msgmenu.head_content ?? '') : '';
    expect(head.endsWith('请选择：')).toBe(true);
    expect(Buffer.byteLength(head)).toBeLessThanOrEqual(1024);
    expect((first?.msgtype === 'text' ? first.text.content : '') + head).toBe(text);
  });

  it('addresses a content to the chat with our own msgid', () => {
    const chat = parseKfChatId(kfChatId({ openKfId: KF, externalUserId: USER }));
    if (!chat) throw new Error('chat id should parse');
    expect(addressed(chat, { msgtype: 'text', text: { content: 'hi' } }, outboxMsgid(123456789, 2))).toEqual({
      touser: USER,
      open_kfid: KF,
      msgid: 'gx123456789_2',
      msgtype: 'text',
      text: { content: 'hi' },
    });
    expect(parseKfChatId('only-one-part')).toBeUndefined();
    expect(parseKfChatId('a:b:c')).toBeUndefined();
  });
});
