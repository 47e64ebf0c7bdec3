// The webchat thread persists: what a reloaded widget reads back through
// GET /api/webchat/:visitorId/messages (issue 16), on both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp, visitorHeaders } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

const MINUTE = 60_000;

describeEachProvider('webchat thread', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ provider, env: { SHOP_HOURS: '00:00-00:00' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const open = (visitorId: string) =>
    t.app.http.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      headers: visitorHeaders(visitorId),
      payload: { visitorId, action: 'menu', messageId: `${visitorId}-open` },
    });

  it('opens with the greeting and menu, and no bubble from the customer', async () => {
    const res = await open('t-first');
    expect(res.statusCode).toBe(200);
    const { messages } = await t.thread('t-first');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ from: 'bot', buttons: expect.arrayContaining([expect.anything()]) });
    expect(messages[0]?.text).toContain('Guanxi Demo Shop');
  });

  it('keeps each answer after its question even when both happen in the same millisecond', async () => {
    await t.say('t-same', '你好');
    await t.say('t-same', '菜单');
    const { messages } = await t.thread('t-same');
    expect(messages.map((m) => m.from)).toEqual(['customer', 'bot', 'customer', 'bot']);
    expect(messages[2]?.text).toBe('菜单');
  });

  it('restores the whole conversation in order: messages, pressed buttons by label, staff by name, notes never, the end of service', async () => {
    await addStaff(t, 'mei', { online: true });
    const mei = await loginAs(t, 'mei');
    await open('t-full');
    t.clock.advance(MINUTE);
    await t.press('t-full', 'profile', '👤 我的资料');
    t.clock.advance(MINUTE);
    const escalated = await t.say('t-full', '人工');
    const id = escalated.conversation?.id ?? -1;
    t.clock.advance(MINUTE);
    if (escalated.conversation?.status === 'pending') await mei('POST', `/api/console/conversations/${id}/take`);
    expect((await mei('POST', `/api/console/conversations/${id}/reply`, { text: '您好，我是小美' })).status).toBe(200);
    await mei('POST', `/api/console/conversations/${id}/notes`, { text: '内部备注：VIP' });
    t.clock.advance(MINUTE);
    expect((await mei('POST', `/api/console/conversations/${id}/resolve`)).status).toBe(200);
    await t.app.sender.drainChannel('webchat');

    const { messages, cursor } = await t.thread('t-full');
    const customer = messages.filter((m) => m.from === 'customer').map((m) => m.text);
    expect(customer).toEqual(['👤 我的资料', '人工']);
    const staff = messages.filter((m) => m.from === 'staff');
    expect(staff).toEqual([expect.objectContaining({ text: '您好，我是小美', staffName: 'MEI' })]);
    expect(JSON.stringify(messages)).not.toContain('内部备注');
    expect(messages.some((m) => m.from === 'system' && m.text.includes('本次人工服务已结束'))).toBe(true);
    // Oldest first, each with its time.
    const times = messages.map((m) => Date.parse(m.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(messages.findIndex((m) => m.text === '人工')).toBeLessThan(
      messages.findIndex((m) => m.text === '您好，我是小美'),
    );
    // The reply to the pressed button keeps its buttons.
    const afterPress = messages[messages.findIndex((m) => m.text === '👤 我的资料') + 1];
    expect(afterPress?.from).toBe('bot');

    // `after` is exclusive: nothing new, nothing repeated; then only what came later.
    expect((await t.thread('t-full', cursor)).messages).toEqual([]);
    t.clock.advance(MINUTE);
    await t.say('t-full', '谢谢');
    const later = await t.thread('t-full', cursor);
    expect(later.messages[0]).toMatchObject({ from: 'customer', text: '谢谢' });
    expect(later.messages.map((m) => m.id)).not.toContain(messages.at(-1)?.id);
  });

  it('pages through a long thread without losing or repeating a message', async () => {
    for (let i = 0; i < 105; i++) {
      t.clock.advance(1000);
      await t.say('t-long', `第${i}条`);
    }
    const seen: string[] = [];
    const said: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await t.app.http.inject({
        method: 'GET',
        url: `/api/webchat/t-long/messages${cursor ? `?after=${cursor}` : ''}`,
        headers: visitorHeaders('t-long'),
      });
      const body = res.json<{ messages: Array<{ id: string; from: string; text: string }>; cursor: string }>();
      if (body.messages.length === 0) break;
      seen.push(...body.messages.map((m) => m.id));
      said.push(...body.messages.filter((m) => m.from === 'customer').map((m) => m.text));
      cursor = body.cursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(said).toEqual(Array.from({ length: 105 }, (_, i) => `第${i}条`));
    expect(seen.length).toBeGreaterThan(100);
  });

  it('takes the pre-chat form and a ticked consent box with the message, and never lets the form overwrite', async () => {
    const post = (body: Record<string, unknown>) =>
      t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        headers: visitorHeaders('t-form'),
        payload: { visitorId: 't-form', ...body },
      });
    const res = await post({ action: 'menu', profile: { name: '刘洋', phone: '13911112222' }, marketingConsent: true });
    expect(res.statusCode).toBe(200);
    const identity = await t.app.store.repos.customers.findIdentity('webchat', 't-form');
    expect(identity?.customer).toMatchObject({ name: '刘洋', phone: '13911112222', marketingOptIn: true });
    await post({ text: 'hi', profile: { name: '别人' } });
    const again = await t.app.store.repos.customers.get(identity?.customerId ?? -1);
    expect(again?.name).toBe('刘洋');
    const bad = await post({ text: 'hi', profile: { phone: 'not a phone' } });
    expect(bad.statusCode).toBe(400);
    const unknown = await post({ text: 'hi', name: 'old field' });
    expect(unknown.statusCode).toBe(400);
  });

  it('brings back a campaign message the visitor got while away, with its buttons, after what they wrote', async () => {
    await open('t-campaign');
    t.clock.advance(MINUTE);
    await t.say('t-campaign', '有新品吗');
    const seen = (await t.thread('t-campaign')).cursor;
    t.clock.advance(MINUTE);
    const created = await t.admin('POST', '/api/campaigns', {
      name: 'thread-spring',
      audience: { rules: { type: 'consent', optIn: true } },
      message: { text: '春季上新，会员专享', buttons: [{ label: '看看', action: 'menu' }] },
      channels: ['webchat'],
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: number };
    for (let i = 0; i < 20; i++) {
      await t.app.services.campaignRunner.tick();
      await t.app.sender.drainChannel('webchat');
      if ((await t.app.services.campaigns.get(id)).status === 'completed') break;
    }

    // A returning visitor (a reload reads the whole thread) and a live one (after its cursor) both get it.
    const { messages } = await t.thread('t-campaign');
    const at = messages.findIndex((m) => m.text === '春季上新，会员专享');
    expect(messages[at]).toMatchObject({ from: 'bot', buttons: [{ label: '看看', data: expect.any(String) }] });
    expect(messages.findIndex((m) => m.text === '有新品吗')).toBeLessThan(at);
    expect((await t.thread('t-campaign', seen)).messages.map((m) => m.text)).toEqual(['春季上新，会员专享']);
  });
});
