// WeCom 客户联系 through the real entries, on SQLite and PostgreSQL: encrypted change_external_contact
// callbacks POSTed to the WeCom callback path (a bad signature → 401 and nothing written), the
// welcome through send_welcome_msg within the WelcomeCode's 20 seconds, del events on the profile,
// 渠道活码 created through the admin API and the contacts and orders attributed to their source.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SealedCallback, sealCallback } from '../../adapters/wecom/callback.ts';
import { WecomCrypto } from '../../adapters/wecom/crypto.ts';
import { buildXml } from '../../adapters/wecom/xml.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { type FakeContactWecom, startFakeContactWecom } from '../helpers/fake-wecom-contacts.ts';

describeEachProvider('wecom 客户联系', (provider) => {
  let t: TestApp;
  let fake: FakeContactWecom;

  beforeAll(async () => {
    const clock = new ManualClock('2026-03-02T04:00:00Z');
    fake = await startFakeContactWecom(clock);
    t = await createTestApp({ provider, clock, env: { ...fake.env, SHOP_NAME: '小关茶铺' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const post = (sealed: SealedCallback) =>
    t.app.http.inject({
      method: 'POST',
      url: '/wecom/callback',
      query: { ...sealed.query },
      headers: { 'content-type': 'text/xml' },
      payload: sealed.body,
    });

  const customerOf = async (externalUserId: string) => {
    const identity = await t.app.store.repos.customers.findIdentity('wecom', externalUserId);
    if (!identity) throw new Error(`no wecom identity ${externalUserId}`);
    return identity.customerId;
  };

  const eventsOf = async (customerId: number) =>
    (await t.app.store.repos.interactions.forCustomer(customerId, 50)).flatMap((i) =>
      i.kind === 'event' && typeof i.payload === 'object' && i.payload !== null && 'type' in i.payload
        ? [i.payload]
        : [],
    );

  it('a new contact becomes a profile and gets the shop welcome within the code time limit', async () => {
    const response = await post(fake.added('wmALICE', 'zhangsan'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    expect(fake.welcomes).toHaveLength(1);
    expect(fake.welcomes[0]?.text).toContain('小关茶铺');
    const customerId = await customerOf('wmALICE');
    const contacts = await t.app.services.wecomContacts.contactsOf(customerId);
    expect(contacts).toMatchObject([{ staffUserId: 'zhangsan', status: 'active', contactWayId: null }]);
    expect(contacts[0]?.welcomeSentAt).not.toBeNull();
    expect(await eventsOf(customerId)).toContainEqual(
      expect.objectContaining({ type: 'wecom.contact_added', staffUserId: 'zhangsan' }),
    );
  });

  it('the same callback delivered again is handled once; a late one sends no welcome', async () => {
    const sealed = fake.added('wmBOB', 'zhangsan');
    const before = fake.welcomes.length;
    expect((await post(sealed)).statusCode).toBe(200);
    expect((await post(sealed)).statusCode).toBe(200);
    expect(fake.welcomes.length).toBe(before + 1);

    const late = fake.added('wmCAROL', 'lisi');
    t.clock.advance(25_000);
    const calls = fake.wecom.calls.filter((c) => c.path.endsWith('send_welcome_msg')).length;
    expect((await post(late)).statusCode).toBe(200);
    // Past 20 seconds the code is dead: Guanxi does not even try.
    expect(fake.wecom.calls.filter((c) => c.path.endsWith('send_welcome_msg')).length).toBe(calls);
    const carol = await t.app.services.wecomContacts.contactsOf(await customerOf('wmCAROL'));
    expect(carol[0]?.welcomeSentAt).toBeNull();
  });

  it('a bad signature is refused with 401 and writes nothing', async () => {
    const sealed = fake.added('wmMALLORY', 'zhangsan');
    const forged = { ...sealed, query: { ...sealed.query, msg_signature: '0'.repeat(40) } };
    const response = await post(forged);
    expect(response.statusCode).toBe(401);
    expect(await t.app.store.repos.customers.findIdentity('wecom', 'wmMALLORY')).toBeNull();
    const unsigned = await t.app.http.inject({
      method: 'POST',
      url: '/wecom/callback',
      headers: { 'content-type': 'text/xml' },
      payload: sealed.body,
    });
    expect(unsigned.statusCode).toBe(401);
  });

  it('del_follow_user and del_external_contact mark the contact lost on the profile', async () => {
    await post(fake.added('wmDAVE', 'zhangsan'));
    await post(fake.added('wmDAVE', 'lisi'));
    expect((await post(fake.deleted('wmDAVE', 'zhangsan', 'customer'))).statusCode).toBe(200);
    expect((await post(fake.deleted('wmDAVE', 'lisi', 'staff'))).statusCode).toBe(200);
    const customerId = await customerOf('wmDAVE');
    const contacts = await t.app.services.wecomContacts.contactsOf(customerId);
    expect(contacts.map((c) => [c.staffUserId, c.status, c.lostReason])).toEqual([
      ['zhangsan', 'lost', 'customer_deleted'],
      ['lisi', 'lost', 'staff_deleted'],
    ]);
    const lost = (await eventsOf(customerId)).filter((e) => e.type === 'wecom.contact_lost');
    expect(lost).toHaveLength(2);

    // A customer who bought and then dropped the shop on WeCom shows it in the churn-risk list.
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'CT-DAVE-1',
      customer: { channel: 'wecom', externalId: 'wmDAVE' },
      status: 'completed',
      total: 5000,
      items: [{ sku: 'TEA-2', name: '普洱', qty: 1, price: 5000 }],
    });
    expect(order.status).toBeLessThan(300);
    expect((await t.admin('POST', '/api/analytics/recompute', { full: true })).status).toBe(200);
    const risk = await t.admin('GET', '/api/analytics/churn-risk?minRisk=0&take=500');
    const dave = (
      risk.body as { customers: Array<{ id: number; churnReasons: Array<{ code: string }> | null }> }
    ).customers.find((c) => c.id === customerId);
    expect(dave?.churnReasons?.map((r) => r.code)).toContain('wecom_lost');
  });

  it('渠道活码: created by an admin, contacts and later orders attributed to the source', async () => {
    const bad = await t.admin('POST', '/api/wecom/contact-ways', { name: 'x', source: 'billboard', staffUserIds: [] });
    expect(bad.status).toBe(400);
    const created = await t.admin('POST', '/api/wecom/contact-ways', {
      name: '双十一包裹卡',
      source: 'parcel_insert',
      staffUserIds: ['zhangsan'],
      welcomeText: '感谢购买！回复“积分”查看会员积分。',
    });
    expect(created.status).toBe(201);
    const way = created.body as { id: number; state: string; qrCode: string; source: string };
    expect(way.qrCode).toMatch(/^https:\/\//);
    expect(fake.contactWays).toContainEqual(expect.objectContaining({ state: way.state, user: ['zhangsan'] }));
    const live = await t.admin('POST', '/api/wecom/contact-ways', {
      name: '周五直播',
      source: 'livestream',
      staffUserIds: ['zhangsan', 'lisi'],
    });
    const liveWay = live.body as { state: string };

    await post(fake.added('wmERIN', 'zhangsan', { state: way.state }));
    expect(fake.welcomes.at(-1)?.text).toBe('感谢购买！回复“积分”查看会员积分。');
    await post(fake.added('wmFRANK', 'zhangsan', { state: way.state }));
    await post(fake.added('wmGRACE', 'lisi', { state: liveWay.state }));

    // Erin orders after scanning; Frank does not order.
    const erin = await customerOf('wmERIN');
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'CT-1001',
      customer: { channel: 'wecom', externalId: 'wmERIN' },
      status: 'paid',
      total: 12800,
      items: [{ sku: 'TEA-1', name: '龙井', qty: 1, price: 12800 }],
    });
    expect(order.status, JSON.stringify(order.body)).toBeLessThan(300);
    expect(await t.app.services.wecomContacts.contactsOf(erin)).toMatchObject([{ state: way.state }]);

    const report = await t.admin('GET', '/api/wecom/contact-report');
    expect(report.status).toBe(200);
    const body = report.body as {
      contactWays: Array<{ name: string; contacts: number; firstOrders: number; revenue: number }>;
      sources: Array<{ source: string; contacts: number; firstOrders: number; revenue: number }>;
    };
    expect(body.contactWays).toEqual([
      expect.objectContaining({ name: '双十一包裹卡', contacts: 2, firstOrders: 1, revenue: 12800 }),
      expect.objectContaining({ name: '周五直播', contacts: 1, firstOrders: 0, revenue: 0 }),
    ]);
    expect(body.sources).toContainEqual({ source: 'parcel_insert', contacts: 2, firstOrders: 1, revenue: 12800 });
    expect(body.sources).toContainEqual({ source: 'livestream', contacts: 1, firstOrders: 0, revenue: 0 });

    const listed = await t.admin('GET', '/api/wecom/contact-ways');
    expect(listed.body).toMatchObject({ enabled: true, contactWays: [{ name: '双十一包裹卡' }, { name: '周五直播' }] });
  });

  it('erasing the customer removes the WeCom follow relations; a returning contact is a new customer', async () => {
    await post(fake.added('wmOSCAR', 'zhangsan', { welcome: false }));
    const oscar = await customerOf('wmOSCAR');
    expect(await t.app.services.wecomContacts.contactsOf(oscar)).toHaveLength(1);
    expect((await t.admin('POST', `/api/customers/${oscar}/erase`)).status).toBe(200);
    expect(await t.app.services.wecomContacts.contactsOf(oscar)).toEqual([]);
    await post(fake.added('wmOSCAR', 'zhangsan', { welcome: false }));
    expect(await customerOf('wmOSCAR')).not.toBe(oscar);
  });

  it('the URL check answers the decrypted echostr only with a valid signature', async () => {
    const { WecomCrypto } = await import('../../adapters/wecom/crypto.ts');
    const { sealEcho } = await import('../../adapters/wecom/callback.ts');
    const crypto = new WecomCrypto({
      token: fake.env.WECOM_CONTACT_TOKEN ?? '',
      encodingAesKey: fake.env.WECOM_CONTACT_ENCODING_AES_KEY ?? '',
      receiveId: fake.wecom.corpId,
    });
    const query = sealEcho(crypto, 'echo-4711', { timestamp: '1772424000', nonce: 'n1' });
    const ok = await t.app.http.inject({ method: 'GET', url: '/wecom/callback', query });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('echo-4711');
    const bad = await t.app.http.inject({
      method: 'GET',
      url: '/wecom/callback',
      query: { ...query, nonce: 'n2' },
    });
    expect(bad.statusCode).toBe(401);
  });
});

describeEachProvider('wecom 客户联系 tags and 群发', (provider) => {
  let t: TestApp;
  let fake: FakeContactWecom;

  beforeAll(async () => {
    const clock = new ManualClock('2026-03-02T04:00:00Z');
    fake = await startFakeContactWecom(clock);
    // The test ticks the campaign runner itself (no background ticks racing it).
    t = await createTestApp({ provider, clock, env: { ...fake.env, CAMPAIGN_TICK_MS: '0' } });
    for (const [external, staff] of [
      ['wmHAN', 'zhangsan'],
      ['wmIVY', 'zhangsan'],
      ['wmJOE', 'lisi'],
      ['wmKEN', 'zhangsan'],
    ] as const) {
      const sealed = fake.added(external, staff, { welcome: false });
      const response = await t.app.http.inject({
        method: 'POST',
        url: '/wecom/callback',
        query: { ...sealed.query },
        headers: { 'content-type': 'text/xml' },
        payload: sealed.body,
      });
      expect(response.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const customerOf = async (externalUserId: string) => {
    const identity = await t.app.store.repos.customers.findIdentity('wecom', externalUserId);
    if (!identity) throw new Error(`no wecom identity ${externalUserId}`);
    return identity.customerId;
  };

  it('pushes Guanxi tags and segments to WeCom corp tags with mark_tag', async () => {
    const han = await customerOf('wmHAN');
    const joe = await customerOf('wmJOE');
    expect((await t.admin('POST', `/api/customers/${han}/tags`, { tag: 'VIP' })).status).toBe(200);
    expect((await t.admin('POST', `/api/customers/${joe}/tags`, { tag: '老客' })).status).toBe(200);
    const segment = await t.admin('POST', '/api/segments', {
      name: '直播常客',
      rules: { type: 'customers', ids: [joe] },
    });
    expect(segment.status).toBe(201);
    const segmentId = (segment.body as { id: number }).id;

    expect((await t.admin('POST', '/api/wecom/tags/push', {})).status).toBe(400);
    const pushed = await t.admin('POST', '/api/wecom/tags/push', { tags: ['VIP', '老客'], segmentIds: [segmentId] });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ contacts: 2, marked: 2, failed: 0 });
    const group = fake.tagGroups.find((g) => g.groupName === 'Guanxi');
    const idOf = (name: string) => group?.tags.find((tag) => tag.name === name)?.id;
    expect(group?.tags.map((tag) => tag.name).sort()).toEqual(['VIP', '直播常客', '老客'].sort());
    expect(fake.marks).toContainEqual({ userid: 'zhangsan', externalUserId: 'wmHAN', tagIds: [idOf('VIP')] });
    const joeMark = fake.marks.find((m) => m.externalUserId === 'wmJOE');
    expect(joeMark?.userid).toBe('lisi');
    expect(joeMark?.tagIds.sort()).toEqual([idOf('老客'), idOf('直播常客')].sort());

    // A second push reuses the tags WeCom already has.
    await t.admin('POST', '/api/wecom/tags/push', { tags: ['VIP'] });
    expect(fake.tagGroups.find((g) => g.groupName === 'Guanxi')?.tags).toHaveLength(3);
    expect(fake.wecom.calls.filter((c) => c.path.endsWith('add_corp_tag'))).toHaveLength(1);
  });

  it('a campaign to WeCom contacts becomes 群发 tasks whose results come back into the deliveries', async () => {
    // Ken deleted zhangsan on WeCom, and the callback never reached Guanxi.
    fake.deleted('wmKEN', 'zhangsan', 'customer');
    const ids = await Promise.all(['wmHAN', 'wmIVY', 'wmJOE', 'wmKEN'].map(customerOf));
    const created = await t.admin('POST', '/api/campaigns', {
      name: '春茶上新',
      audience: { rules: { type: 'customers', ids } },
      message: { text: '春茶上新，老客九折' },
      channels: ['wecom'],
    });
    expect(created.status).toBe(201);
    const campaignId = (created.body as { id: number }).id;
    await t.app.services.campaignRunner.tick();
    // Nothing goes through the outbox: WeCom allows no silent bulk send to contacts.
    expect(await t.app.store.repos.outbox.forChat('wecom', 'wmHAN', 0, 10)).toEqual([]);

    const first = await t.app.jobs.wecomGroupSends.runOnce(t.clock.now());
    expect(first.submitted).toEqual({ tasks: 2, handedOver: 3, failed: 1 });
    expect(fake.tasks.map((task) => [task.sender, task.text, [...task.results.keys()].sort()])).toEqual([
      ['zhangsan', '春茶上新，老客九折', ['wmHAN', 'wmIVY']],
      ['lisi', '春茶上新，老客九折', ['wmJOE']],
    ]);
    // A rerun creates no task twice.
    await t.app.jobs.wecomGroupSends.runOnce(t.clock.now());
    expect(fake.tasks).toHaveLength(2);

    const zhangsan = fake.tasks[0]?.msgid ?? '';
    fake.confirmTask(zhangsan, { wmIVY: 3 });
    const read = await t.app.jobs.wecomGroupSends.runOnce(t.clock.now());
    expect(read.results).toEqual({ sent: 1, failed: 1, waiting: 1 });

    const deliveries = async () => {
      const listed = await t.admin('GET', `/api/campaigns/${campaignId}/deliveries`);
      const rows = (listed.body as { deliveries: Array<{ customerId: number; status: string; reason: string | null }> })
        .deliveries;
      return Object.fromEntries(rows.map((d) => [d.customerId, [d.status, d.reason]]));
    };
    const [han, ivy, joe, ken] = ids;
    expect(await deliveries()).toEqual({
      [han ?? 0]: ['sent', null],
      [ivy ?? 0]: ['failed', 'already_received'],
      [joe ?? 0]: ['sending', null],
      [ken ?? 0]: ['failed', 'not_friend'],
    });
    const summary = await t.admin('GET', `/api/wecom/campaigns/${campaignId}/group-sends`);
    expect(summary.body).toMatchObject({ tasks: 2, counts: { sent: 1, failed: 2, submitted: 1 } });

    fake.confirmTask(fake.tasks[1]?.msgid ?? '');
    await t.app.jobs.wecomGroupSends.runOnce(t.clock.now());
    expect((await deliveries())[joe ?? 0]).toEqual(['sent', null]);
    await t.app.services.campaignRunner.tick();
    expect((await t.admin('GET', `/api/campaigns/${campaignId}/progress`)).body).toMatchObject({
      status: 'completed',
      sent: 2,
    });
    expect((await t.admin('GET', '/api/wecom/campaigns/999999/group-sends')).status).toBe(404);
  });
});

// 微信客服 and 客户联系 on the one callback path, signed with one Token/EncodingAESKey pair: both
// receivers verify every request, so the event's kind decides who takes it.
describeEachProvider('wecom 客户联系 beside 微信客服 on one key pair', (provider) => {
  let t: TestApp;
  let fake: FakeContactWecom;

  beforeAll(async () => {
    const clock = new ManualClock('2026-03-02T04:00:00Z');
    fake = await startFakeContactWecom(clock);
    t = await createTestApp({
      provider,
      clock,
      env: {
        ...fake.env,
        WECOM_KF_SECRET: fake.wecom.secret,
        WECOM_CALLBACK_TOKEN: fake.env.WECOM_CONTACT_TOKEN ?? '',
        WECOM_ENCODING_AES_KEY: fake.env.WECOM_CONTACT_ENCODING_AES_KEY ?? '',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const post = (sealed: SealedCallback) =>
    t.app.http.inject({
      method: 'POST',
      url: '/wecom/callback',
      query: { ...sealed.query },
      headers: { 'content-type': 'text/xml' },
      payload: sealed.body,
    });

  it('a contact change reaches 客户联系 and a kf_msg_or_event reaches 微信客服', async () => {
    expect(t.app.wecom?.channel).toBeDefined();
    const added = await post(fake.added('wmDAN', 'zhangsan'));
    expect(added.statusCode).toBe(200);
    const identity = await t.app.store.repos.customers.findIdentity('wecom', 'wmDAN');
    expect(await t.app.services.wecomContacts.contactsOf(identity?.customerId ?? 0)).toMatchObject([
      { staffUserId: 'zhangsan', status: 'active' },
    ]);
    expect(fake.wecom.calls.some((c) => c.path.endsWith('/kf/sync_msg'))).toBe(false);

    const crypto = new WecomCrypto({
      token: fake.env.WECOM_CONTACT_TOKEN ?? '',
      encodingAesKey: fake.env.WECOM_CONTACT_ENCODING_AES_KEY ?? '',
      receiveId: fake.wecom.corpId,
    });
    const createTime = Math.floor(t.clock.now().getTime() / 1000);
    const event = buildXml({
      ToUserName: fake.wecom.corpId,
      CreateTime: createTime,
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: fake.wecom.issueSyncToken(),
      OpenKfId: 'wkKF0001',
    });
    const pulled = await post(sealCallback(crypto, event, { timestamp: String(createTime) }));
    expect(pulled.statusCode).toBe(200);
    expect(pulled.body).toBe('success');
    await t.app.wecom?.channel?.idle();
    expect(fake.wecom.calls.some((c) => c.path.endsWith('/kf/sync_msg'))).toBe(true);
  });
});
