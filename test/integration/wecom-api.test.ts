// The 微信客服 protocol layer against the fake WeCom server over real HTTP: access token caching and
// its single refresh, the sync_msg cursor loop, sends and how their failures are classified, the
// welcome through send_msg_on_event, customer lookups, session state and media.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WecomClient } from '../../adapters/wecom/client.ts';
import { toSendError, WecomApiError } from '../../adapters/wecom/errors.ts';
import { type KfItem, mapKfMessage } from '../../adapters/wecom/inbound.ts';
import { KfApi } from '../../adapters/wecom/kf-api.ts';
import { MediaRejected } from '../../adapters/wecom/media.ts';
import type { ButtonPayloadStore } from '../../adapters/wecom/menu.ts';
import { addressed, imageContent, outboxMsgid, renderReply } from '../../adapters/wecom/outbound.ts';
import { checkSend, customerWrote, noAllowance, recordSent } from '../../adapters/wecom/rules.ts';
import { type CursorStore, pullMessages } from '../../adapters/wecom/sync.ts';
import { HOUR, ManualClock, MINUTE } from '../../src/kernel/clock.ts';
import { type FakeWecom, startFakeWecom } from '../helpers/fake-wecom.ts';

const KF = 'wkSHOP01';
const ALICE = 'wmALICE01';
const chat = { openKfId: KF, externalUserId: ALICE };

// The running app keeps cursors and long button data in its database; Maps stand in for it here.
function cursorStore(): CursorStore & { saved: string[] } {
  const cursors = new Map<string, string>();
  const saved: string[] = [];
  return {
    saved,
    async load(openKfId) {
      return cursors.get(openKfId);
    },
    async save(openKfId, cursor) {
      saved.push(cursor);
      cursors.set(openKfId, cursor);
    },
  };
}

function payloadStore(): ButtonPayloadStore {
  const entries = new Map<string, string>();
  return {
    async put(key, data) {
      entries.set(key, data);
    },
    async get(key) {
      return entries.get(key);
    },
  };
}

const msgidOf = (item: unknown) => z.object({ msgid: z.string() }).parse(item).msgid;
const SentMenu = z.object({ list: z.array(z.object({ click: z.object({ id: z.string(), content: z.string() }) })) });
const BatchBody = z.object({ external_userid_list: z.array(z.string()) });

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

let clock: ManualClock;
let fake: FakeWecom;
let api: KfApi;

function connect(apiRoot = fake.apiRoot): KfApi {
  return new KfApi(new WecomClient({ apiRoot, corpId: fake.corpId, secret: fake.secret, clock }));
}

const callsOf = (path: string) => fake.calls.filter((c) => c.path === path);

beforeEach(async () => {
  clock = new ManualClock('2026-03-01T08:00:00Z');
  fake = await startFakeWecom({ clock, servicers: ['zhangsan'] });
  api = connect();
});

afterEach(async () => {
  await fake.close();
});

describe('access token', () => {
  it('is fetched once, shared by concurrent calls, and refreshed shortly before it expires', async () => {
    await Promise.all([1, 2, 3, 4, 5].map(() => api.getServiceState(KF, ALICE)));
    expect(fake.issuedTokens()).toHaveLength(1);
    clock.advance(2 * HOUR - 4 * MINUTE);
    await api.getServiceState(KF, ALICE);
    expect(fake.issuedTokens()).toHaveLength(2);
    const [first, second] = fake.issuedTokens();
    expect(callsOf('/cgi-bin/kf/service_state/get').map((c) => c.accessToken)).toEqual([
      first,
      first,
      first,
      first,
      first,
      second,
    ]);
  });

  it('expired on the platform (42001): one refresh and the call is repeated with the new token', async () => {
    await api.getServiceState(KF, ALICE);
    fake.expireTokens();
    await expect(api.getServiceState(KF, ALICE)).resolves.toEqual({ state: 'new' });
    const [first, second] = fake.issuedTokens();
    expect(callsOf('/cgi-bin/kf/service_state/get').map((c) => c.accessToken)).toEqual([first, first, second]);
  });

  it('refused again after the refresh (40014): gives up after one refresh, naming neither token nor secret', async () => {
    fake.script('/cgi-bin/kf/service_state/get', { errcode: 40014 }, { errcode: 40014 });
    const error = await caught(() => api.getServiceState(KF, ALICE));
    expect(error).toBeInstanceOf(WecomApiError);
    expect(callsOf('/cgi-bin/gettoken')).toHaveLength(2);
    expect(callsOf('/cgi-bin/kf/service_state/get')).toHaveLength(2);
    const text = `${error.message}\n${error.stack}`;
    for (const secret of [fake.secret, ...fake.issuedTokens()]) expect(text).not.toContain(secret);
    expect(toSendError(error)).toMatchObject({ kind: 'retryable', reason: 'credentials' });
  });

  it('a wrong secret is refused without repeating it in the error; credentials WeCom echoes are scrubbed', async () => {
    const wrong = new KfApi(
      new WecomClient({ apiRoot: fake.apiRoot, corpId: fake.corpId, secret: 'wrong-secret-value', clock }),
    );
    const error = await caught(() => wrong.getServiceState(KF, ALICE));
    expect(error).toMatchObject({ errcode: 40001 });
    expect(error.message).not.toContain('wrong-secret-value');
    await api.getServiceState(KF, ALICE);
    const [token = ''] = fake.issuedTokens();
    fake.script('/cgi-bin/kf/service_state/get', {
      errcode: 40058,
      errmsg: `bad call access_token=${token}&x=1 secret ${fake.secret} token ${token}`,
    });
    const echoed = await caught(() => api.getServiceState(KF, ALICE));
    expect(echoed.message).toContain('errcode 40058');
    expect(echoed.message).not.toContain(token);
    expect(echoed.message).not.toContain(fake.secret);
  });
});

describe('sync_msg', () => {
  it('pulls page after page while has_more, saving each next_cursor after its page was handled', async () => {
    await fake.close();
    fake = await startFakeWecom({ clock, syncPageSize: 2 });
    api = connect();
    const ids = ['一', '二', '三', '四', '五'].map((text) => fake.customerSays(KF, ALICE, text));
    const cursors = cursorStore();
    const pages: string[][] = [];
    const outcome = await pullMessages(api, {
      openKfId: KF,
      token: fake.issueSyncToken(),
      cursors,
      handle: async (messages) => {
        pages.push(messages.map((m) => msgidOf(m)));
        expect(cursors.saved).toHaveLength(pages.length - 1);
      },
    });
    expect(outcome).toEqual({ pages: 3, messages: 5, stoppedEarly: false });
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(cursors.saved).toEqual(['cur-2', 'cur-4', 'cur-5']);
    expect(callsOf('/cgi-bin/kf/sync_msg').map((c) => c.body)).toMatchObject([
      { open_kfid: KF, limit: 1000, token: expect.stringMatching(/^ENC/) },
      { cursor: 'cur-2' },
      { cursor: 'cur-4' },
    ]);
  });

  it('after a restart continues from the stored cursor; a page whose handling failed is pulled again', async () => {
    const cursors = cursorStore();
    fake.customerSays(KF, ALICE, 'before restart');
    await pullMessages(api, { openKfId: KF, cursors, handle: async () => {} });
    const later = [fake.customerSays(KF, ALICE, 'after 1'), fake.customerSays(KF, ALICE, 'after 2')];
    const restarted = connect();
    const crash = await caught(() =>
      pullMessages(restarted, {
        openKfId: KF,
        cursors,
        handle: async () => {
          throw new Error('process died while handling');
        },
      }),
    );
    expect(crash.message).toBe('process died while handling');
    const seen: unknown[] = [];
    await pullMessages(connect(), { openKfId: KF, cursors, handle: async (messages) => void seen.push(...messages) });
    expect(seen.map((m) => msgidOf(m))).toEqual(later);
    expect(cursors.saved).toEqual(['cur-1', 'cur-3']);
  });

  it('an empty page with has_more does not end the pull; maxPages bounds one pull', async () => {
    fake.customerSays(KF, ALICE, 'hello');
    fake.injectEmptyPage();
    const seen: unknown[] = [];
    const outcome = await pullMessages(api, {
      openKfId: KF,
      cursors: cursorStore(),
      handle: async (m) => void seen.push(...m),
    });
    expect(outcome).toEqual({ pages: 2, messages: 1, stoppedEarly: false });
    expect(seen).toHaveLength(1);
    fake.injectEmptyPage();
    fake.injectEmptyPage();
    const bounded = await pullMessages(api, {
      openKfId: KF,
      cursors: cursorStore(),
      maxPages: 1,
      handle: async () => {},
    });
    expect(bounded).toEqual({ pages: 1, messages: 0, stoppedEarly: true });
  });

  it('a callback Token older than 10 minutes (95007): the pull goes on without it', async () => {
    const token = fake.issueSyncToken();
    fake.customerSays(KF, ALICE, 'slow');
    clock.advance(11 * MINUTE);
    const outcome = await pullMessages(api, { openKfId: KF, token, cursors: cursorStore(), handle: async () => {} });
    expect(outcome.messages).toBe(1);
    const bodies = callsOf('/cgi-bin/kf/sync_msg').map((c) => c.body);
    expect(bodies[0]).toHaveProperty('token', token);
    expect(bodies[1]).not.toHaveProperty('token');
  });
});

describe('sending', () => {
  async function send(text: string, part = 0) {
    return api.sendMsg(addressed(chat, { msgtype: 'text', text: { content: text } }, outboxMsgid(1, part)));
  }

  it('five messages per customer message within 48 hours; the rules module refuses what the platform refuses', async () => {
    fake.customerSays(KF, ALICE, '在吗');
    let allowance = customerWrote(noAllowance, clock.now());
    for (let i = 0; i < 5; i++) {
      expect(checkSend(allowance, clock.now()).allowed).toBe(true);
      await expect(send(`回复${i}`, i)).resolves.toEqual({ msgid: `gx1_${i}` });
      allowance = recordSent(allowance);
    }
    expect(checkSend(allowance, clock.now())).toEqual({ allowed: false, reason: 'message_limit' });
    expect(toSendError(await caught(() => send('第六条')))).toMatchObject({
      kind: 'permanent',
      reason: 'message_limit',
      errcode: 95001,
    });

    clock.advance(HOUR);
    fake.customerSays(KF, ALICE, '还在吗');
    allowance = customerWrote(allowance, clock.now());
    await expect(send('在的')).resolves.toBeDefined();
    clock.advance(48 * HOUR);
    expect(checkSend(allowance, clock.now())).toEqual({ allowed: false, reason: 'window_closed' });
    expect(toSendError(await caught(() => send('太晚了')))).toMatchObject({
      kind: 'permanent',
      reason: 'window_closed',
      errcode: 95002,
    });
    expect(fake.sent.map((m) => m.msgtype)).toEqual(['text', 'text', 'text', 'text', 'text', 'text']);
  });

  it('rate limits are retried with back-off; a busy platform is retried; a session held by a 接待人员 is not', async () => {
    fake.customerSays(KF, ALICE, 'hi');
    fake.script('/cgi-bin/kf/send_msg', { errcode: 45009 }, { errcode: 45033 }, { errcode: -1 });
    expect(toSendError(await caught(() => send('a')))).toMatchObject({
      kind: 'retryable',
      reason: 'rate_limited',
      retryAfterMs: 60_000,
    });
    expect(toSendError(await caught(() => send('a')))).toMatchObject({ kind: 'retryable', reason: 'rate_limited' });
    expect(toSendError(await caught(() => send('a')))).toMatchObject({ kind: 'retryable', reason: 'platform_busy' });
    fake.setServiceState(KF, ALICE, 'staff', 'zhangsan');
    expect(toSendError(await caught(() => send('a')))).toMatchObject({
      kind: 'permanent',
      reason: 'session_state',
      errcode: 95018,
    });
    expect(fake.sent).toHaveLength(0);
  });

  it('a connection lost after the request was written is ambiguous; one that never connected is retryable', async () => {
    fake.customerSays(KF, ALICE, 'hi');
    await api.getServiceState(KF, ALICE);
    fake.script('/cgi-bin/kf/send_msg', { drop: true }, { status: 502, text: '<html>Bad Gateway</html>' });
    expect(toSendError(await caught(() => send('a')))).toMatchObject({ kind: 'ambiguous', reason: 'outcome_unknown' });
    expect(toSendError(await caught(() => send('a')))).toMatchObject({ kind: 'ambiguous', reason: 'outcome_unknown' });
    const closed = await startFakeWecom({ clock });
    const closedRoot = closed.apiRoot;
    await closed.close();
    const refused = await caught(() => connect(closedRoot).getServiceState(KF, ALICE));
    expect(toSendError(refused)).toMatchObject({ kind: 'retryable', reason: 'network' });
    expect(refused.message).toBe('GET /cgi-bin/gettoken: ECONNREFUSED');
    // A failure after part of a reply went out: repeating the reply would repeat that part.
    fake.script('/cgi-bin/kf/send_msg', { errcode: 45009 });
    expect(toSendError(await caught(() => send('b')), { partial: true })).toMatchObject({ kind: 'ambiguous' });
  });

  it('a reply with buttons goes out as a msgmenu the platform accepts; the customer’s tap comes back as the button data', async () => {
    const payloads = payloadStore();
    fake.customerSays(KF, ALICE, '菜单');
    const longData = `track:${'9'.repeat(120)}`;
    const contents = await renderReply(
      {
        text: '您想做什么？',
        buttons: [
          { label: '查看订单', data: 'orders:list' },
          { label: '物流', data: longData },
        ],
      },
      payloads,
    );
    for (const [part, content] of contents.entries()) await api.sendMsg(addressed(chat, content, outboxMsgid(7, part)));
    const menu = SentMenu.parse(fake.sent[0]?.body.msgmenu);
    const tapped = menu.list[1]?.click;
    fake.customerSays(KF, ALICE, { msgtype: 'text', text: { content: tapped?.content, menu_id: tapped?.id } });
    const items: KfItem[] = [];
    await pullMessages(api, {
      openKfId: KF,
      cursors: cursorStore(),
      handle: async (messages) => {
        for (const message of messages) items.push(await mapKfMessage(message, payloads));
      },
    });
    expect(
      items.map((i) => (i.kind === 'customer_message' ? [i.inbound.text, i.inbound.action?.data] : i.kind)),
    ).toEqual([
      ['菜单', undefined],
      ['物流', longData],
    ]);
  });

  it('the welcome goes out with enter_session’s welcome_code, once, within 20 seconds', async () => {
    const { welcomeCode } = fake.enterSession(KF, ALICE, { scene: 'poster', sceneParam: 'spring' });
    const items: KfItem[] = [];
    await pullMessages(api, {
      openKfId: KF,
      cursors: cursorStore(),
      handle: async (messages) => {
        for (const message of messages) items.push(await mapKfMessage(message, payloadStore()));
      },
    });
    expect(items[0]).toMatchObject({
      kind: 'enter_session',
      welcomeCode,
      source: { scene: 'poster', sceneParam: 'spring' },
    });
    const code = items[0]?.kind === 'enter_session' ? (items[0].welcomeCode ?? '') : '';
    await expect(
      api.sendMsgOnEvent(code, { msgtype: 'text', text: { content: '欢迎光临' } }, 'gx9_0'),
    ).resolves.toEqual({
      msgid: 'gx9_0',
    });
    expect(fake.eventSent).toMatchObject([{ code, body: { msgtype: 'text', text: { content: '欢迎光临' } } }]);
    expect(
      toSendError(await caught(() => api.sendMsgOnEvent(code, { msgtype: 'text', text: { content: '再次' } }))),
    ).toMatchObject({ kind: 'permanent' });
    const late = fake.enterSession(KF, 'wmBOB', {});
    clock.advance(20_000);
    await expect(
      api.sendMsgOnEvent(late.welcomeCode ?? '', { msgtype: 'text', text: { content: '欢迎' } }),
    ).rejects.toThrow(WecomApiError);
  });
});

describe('customers, session state and media', () => {
  it('customer/batchget in calls of 100; unknown ids are reported', async () => {
    fake.addCustomer({
      external_userid: ALICE,
      nickname: '爱丽丝',
      avatar: 'https://wx.qlogo.cn/a',
      unionid: 'oUNION1',
    });
    const ids = [ALICE, ...Array.from({ length: 149 }, (_, i) => `wmGHOST${i}`)];
    const { customers, invalid } = await api.batchGetCustomers(ids);
    expect(customers).toEqual([
      { external_userid: ALICE, nickname: '爱丽丝', avatar: 'https://wx.qlogo.cn/a', unionid: 'oUNION1', gender: 0 },
    ]);
    expect(invalid).toHaveLength(149);
    const batches = callsOf('/cgi-bin/kf/customer/batchget').map((c) => BatchBody.parse(c.body));
    expect(batches.map((b) => b.external_userid_list.length)).toEqual([100, 50]);
  });

  it('service_state: bot → queue → staff (a msg_code for the greeting); staff needs a known 接待人员', async () => {
    await expect(api.getServiceState(KF, ALICE)).resolves.toEqual({ state: 'new' });
    await expect(api.transServiceState({ openKfId: KF, externalUserId: ALICE, state: 'queue' })).resolves.toEqual({});
    const taken = await api.transServiceState({
      openKfId: KF,
      externalUserId: ALICE,
      state: 'staff',
      servicerUserId: 'zhangsan',
    });
    expect(taken.msgCode).toMatch(/^msgcode/);
    await expect(api.getServiceState(KF, ALICE)).resolves.toEqual({ state: 'staff', servicerUserId: 'zhangsan' });
    const refused = await caught(() =>
      api.transServiceState({ openKfId: KF, externalUserId: 'wmBOB', state: 'staff', servicerUserId: 'nobody' }),
    );
    expect(refused).toMatchObject({ errcode: 95014 });
  });

  it('uploads an image as multipart and downloads media with its name; refuses what WeCom would refuse before sending', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(60, 7)]);
    const { mediaId } = await api.uploadMedia('image', { name: '商品图.png', mime: 'image/png', data: png });
    expect(fake.uploads).toMatchObject([{ mediaId, type: 'image', name: '商品图.png', mime: 'image/png' }]);
    expect(fake.uploads[0]?.data.equals(png)).toBe(true);
    fake.customerSays(KF, ALICE, '有图吗');
    await api.sendMsg(addressed(chat, imageContent(mediaId), outboxMsgid(3, 0)));
    expect(fake.sent).toMatchObject([{ msgtype: 'image', body: { image: { media_id: mediaId } } }]);
    const stored = fake.addMedia({ data: Buffer.from('%PDF-1.7 invoice'), mime: 'application/pdf', name: '发票.pdf' });
    await expect(api.downloadMedia(stored)).resolves.toEqual({
      data: Buffer.from('%PDF-1.7 invoice'),
      mime: 'application/pdf',
      name: '发票.pdf',
    });
    await expect(api.downloadMedia('missing')).rejects.toMatchObject({ errcode: 40007 });
    const callsBefore = fake.calls.length;
    await expect(
      api.uploadMedia('image', { name: 'big.png', mime: 'image/png', data: Buffer.alloc(10 * 1024 * 1024 + 1) }),
    ).rejects.toThrow(MediaRejected);
    await expect(api.uploadMedia('image', { name: 'x.gif', mime: 'image/gif', data: png })).rejects.toThrow(
      MediaRejected,
    );
    expect(fake.calls.length).toBe(callsBefore);
  });
});
