// Commerce behaviour through public interfaces: interest logging, shop synonyms, order privacy and
// notices, the case API with customer notifications, duplicate protection, and CSV import.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Inbound } from '../../src/domain/messages.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';

describeEachProvider('commerce', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider });
    await seedDemo(t.app.services, t.app.clock);
  });
  afterAll(async () => {
    await t.close();
  });

  const customerId = async (visitor: string) =>
    (await t.app.store.repos.customers.findIdentity('webchat', visitor))?.customerId ?? -1;
  const outboxFor = async (visitor: string) => {
    // Rows become visible here once the sender has sent them.
    await t.app.sender.drainChannel('webchat');
    return t.app.store.repos.outbox.forChat('webchat', visitor, 0, 500);
  };

  it('the seeded demo shop shows its customers with orders as customers, not prospects', async () => {
    // The console's customer list reads the lifecycle the analytics compute: a fresh demo shop used
    // to show 李华 (two orders, ¥837) as 潜在客户 until the nightly run.
    const found = await t.admin('GET', `/api/customers?q=${encodeURIComponent('李华')}`);
    const lihua = (found.body as { customers: Array<{ lifecycleStage: string; orderCount: number }> }).customers[0];
    expect(lihua?.orderCount).toBe(2);
    expect(lihua?.lifecycleStage).toBe('active');
  });

  it('logs each question with matched products and tags the interest', async () => {
    await t.say('int-1', '羽绒服多少钱');
    const id = await customerId('int-1');
    const tags = await t.app.store.repos.customers.tags(id);
    expect(tags).toContain('interest:JK-001');
    const events = (await t.app.store.repos.interactions.forCustomer(id)).filter((i) => i.kind === 'event');
    expect(events[0]?.payload).toMatchObject({ type: 'presale.question', skus: ['JK-001'], answered: true });
    const profile = await t.admin('GET', `/api/customers/${id}`);
    expect(JSON.stringify(profile.body)).toContain('interest:JK-001');
  });

  it('offers staff instead of guessing, and the hand-off button reaches a person', async () => {
    const res = await t.say('int-2', '你们家的猫粮是进口的吗');
    expect(res.text).toContain('不太确定');
    expect(res.replies[0]?.buttons?.map((b) => b.data)).toContain('human');
    const handoff = await t.press('int-2', 'human', '联系客服');
    expect(handoff.conversation?.status).toBe('pending');
  });

  it('lets the shop add and remove synonyms through the admin API', async () => {
    expect((await t.say('syn-1', '脖套多少钱')).text).toContain('不太确定');
    const bad = await t.admin('PUT', '/api/synonyms/围巾', { alternatives: [] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
    const put = await t.admin('PUT', `/api/synonyms/${encodeURIComponent('围巾')}`, { alternatives: ['脖套'] });
    expect(put.status).toBe(200);
    expect((await t.say('syn-1', '脖套多少钱')).text).toContain('羊毛围巾 售价 ¥129.00');
    const list = await t.admin('GET', '/api/synonyms');
    expect(list.body).toEqual({ synonyms: [{ term: '围巾', alternatives: ['脖套'] }] });
    await t.admin('DELETE', `/api/synonyms/${encodeURIComponent('围巾')}`);
    expect((await t.say('syn-1', '脖套多少钱')).text).toContain('不太确定');
  });

  it('remembers the product a "加入咨询" button picked for the next question', async () => {
    await t.press('ctx-1', 'presale:ask:SN-002', '加入咨询');
    const res = await t.say('ctx-1', '这双有36码吗');
    expect(res.text).toContain('帆布鞋 有 36 码');
  });

  it('notices catalog changes made by another instance', async () => {
    expect((await t.say('multi-1', '羽绒服多少钱')).text).toContain('¥499.00');
    const other = await createApp({ config: t.app.config, clock: t.clock });
    try {
      await other.services.catalog.upsertProduct(
        'JK-001',
        { name: '轻薄羽绒服', nameEn: 'Lightweight down jacket', price: 45900, stock: 30 },
        { type: 'admin' },
      );
    } finally {
      await other.stop();
    }
    t.clock.advance(31_000);
    expect((await t.say('multi-1', '羽绒服多少钱')).text).toContain('¥459.00');
  });

  it('never posts order details in a group', async () => {
    await t.say('demo-lihua', '你好');
    const inbound: Inbound = {
      channel: 'webchat',
      messageId: 'grp-1',
      at: t.clock.now(),
      chat: { id: 'group-1', kind: 'group', title: 'fans' },
      sender: { id: 'demo-lihua' },
      text: '@bot 我的订单',
      mentionsBot: true,
    };
    await t.app.pipeline.handle(inbound);
    await t.app.sender.drainChannel('webchat');
    const group = await t.app.store.repos.outbox.forChat('webchat', 'group-1', 0, 50);
    expect(group.map((r) => r.text).join('\n')).not.toContain('DEMO-1002');
    const privately = await outboxFor('demo-lihua');
    expect(privately.some((r) => r.sourceKey === 'webchat:grp-1' && r.text.includes('DEMO-1002'))).toBe(true);
  });

  it('respects the customer switching order notices off and on', async () => {
    await t.say('demo-lihua', '关闭订单通知');
    const before = (await outboxFor('demo-lihua')).length;
    await t.admin('PATCH', '/api/orders/DEMO-1002', { status: 'delivered' });
    expect((await outboxFor('demo-lihua')).length).toBe(before);
    await t.say('demo-lihua', '开启订单通知');
    const on = (await outboxFor('demo-lihua')).length;
    await t.admin('PATCH', '/api/orders/DEMO-1001', { status: 'refunded' });
    const rows = await outboxFor('demo-lihua');
    expect(rows.length).toBe(on + 1);
    expect(rows.at(-1)?.purpose).toBe('notification');
  });

  it('opens one case per item however often the last button is pressed, and runs it through the API', async () => {
    await t.say('demo-wangfang', '我要退货');
    await t.press('demo-wangfang', 'aftersale:order:DEMO-1003');
    await t.press('demo-wangfang', 'aftersale:reason:size');
    await t.press('demo-wangfang', 'aftersale:skip');
    const [first, second] = await Promise.all([
      t.say('demo-wangfang', 'https://img.example/1.jpg', { messageId: 'photo-1' }),
      t.say('demo-wangfang', 'https://img.example/1.jpg', { messageId: 'photo-1' }),
    ]);
    expect(second.replies).toEqual(first.replies);
    const caseNo = /AS\d{8}-\d{4}/.exec(first.text)?.[0] ?? '';
    expect(caseNo).toMatch(/^AS20260302-/);
    await t.press('demo-wangfang', 'aftersale:skip');
    const again = await t.say('demo-wangfang', '我要退货 DEMO-1003');
    expect(again.text).toContain(`已有售后单 ${caseNo}`);
    const id = await customerId('demo-wangfang');
    expect((await t.app.services.cases.list({ customerId: id, take: 50, skip: 0 }, { type: 'admin' })).length).toBe(1);

    const list = await t.admin('GET', '/api/cases?type=return&status=open');
    expect(JSON.stringify(list.body)).toContain(caseNo);
    const detail = await t.admin('GET', `/api/cases/${caseNo}`);
    expect(detail.body).toMatchObject({
      caseNo,
      type: 'return',
      reason: 'size',
      photoRef: 'https://img.example/1.jpg',
    });

    const sent = (await outboxFor('demo-wangfang')).length;
    expect((await t.admin('PATCH', `/api/cases/${caseNo}`, { stage: 'approved', status: 'in_progress' })).status).toBe(
      200,
    );
    expect((await t.admin('PATCH', `/api/cases/${caseNo}`, { stage: 'approved' })).status).toBe(200);
    const address = '浙江省杭州市余杭区仓前街道 1 号 售后组';
    await t.admin('PATCH', `/api/cases/${caseNo}`, { stage: 'return_address_sent', returnAddress: address });
    const notices = (await outboxFor('demo-wangfang')).slice(sent);
    expect(notices.map((r) => r.text)).toEqual([
      `🔧 售后单 ${caseNo}：已通过审核`,
      `🔧 售后单 ${caseNo}：请将商品寄回：${address}`,
    ]);
    const note = await t.admin('POST', `/api/cases/${caseNo}/notes`, { text: '顾客说周五寄回' });
    expect(note.status).toBe(201);
    expect((await t.admin('GET', `/api/cases/${caseNo}`)).body).toMatchObject({
      stage: 'return_address_sent',
      status: 'in_progress',
      notes: [{ text: '顾客说周五寄回', internal: true }],
    });
    expect((await t.admin('PATCH', `/api/cases/${caseNo}`, { stage: 'teleported' })).status).toBe(400);
    expect((await t.admin('GET', '/api/cases/AS19990101-0001')).body).toMatchObject({ error: { code: 'not_found' } });
    const progress = await t.say('demo-wangfang', '售后进度');
    expect(progress.text).toContain(caseNo);
  });

  it('returns the existing case for concurrent opens with one dedupe key', async () => {
    const id = await customerId('demo-alex');
    const input = { type: 'complaint' as const, customerId: id, dedupeKey: 'complaint:test:1' };
    const [a, b] = await Promise.all([t.app.services.cases.open(input), t.app.services.cases.open(input)]);
    expect(a.case.caseNo).toBe(b.case.caseNo);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  });
});
