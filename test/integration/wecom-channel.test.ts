// The 微信客服 channel end to end, on SQLite and PostgreSQL: signed callbacks posted to the app's route,
// messages pulled from a fake WeCom server with sync_msg, replies sent through the outbox to it. What
// is particular to WeCom: the callback's signature, the cursor kept across a restart, the platform's
// sending rules (48 hours, five per customer message) for replies and campaigns, the access token's
// refresh, 45009 retries, the enter_session welcome and the customer's profile from batchget.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { sealCallback, sealEcho } from '../../adapters/wecom/callback.ts';
import { WecomCrypto } from '../../adapters/wecom/crypto.ts';
import { buildXml } from '../../adapters/wecom/xml.ts';
import { HOUR } from '../../src/kernel/clock.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { CALLBACK, CALLBACK_PATH, KF, type WecomHarness, wecomHarness } from '../contract/wecom-harness.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('wecom 微信客服 channel', (provider) => {
  let h: WecomHarness;
  beforeAll(async () => {
    h = await wecomHarness(provider);
  });
  afterAll(async () => {
    await h.close();
  });

  const say = (user: number, text: string) => h.message({ user, text });
  const sendMsgCalls = (user: number) =>
    h.fake.calls.filter(
      (c) =>
        c.path === '/cgi-bin/kf/send_msg' &&
        z.object({ touser: z.string() }).parse(c.body).touser === h.externalUserId(user),
    );
  const inbound = async (user: number) => {
    const identity = await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(user));
    const rows = identity ? await h.app.store.repos.interactions.forCustomer(identity.customerId, 200) : [];
    return rows.filter((i) => i.direction === 'in');
  };

  it('answers the URL check with the decrypted echostr, and refuses a bad signature with 401 before reading anything', async () => {
    const crypto = new WecomCrypto({ ...CALLBACK, receiveId: h.fake.corpId });
    const echo = sealEcho(crypto, 'echo-1234', { timestamp: '1772424000', nonce: 'n1' });
    const check = await h.app.http.inject({ method: 'GET', url: `${CALLBACK_PATH}?${new URLSearchParams(echo)}` });
    expect(check.statusCode).toBe(200);
    expect(check.body).toBe('echo-1234');
    const forged = await h.app.http.inject({
      method: 'GET',
      url: `${CALLBACK_PATH}?${new URLSearchParams({ ...echo, msg_signature: 'a'.repeat(40) })}`,
    });
    expect(forged.statusCode).toBe(401);

    // A customer message is waiting at WeCom; a callback signed with another Token must not pull it.
    h.fake.customerSays(KF, h.externalUserId(10), '你好');
    const pullsBefore = h.fake.calls.filter((c) => c.path === '/cgi-bin/kf/sync_msg').length;
    const stranger = new WecomCrypto({ ...CALLBACK, token: 'SomeoneElse1', receiveId: h.fake.corpId });
    const event = buildXml({
      ToUserName: h.fake.corpId,
      CreateTime: 1772424000,
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: h.fake.issueSyncToken(),
      OpenKfId: KF,
    });
    const sealed = sealCallback(stranger, event, { timestamp: '1772424000' });
    for (const request of [
      { query: new URLSearchParams(sealed.query).toString(), body: sealed.body },
      { query: '', body: sealed.body },
      { query: new URLSearchParams(sealed.query).toString(), body: '<xml><Encrypt>not base64!</Encrypt></xml>' },
      { query: new URLSearchParams(sealed.query).toString(), body: '<!DOCTYPE x [<!ENTITY a "b">]><xml/>' },
    ]) {
      const response = await h.app.http.inject({
        method: 'POST',
        url: `${CALLBACK_PATH}?${request.query}`,
        headers: { 'content-type': 'text/xml' },
        payload: request.body,
      });
      expect(response.statusCode).toBe(401);
    }
    await h.channelImpl.idle();
    expect(h.fake.calls.filter((c) => c.path === '/cgi-bin/kf/sync_msg')).toHaveLength(pullsBefore);
    expect(await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(10))).toBeNull();

    // The right signature pulls it.
    const ok = await h.callback();
    expect(ok).toEqual({ status: 200, body: 'success' });
    expect(await inbound(10)).toHaveLength(1);
  });

  it('answers hostile callbacks with 4xx, never 5xx, and pulls nothing', async () => {
    const pulls = () => h.fake.calls.filter((c) => c.path === '/cgi-bin/kf/sync_msg').length;
    const before = pulls();
    const signed = `msg_signature=${'f'.repeat(40)}&timestamp=1772424000&nonce=x`;
    const requests: Array<{ method: 'GET' | 'POST'; query: string; type?: string; body?: string }> = [
      { method: 'GET', query: '' },
      { method: 'GET', query: 'msg_signature=zz&timestamp=-1&nonce=&echostr=' },
      { method: 'GET', query: `${signed}&echostr=${'A'.repeat(5000)}` },
      { method: 'GET', query: `${signed}&echostr=%00` },
      { method: 'POST', query: signed },
      { method: 'POST', query: signed, type: 'application/json', body: '{"Encrypt":"abc"}' },
      { method: 'POST', query: signed, type: 'application/json', body: '{"unterminated' },
      { method: 'POST', query: signed, type: 'text/xml', body: '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>' },
      { method: 'POST', query: signed, type: 'text/xml', body: `<xml><Encrypt>${'x'.repeat(70_000)}</Encrypt></xml>` },
      { method: 'POST', query: signed, type: 'application/octet-stream', body: '\u00ff\u00fe' },
      { method: 'POST', query: `${signed}&msg_signature=${'e'.repeat(40)}`, type: 'text/xml', body: '<xml/>' },
    ];
    for (const request of requests) {
      const response = await h.app.http.inject({
        method: request.method,
        url: `${CALLBACK_PATH}?${request.query}`,
        ...(request.type ? { headers: { 'content-type': request.type } } : {}),
        ...(request.body === undefined ? {} : { payload: request.body }),
      });
      expect(
        response.statusCode,
        `${request.method} ${request.query.slice(0, 40)} ${request.type}`,
      ).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    await h.channelImpl.idle();
    expect(pulls()).toBe(before);
  });

  it('greets enter_session with send_msg_on_event and keeps scene and scene_param as the source', async () => {
    h.fake.addCustomer({ external_userid: h.externalUserId(11), nickname: '小红', unionid: 'oUnionXiaohong' });
    const { welcomeCode } = h.fake.enterSession(KF, h.externalUserId(11), { scene: 'poster', sceneParam: 'spring' });
    await h.callback();
    await h.flush();
    const welcome = h.fake.eventSent.filter((m) => m.code === welcomeCode);
    expect(welcome).toHaveLength(1);
    expect(JSON.stringify(welcome[0]?.body)).toContain('小助手');
    expect(sendMsgCalls(11)).toHaveLength(0);
    expect(await inbound(11)).toHaveLength(1);
    const entered = await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(11));
    expect(entered?.customer.attributes).toMatchObject({ source: 'poster:spring' });

    // Nickname and unionid come from customer/batchget, asked once for this customer.
    await say(11, '你好');
    await h.flush();
    const identity = await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(11));
    expect(identity?.displayName).toBe('小红');
    expect(identity?.alias).toBe('oUnionXiaohong');
    const batchgets = h.fake.calls.filter(
      (c) => c.path === '/cgi-bin/kf/customer/batchget' && JSON.stringify(c.body).includes(h.externalUserId(11)),
    );
    expect(batchgets).toHaveLength(1);
  });

  it('sends at most five messages per customer message, and nothing 48 hours after it', async () => {
    const user = 12;
    await say(user, '/start');
    expect(await h.flush()).toHaveLength(1);
    const identity = await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(user));
    const customerId = identity?.customerId ?? -1;
    const notify = async (text: string) => {
      const row = await h.app.services.messaging.sendToCustomer(customerId, { text }, { purpose: 'notification' });
      await h.flush();
      return h.app.store.repos.outbox.get(row?.id ?? -1);
    };
    for (let i = 2; i <= 5; i++) expect((await notify(`通知 ${i}`))?.status).toBe('sent');
    const sixth = await notify('通知 6');
    expect(sixth?.status).toBe('failed');
    expect(sixth?.error).toContain('message_limit');
    // Refused before WeCom was asked.
    expect(sendMsgCalls(user)).toHaveLength(5);

    // A new customer message opens a new allowance.
    await say(user, '在吗');
    await h.flush();
    expect((await notify('通知 7'))?.status).toBe('sent');

    h.test.clock.advance(48 * HOUR);
    const late = await notify('通知 8');
    expect(late?.status).toBe('failed');
    expect(late?.error).toContain('window_closed');
    expect(sendMsgCalls(user).length).toBe(7);
  });

  it('skips campaign deliveries to customers outside the 48-hour window (window_closed)', async () => {
    await say(13, '你好');
    h.test.clock.advance(49 * HOUR);
    await say(14, '你好');
    await h.flush();
    const created = await h.test.admin('POST', '/api/campaigns', {
      name: 'wecom spring',
      audience: { rules: { type: 'consent', optIn: true } },
      message: { text: '春季上新' },
      channels: ['wecom'],
    });
    expect(created.status).toBe(201);
    const { id } = z.object({ id: z.number() }).parse(created.body);
    for (let i = 0; i < 10; i++) {
      await h.app.services.campaignRunner.tick();
      await h.flush();
    }
    const Deliveries = z.object({
      deliveries: z.array(z.object({ target: z.string(), status: z.string(), reason: z.string().nullable() })),
    });
    const { deliveries } = Deliveries.parse((await h.test.admin('GET', `/api/campaigns/${id}/deliveries`)).body);
    const of = (user: number) => deliveries.find((d) => d.target === h.externalUserId(user));
    expect(of(13)).toMatchObject({ status: 'skipped', reason: 'window_closed' });
    expect(of(14)).toMatchObject({ status: 'sent' });
    expect(
      h.fake.sent
        .filter((m) => m.touser === h.externalUserId(13) && m.msgtype === 'text')
        .map((m) => JSON.stringify(m.body)),
    ).not.toContain(expect.stringContaining('春季上新'));
  });

  it('refreshes an expired or revoked access token once, and retries 45009 after the wait', async () => {
    const issued = h.fake.issuedTokens().length;
    h.fake.expireTokens();
    await say(15, '/start');
    expect(await h.flush()).toHaveLength(1);
    expect(h.fake.issuedTokens()).toHaveLength(issued + 1);
    h.fake.revokeTokens();
    await say(15, '菜单');
    expect(await h.flush()).toHaveLength(1);
    expect(h.fake.issuedTokens()).toHaveLength(issued + 2);

    h.fake.script('/cgi-bin/kf/send_msg', { errcode: 45009, errmsg: 'api freq out of limit' });
    await say(15, '菜单');
    expect(await h.flush()).toHaveLength(0);
    const identity = await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(15));
    const waiting = (await h.app.store.repos.outbox.countByStatus('wecom')).find((s) => s.status === 'queued');
    expect(waiting?.count).toBe(1);
    h.test.clock.advance(61_000);
    expect(await h.flush()).toHaveLength(1);
    expect(identity).not.toBeNull();
    // No access token or secret in anything stored.
    const stored = JSON.stringify(await h.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1, 200));
    for (const token of h.fake.issuedTokens()) expect(stored).not.toContain(token);
    expect(stored).not.toContain(h.fake.secret);
  });

  it('maps a menu click back to the button data', async () => {
    await say(16, '/start');
    const [menu] = await h.flush();
    expect(menu?.buttons.length).toBeGreaterThan(1);
    await h.press({ user: 16, label: '我的资料' });
    expect((await h.flush()).map((m) => m.text).join('\n')).toContain('你的资料');
    const pressed = (await inbound(16)).filter((i) => i.kind === 'button');
    expect(pressed).toHaveLength(1);
  });
});

describeEachProvider('wecom 微信客服 session state (接待人员 in the WeCom app)', (provider) => {
  let h: WecomHarness;
  beforeAll(async () => {
    h = await wecomHarness(provider, { servicers: ['zhangsan'] });
  });
  afterAll(async () => {
    await h.close();
  });

  let events = 0;
  const sessionChange = async (user: number, changeType: number, servicer: { old?: string; new?: string }) => {
    h.fake.push(KF, {
      msgid: `session-change-${++events}-${user}`,
      send_time: Math.floor(h.test.clock.now().getTime() / 1000),
      origin: 4,
      msgtype: 'event',
      event: {
        event_type: 'session_status_change',
        open_kfid: KF,
        external_userid: h.externalUserId(user),
        change_type: changeType,
        ...(servicer.old ? { old_servicer_userid: servicer.old } : {}),
        ...(servicer.new ? { new_servicer_userid: servicer.new } : {}),
      },
    });
    await h.callback();
  };
  const conversationOf = async (user: number) => {
    const identity = await h.app.store.repos.customers.findIdentity('wecom', h.externalUserId(user));
    const [latest] = await h.app.store.repos.conversations.forCustomer(identity?.customerId ?? -1, 1);
    return latest;
  };

  it('a chat a 接待人员 takes in the WeCom app is taken in Guanxi, the bot silent; resolving it in Guanxi ends the session', async () => {
    await h.message({ user: 40, text: '/start' });
    expect(await h.flush()).toHaveLength(1);
    h.fake.setServiceState(KF, h.externalUserId(40), 'staff', 'zhangsan');
    await sessionChange(40, 1, { new: 'zhangsan' });
    const taken = await conversationOf(40);
    expect(taken).toMatchObject({ status: 'open', assigneeId: null });

    await h.message({ user: 40, text: '在吗？我的快递到哪了' });
    expect(await h.flush()).toHaveLength(0);

    const resolved = await h.test.admin('POST', `/api/console/conversations/${taken?.id}/resolve`);
    expect(resolved.status).toBe(200);
    await vi.waitFor(() => expect(h.fake.serviceState(KF, h.externalUserId(40)).state).toBe('ended'));
  });

  it('a session the 接待人员 ends in the WeCom app resolves the conversation', async () => {
    await h.message({ user: 41, text: '/start' });
    await h.flush();
    const trans = () => h.fake.calls.filter((c) => c.path === '/cgi-bin/kf/service_state/trans').length;
    const before = trans();
    await sessionChange(41, 1, { new: 'zhangsan' });
    expect((await conversationOf(41))?.status).toBe('open');
    await sessionChange(41, 3, { old: 'zhangsan' });
    expect((await conversationOf(41))?.status).toBe('resolved');
    // Nothing was sent back to WeCom for a change WeCom made.
    await h.flush();
    expect(trans()).toBe(before);
    // The bot is back: the customer's next message is answered.
    await h.message({ user: 41, text: '菜单' });
    expect((await h.flush()).length).toBeGreaterThan(0);
  });
});

describeEachProvider('wecom 微信客服 takeovers: staff accounts and WeCom 接待人员', (provider) => {
  let h: WecomHarness;
  beforeAll(async () => {
    h = await wecomHarness(provider, { servicers: ['zhangsan', 'lisi'] });
    await addStaff(h.test, 'wen', { wecomUserId: 'zhangsan' });
    await addStaff(h.test, 'lisi', { wecomUserId: 'lisi' });
    await addStaff(h.test, 'lu', { wecomUserId: 'wangwu' });
    await addStaff(h.test, 'mo');
    await addStaff(h.test, 'boss', { role: 'admin' });
  });
  afterAll(async () => {
    await h.close();
  });

  const ext = (user: number) => h.externalUserId(user);
  const transCalls = () => h.fake.calls.filter((c) => c.path === '/cgi-bin/kf/service_state/trans');
  const textsTo = (user: number) =>
    h.fake.sent
      .filter((m) => m.touser === ext(user) && m.msgtype === 'text')
      .map((m) => z.object({ content: z.string() }).parse(m.body.text).content);
  /** The customer writes, then asks for a person: a waiting conversation, its id. */
  const waiting = async (user: number) => {
    await h.message({ user, text: '/start' });
    await h.message({ user, text: '人工' });
    await h.flush();
    const identity = await h.app.store.repos.customers.findIdentity('wecom', ext(user));
    const [latest] = await h.app.store.repos.conversations.forCustomer(identity?.customerId ?? -1, 1);
    expect(latest?.status).toBe('pending');
    return latest?.id ?? -1;
  };
  const view = async (id: number, as = 'boss') => {
    const staff = await loginAs(h.test, as);
    const res = await staff('GET', `/api/console/conversations/${id}`);
    expect(res.status).toBe(200);
    return res.body as {
      conversation: { status: string; assignee: { name: string } | null };
      messages: Array<{
        from: string;
        text: string | null;
        staffName: string | null;
        event: { type: string; reason: string | null } | null;
        delivery: { status: string; error: string | null } | null;
      }>;
    };
  };

  it('a console agent with a WeCom userid takes the chat: WeCom hands the session to them; what they send from the WeCom app is logged, not echoed; handing back ends the session and the bot answers again', async () => {
    const id = await waiting(50);
    const wen = await loginAs(h.test, 'wen');
    expect((await wen('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    await vi.waitFor(() =>
      expect(h.fake.serviceState(KF, ext(50))).toEqual({ state: 'staff', servicerUserId: 'zhangsan' }),
    );

    const sentBefore = h.fake.sent.length;
    h.fake.servicerSays(KF, ext(50), 'zhangsan', '您好，我是小张，马上帮你查');
    await h.callback();
    await h.flush();
    expect(h.fake.sent.length).toBe(sentBefore);
    const taken = await view(id, 'wen');
    expect(taken.conversation).toMatchObject({ status: 'open', assignee: { name: 'WEN' } });
    const fromApp = taken.messages.filter((m) => m.text === '您好，我是小张，马上帮你查');
    expect(fromApp).toEqual([expect.objectContaining({ from: 'staff', staffName: 'WEN' })]);

    // WeCom takes no API messages while she holds the session: the console says where to answer.
    expect((await wen('POST', `/api/console/conversations/${id}/reply`, { text: '在控制台回复' })).status).toBe(200);
    await h.flush();
    expect(textsTo(50)).not.toContain('在控制台回复');
    const refused = (await view(id, 'wen')).messages.find((m) => m.text === '在控制台回复');
    expect(refused?.delivery).toMatchObject({ status: 'failed' });
    expect(refused?.delivery?.error).toContain('请在企业微信中回复');

    expect((await wen('POST', `/api/console/conversations/${id}/release`)).status).toBe(200);
    await vi.waitFor(() => expect(h.fake.serviceState(KF, ext(50)).state).toBe('ended'));
    await h.message({ user: 50, text: '菜单' });
    expect((await h.flush()).length).toBeGreaterThan(0);
  });

  it('WeCom refusing a takeover (not an active 接待人员) is shown to the agent in words; the conversation stays theirs and their console replies go out', async () => {
    const id = await waiting(51);
    const lu = await loginAs(h.test, 'lu');
    const before = transCalls().length;
    expect((await lu('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    await vi.waitFor(async () => {
      const events = (await view(id, 'lu')).messages.flatMap((m) => (m.event ? [m.event] : []));
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'platform.session_refused', reason: 'not_servicer' }),
      );
    });
    expect(transCalls().length).toBe(before + 1);
    const row = (await h.app.store.repos.interactions.forConversation(id, 100)).find(
      (i) => i.direction === 'event' && JSON.stringify(i.payload).includes('platform.session_refused'),
    );
    expect(row?.payload).toMatchObject({ reason: 'not_servicer', wanted: 'staff:wangwu' });
    expect(h.fake.serviceState(KF, ext(51)).state).toBe('new');
    const after = await view(id, 'lu');
    expect(after.conversation).toMatchObject({ status: 'open', assignee: { name: 'LU' } });

    expect((await lu('POST', `/api/console/conversations/${id}/reply`, { text: '我来帮你看看订单' })).status).toBe(200);
    await h.flush();
    expect(textsTo(51)).toContain('我来帮你看看订单');
  });

  it('a takeover of a chat whose WeCom session has ended is refused by WeCom and said so; the take stands', async () => {
    const id = await waiting(55);
    h.fake.setServiceState(KF, ext(55), 'ended');
    const wen = await loginAs(h.test, 'wen');
    expect((await wen('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    await vi.waitFor(async () => {
      const events = (await view(id, 'wen')).messages.flatMap((m) => (m.event ? [m.event] : []));
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'platform.session_refused', reason: 'session_ended' }),
      );
    });
    expect((await view(id, 'wen')).conversation).toMatchObject({ status: 'open', assignee: { name: 'WEN' } });
    expect(h.fake.serviceState(KF, ext(55)).state).toBe('ended');
  });

  it('an agent without a WeCom userid leaves the session with the API: no trans, replies go out', async () => {
    const id = await waiting(52);
    const mo = await loginAs(h.test, 'mo');
    const before = transCalls().length;
    expect((await mo('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    expect((await mo('POST', `/api/console/conversations/${id}/reply`, { text: '您好，这里是小莫' })).status).toBe(200);
    await h.flush();
    expect(textsTo(52)).toContain('您好，这里是小莫');
    expect((await mo('POST', `/api/console/conversations/${id}/resolve`)).status).toBe(200);
    await h.flush();
    expect(transCalls().length).toBe(before);
  });

  it('taken in the WeCom app: by a mapped 接待人员 it is their account\'s (read-only for other agents); an unmapped one reads as "WeCom 接待人员 <userid>"', async () => {
    await h.message({ user: 53, text: '/start' });
    await h.flush();
    h.fake.setServiceState(KF, ext(53), 'staff', 'lisi');
    h.fake.servicerSays(KF, ext(53), 'lisi', '我是李四');
    await h.callback();
    const identity = await h.app.store.repos.customers.findIdentity('wecom', ext(53));
    const [mapped] = await h.app.store.repos.conversations.forCustomer(identity?.customerId ?? -1, 1);
    const lisi = await h.app.store.repos.staff.byUsername('lisi');
    expect(mapped).toMatchObject({ status: 'open', assigneeId: lisi?.id });
    const seen = await view(mapped?.id ?? -1, 'lisi');
    expect(seen.messages.filter((m) => m.from === 'staff')).toEqual([
      expect.objectContaining({ text: '我是李四', staffName: 'LISI' }),
    ]);
    const wen = await loginAs(h.test, 'wen');
    expect((await wen('POST', `/api/console/conversations/${mapped?.id}/take`)).status).toBe(404);
    expect((await wen('POST', `/api/console/conversations/${mapped?.id}/reply`, { text: 'x' })).status).toBe(404);

    await h.message({ user: 54, text: '/start' });
    await h.flush();
    h.fake.setServiceState(KF, ext(54), 'staff', 'zhaoliu');
    h.fake.servicerSays(KF, ext(54), 'zhaoliu', '稍等，我查一下');
    h.fake.servicerSays(KF, ext(54), 'zhaoliu', '查到了');
    await h.callback();
    const other = await h.app.store.repos.customers.findIdentity('wecom', ext(54));
    const [unmapped] = await h.app.store.repos.conversations.forCustomer(other?.customerId ?? -1, 1);
    expect(unmapped).toMatchObject({ status: 'open', assigneeId: null });
    const shown = await view(unmapped?.id ?? -1);
    expect(shown.messages.filter((m) => m.from === 'staff').map((m) => [m.text, m.staffName])).toEqual([
      ['稍等，我查一下', 'WeCom 接待人员 zhaoliu'],
      ['查到了', 'WeCom 接待人员 zhaoliu'],
    ]);
    // One take for the two messages, with who took it.
    const takes = shown.messages.filter((m) => m.event?.type === 'conversation.take');
    expect(takes.map((m) => m.event?.reason)).toEqual(['wecom:zhaoliu']);
    // The customer's next message is for the 接待人员: the bot stays silent.
    await h.message({ user: 54, text: '好的谢谢' });
    expect(await h.flush()).toHaveLength(0);
  });

  it('a 接待人员 message pulled twice (a cursor saved before the page was done) is logged once', async () => {
    await h.message({ user: 56, text: '/start' });
    await h.flush();
    const { channelState } = h.app.services;
    const cursor = (await channelState.syncCursor('wecom', KF)) ?? '';
    h.fake.setServiceState(KF, ext(56), 'staff', 'lisi');
    h.fake.servicerSays(KF, ext(56), 'lisi', '订单已经发出了');
    await h.callback();
    await channelState.setSyncCursor('wecom', KF, cursor);
    await h.callback();
    const identity = await h.app.store.repos.customers.findIdentity('wecom', ext(56));
    const logged = (await h.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1, 50)).filter(
      (i) => i.text === '订单已经发出了',
    );
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ direction: 'out', kind: 'staff_reply', channel: 'wecom' });
  });
});

describeEachProvider('wecom 微信客服 logs', (provider) => {
  it('never logs the access token or the secret, also when WeCom refuses them', async () => {
    const lines: string[] = [];
    const h = await wecomHarness(provider, {
      log: createLogger('debug', { write: (line: string) => void lines.push(line) }),
    });
    try {
      await h.message({ user: 1, text: '/start' });
      expect(await h.flush()).toHaveLength(1);
      h.fake.revokeTokens();
      h.fake.script('/cgi-bin/kf/send_msg', { errcode: 45009 }, { errcode: 40014 }, { errcode: 40014 });
      await h.message({ user: 1, text: '菜单' });
      await h.flush();
      h.test.clock.advance(61_000);
      await h.flush();
      h.test.clock.advance(61_000);
      await h.flush();
      expect(lines.length).toBeGreaterThan(0);
      const logged = lines.join('\n');
      expect(h.fake.issuedTokens().length).toBeGreaterThan(1);
      for (const token of h.fake.issuedTokens()) expect(logged).not.toContain(token);
      expect(logged).not.toContain(h.fake.secret);
    } finally {
      await h.close();
    }
  });
});

describeEachProvider('wecom 微信客服 after a restart', (provider) => {
  it('continues sync_msg from the cursor stored in the database', async () => {
    const first = await wecomHarness(provider);
    await first.message({ user: 1, text: '/start' });
    expect(await first.flush()).toHaveLength(1);
    const cursor = await first.app.store.repos.settings.syncCursor('wecom', KF);
    expect(cursor).toBeTruthy();

    const second = await first.restart();
    try {
      const pulls = second.fake.calls.length;
      await second.message({ user: 1, text: '菜单' });
      const [resumed] = second.fake.calls.slice(pulls).filter((c) => c.path === '/cgi-bin/kf/sync_msg');
      expect(z.object({ cursor: z.string() }).parse(resumed?.body).cursor).toBe(cursor);
      expect(await second.flush()).toHaveLength(1);
      const identity = await second.app.store.repos.customers.findIdentity('wecom', second.externalUserId(1));
      const logged = await second.app.store.repos.interactions.forCustomer(identity?.customerId ?? -1, 200);
      expect(logged.filter((i) => i.direction === 'in')).toHaveLength(2);
      expect(logged.filter((i) => i.direction === 'out')).toHaveLength(2);
    } finally {
      await second.close();
      await first.test.database.drop();
      await first.fake.close();
    }
  });

  it('catches up at start-up on messages that arrived while it was down (WECOM_OPEN_KFID)', async () => {
    const first = await wecomHarness(provider, { env: { WECOM_OPEN_KFID: KF } });
    await first.message({ user: 2, text: '/start' });
    expect(await first.flush()).toHaveLength(1);
    await first.app.stop();
    // WeCom's callback for this message found nobody listening.
    first.fake.customerSays(KF, first.externalUserId(2), '菜单');
    const second = await wecomHarness(provider, {
      env: { WECOM_OPEN_KFID: KF },
      fake: first.fake,
      clock: first.test.clock,
      database: first.test.database,
    });
    try {
      expect(await second.flush()).toHaveLength(1);
    } finally {
      await second.close();
      await first.test.database.drop();
      await first.fake.close();
    }
  });
});
