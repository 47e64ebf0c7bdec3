// What the console's campaign editor relies on, through the admin API and the webchat channel on
// SQLite and PostgreSQL: text per language with placeholders in the language actually sent, buttons
// that open a chosen flow or product when pressed, a preview as a chosen recipient, progress held by
// quiet hours, and saved segments that can be deleted only when no campaign may still use them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { FlowName } from '../../flows/names.ts';
import { CampaignButtonFlow } from '../../src/http/schemas/back-office.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider } from '../helpers/databases.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describeEachProvider('campaign editor', (provider) => {
  let t: TestApp;
  const customerIds = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp({
      provider,
      env: { CAMPAIGN_TICK_MS: '0', QUIET_HOURS: '22:00-08:00', MARKETING_WEEKLY_CAP: '50' },
    });
    await t.admin('PUT', '/api/products/TEE-1', { name: '纯棉T恤', nameEn: 'Cotton tee', price: 9900, stock: 5 });
    await t.admin('PUT', '/api/products/OLD-1', { name: '旧款', price: 5900, stock: 1 });
    await t.admin('PATCH', '/api/products/OLD-1', { active: false });
    await t.say('ed-zh', '你好', { name: '小王' });
    await t.say('ed-en', 'English');
    await t.say('ed-en-named', 'English', { name: 'Mary' });
    for (const v of ['ed-zh', 'ed-en', 'ed-en-named']) {
      const identity = await t.app.store.repos.customers.findIdentity('webchat', v);
      customerIds.set(v, identity?.customerId ?? 0);
    }
    await t.app.sender.drainChannel('webchat');
  });
  afterAll(async () => {
    await t?.close();
  });

  const audience = () => ({ rules: { type: 'customers', ids: [...customerIds.values()] } });
  const id = (v: string) => customerIds.get(v) ?? 0;

  async function create(body: Record<string, unknown>) {
    const res = await t.admin('POST', '/api/campaigns', {
      name: 'x',
      audience: audience(),
      channels: ['webchat'],
      ...body,
    });
    expect(res.status).toBe(201);
    return z.object({ id: z.number() }).parse(res.body).id;
  }
  async function runToEnd(campaignId: number) {
    for (let i = 0; i < 20; i++) {
      await t.app.services.campaignRunner.tick();
      await t.app.sender.drainChannel('webchat');
      const { status } = await t.app.services.campaigns.get(campaignId);
      if (status !== 'running' && status !== 'scheduled') return;
    }
  }
  /** The campaign message the visitor got (the campaign's delivery to them and the outbox row sent). */
  async function received(visitor: string, campaignId: number) {
    const deliveries = await t.app.store.repos.campaigns.deliveries(campaignId, { take: 10, afterId: 0 });
    const delivery = deliveries.find((d) => d.target === visitor);
    const rows = await t.app.store.repos.outbox.forChat('webchat', visitor, 0, 200);
    const sent = rows.filter((r) => r.purpose === 'campaign').at(-1);
    const Buttons = z.array(z.object({ label: z.string(), data: z.string() })).nullable();
    return { deliveryId: delivery?.id ?? 0, text: sent?.text, buttons: Buttons.parse(sent?.buttons ?? null) };
  }

  it('renders each customer in the language of the text they get, placeholders included', async () => {
    const zhOnly = await create({ message: { text: '{name}您好，{tier}专享：春季上新' } });
    await runToEnd(zhOnly);
    expect((await received('ed-zh', zhOnly)).text).toBe('小王您好，普通会员专享：春季上新');
    // No English text: the English customer reads the Chinese one, with Chinese placeholders.
    expect((await received('ed-en', zhOnly)).text).toBe('朋友您好，普通会员专享：春季上新');
    expect((await received('ed-en-named', zhOnly)).text).toBe('Mary您好，普通会员专享：春季上新');

    const both = await create({
      message: {
        text: '{name}您好，{tier}专享',
        textEn: 'Hi {name}, a {tier} offer',
        buttons: [{ label: '看看', labelEn: 'Have a look', action: 'menu' }, { label: '积分' }],
      },
    });
    await runToEnd(both);
    const zh = await received('ed-zh', both);
    expect(zh.text).toBe('小王您好，普通会员专享');
    expect(zh.buttons?.map((b) => b.label)).toEqual(['看看', '积分']);
    const en = await received('ed-en', both);
    expect(en.text).toBe('Hi there, a Member offer');
    expect(en.buttons?.map((b) => b.label)).toEqual(['Have a look', '积分']);
    expect(en.buttons?.map((b) => b.data)).toEqual([`campaign:${en.deliveryId}:0`, `campaign:${en.deliveryId}:1`]);
  });

  it('opens the chosen product or flow when a customer presses a campaign button', async () => {
    const campaign = await create({
      message: {
        text: '新品到货',
        textEn: 'New in',
        buttons: [
          { label: '看看这款', labelEn: 'See it', action: 'presale:ask:TEE-1' },
          { label: '我的积分', labelEn: 'My points', action: 'loyalty' },
        ],
      },
    });
    await runToEnd(campaign);
    const zh = await received('ed-zh', campaign);
    const product = await t.press('ed-zh', `campaign:${zh.deliveryId}:0`, '看看这款');
    expect(product.text).toContain('纯棉T恤');
    expect(product.text).toContain('99');
    const en = await received('ed-en', campaign);
    const points = await t.press('ed-en', `campaign:${en.deliveryId}:1`, 'My points');
    expect(points.text).toMatch(/points/i);
    const results = await t.admin('GET', `/api/campaigns/${campaign}/results`);
    expect(results.body).toMatchObject({ clicked: 2 });
  });

  it('opens every flow the console offers for a button', async () => {
    for (const flow of CampaignButtonFlow.options) expect(FlowName.options).toContain(flow);
    // The console offers at most 3 buttons a message: one campaign per 3 flows.
    const flows = [...CampaignButtonFlow.options];
    for (let start = 0; start < flows.length; start += 3) {
      const chunk = flows.slice(start, start + 3);
      const campaign = await create({
        message: { text: '看看', buttons: chunk.map((flow) => ({ label: flow, action: flow })) },
      });
      await runToEnd(campaign);
      const zh = await received('ed-zh', campaign);
      for (const [i, flow] of chunk.entries()) {
        const reply = await t.press('ed-zh', `campaign:${zh.deliveryId}:${i}`, flow);
        expect(reply.status, flow).toBe(200);
        // A button without a flow is thanked; one with a flow answers from that flow.
        expect(reply.text, flow).not.toContain('收到！有什么想了解的');
      }
    }
  });

  it('refuses a button that cannot route (400, no campaign written)', async () => {
    const before = z.object({ campaigns: z.array(z.unknown()) }).parse((await t.admin('GET', '/api/campaigns')).body);
    const bad = await t.admin('POST', '/api/campaigns', {
      name: 'bad',
      audience: audience(),
      channels: ['webchat'],
      message: { text: 'hi', buttons: [{ label: 'x', action: 'presale ask TEE 1' }] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('flow name');
    const after = z.object({ campaigns: z.array(z.unknown()) }).parse((await t.admin('GET', '/api/campaigns')).body);
    expect(after.campaigns).toHaveLength(before.campaigns.length);
  });

  it('previews the message as a chosen recipient', async () => {
    const message = {
      text: '{name}，{tier}专享券 {coupon}',
      textEn: '{name}, your {tier} coupon {coupon}',
      buttons: [{ label: '看看这款', labelEn: 'See it', action: 'presale:ask:TEE-1' }],
    };
    const en = await t.admin('POST', '/api/campaigns/preview', { message, customerId: id('ed-en-named') });
    expect(en).toMatchObject({
      status: 200,
      body: {
        locale: 'en',
        text: 'Mary, your Member coupon COUPON-0000',
        buttons: [{ label: 'See it', action: 'presale:ask:TEE-1' }],
        customer: { id: id('ed-en-named'), name: 'Mary' },
      },
    });
    const zh = await t.admin('POST', '/api/campaigns/preview', { message, customerId: id('ed-zh') });
    expect(zh.body).toMatchObject({ locale: 'zh-CN', text: '小王，普通会员专享券 COUPON-0000' });
    const zhOnly = await t.admin('POST', '/api/campaigns/preview', {
      message: { text: '{name}您好' },
      customerId: id('ed-en'),
    });
    expect(zhOnly.body).toMatchObject({ locale: 'zh-CN', text: '朋友您好' });
    expect((await t.admin('POST', '/api/campaigns/preview', { message, customerId: 999999 })).status).toBe(404);
    expect((await t.admin('POST', '/api/campaigns/preview', { message: { text: '' }, customerId: 1 })).status).toBe(
      400,
    );
  });

  it('reports messages held by quiet hours with the time they go out', async () => {
    t.clock.set('2026-03-02T15:00:00Z'); // 23:00 in Shanghai
    const campaign = await create({ message: { text: '晚安特惠' } });
    await t.app.services.campaignRunner.tick();
    await t.app.sender.drainChannel('webchat');
    const held = await t.admin('GET', `/api/campaigns/${campaign}/progress`);
    expect(held.body).toMatchObject({ status: 'running', heldUntil: '2026-03-03T00:00:00.000Z' });
    t.clock.set('2026-03-03T01:00:00Z');
    await runToEnd(campaign);
    const done = await t.admin('GET', `/api/campaigns/${campaign}/progress`);
    expect(done.body).toMatchObject({ status: 'completed', heldUntil: null, sent: 3 });
  });

  it('deletes a saved segment only when no campaign may still send to it', async () => {
    const created = await t.admin('POST', '/api/segments', {
      name: '英文客户',
      rules: { type: 'field', field: 'locale', op: 'eq', value: 'en' },
    });
    expect(created.status).toBe(201);
    const segmentId = z.object({ id: z.number() }).parse(created.body).id;
    const twice = await t.admin('POST', '/api/segments', { name: '英文客户', rules: { type: 'consent', optIn: true } });
    expect(twice.status).toBe(409);
    const draft = await create({ audience: { segmentId }, message: { text: 'hi' }, draft: true });
    const refused = await t.admin('DELETE', `/api/segments/${segmentId}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('英文客户');
    await t.admin('POST', `/api/campaigns/${draft}/cancel`);
    expect(await t.admin('DELETE', `/api/segments/${segmentId}`)).toMatchObject({
      status: 200,
      body: { deleted: true },
    });
    expect((await t.admin('GET', `/api/segments/${segmentId}`)).status).toBe(404);
    expect((await t.admin('DELETE', `/api/segments/${segmentId}`)).status).toBe(404);
    // The cancelled campaign keeps who it was for.
    const kept = await t.app.services.campaigns.get(draft);
    expect(kept).toMatchObject({
      segmentId: null,
      audience: { rules: { type: 'field', field: 'locale', op: 'eq', value: 'en' } },
    });
    const log = await t.app.store.repos.audit.recent(5, 'segment.delete');
    expect(log.map((e) => e.entityId)).toEqual([String(segmentId)]);
  });

  it('refuses a button naming a product not on sale or a flow a button cannot open, at create and edit', async () => {
    const count = async () =>
      z.object({ campaigns: z.array(z.unknown()) }).parse((await t.admin('GET', '/api/campaigns')).body).campaigns
        .length;
    const before = await count();
    const body = (action: string) => ({
      name: 'bad button',
      audience: audience(),
      channels: ['webchat'],
      message: {
        text: 'hi',
        buttons: [
          { label: 'ok', action: 'menu' },
          { label: 'x', action },
        ],
      },
    });
    for (const [action, words] of [
      ['presale:ask:NOPE-9', 'no product on sale with SKU "NOPE-9"'],
      ['presale:ask:OLD-1', 'no product on sale with SKU "OLD-1"'],
      ['checkout', 'not a flow a button can open'],
      ['loyalty:redeem', 'not a flow a button can open'],
    ] as const) {
      const refused = await t.admin('POST', '/api/campaigns', body(action));
      expect(refused.status, action).toBe(400);
      const message = z.object({ error: z.object({ message: z.string() }) }).parse(refused.body).error.message;
      expect(message, action).toContain('message.buttons.1.action');
      expect(message, action).toContain(words);
    }
    expect(await count()).toBe(before);

    const draft = await create({ message: { text: '草稿' }, draft: true });
    const refused = await t.admin('PUT', `/api/campaigns/${draft}`, body('presale:ask:NOPE-9'));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('message.buttons.1.action');
    expect(await t.app.services.campaigns.get(draft)).toMatchObject({ name: 'x', message: { text: '草稿' } });
    await t.admin('POST', `/api/campaigns/${draft}/cancel`);
  });

  it('edits a draft or scheduled campaign (audited), and refuses once it has started sending', async () => {
    const segment = await t.admin('POST', '/api/segments', {
      name: '中文客户',
      rules: { type: 'field', field: 'locale', op: 'eq', value: 'zh-CN' },
    });
    const segmentId = z.object({ id: z.number() }).parse(segment.body).id;
    const draft = await create({ message: { text: '初稿' }, draft: true });
    const edited = await t.admin('PUT', `/api/campaigns/${draft}`, {
      name: '双十二预热',
      audience: { segmentId },
      channels: ['webchat', 'telegram'],
      message: {
        text: '{name}您好，双十二预热',
        textEn: 'Hi {name}, 12.12 is coming',
        buttons: [{ label: '看看这款', labelEn: 'See it', action: 'presale:ask:TEE-1' }],
      },
      schedule: { kind: 'at', at: '2030-12-10T02:00:00Z' },
      draft: true,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: draft,
      name: '双十二预热',
      status: 'draft',
      segmentId,
      audience: null,
      channels: ['webchat', 'telegram'],
      scheduleKind: 'at',
      message: { textEn: 'Hi {name}, 12.12 is coming' },
    });
    // Scheduled now (not a draft any more), and still editable: back to an inline audience.
    const scheduled = await t.admin('PUT', `/api/campaigns/${draft}`, {
      name: '双十二预热',
      audience: audience(),
      channels: ['webchat'],
      message: { text: '双十二预热' },
      schedule: { kind: 'at', at: '2030-12-10T02:00:00Z' },
    });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', segmentId: null, audience: audience() });
    const log = await t.app.store.repos.audit.recent(5, 'campaign.edit');
    expect(log.filter((e) => e.entityId === String(draft))).toHaveLength(2);
    expect(log[0]?.details).toMatchObject({ from: 'draft', to: 'scheduled', name: '双十二预热' });

    // An agent may not edit; a bad body writes nothing; an unknown campaign is 404.
    await addStaff(t, 'ed-agent');
    const agent = await loginAs(t, 'ed-agent');
    expect((await agent('PUT', `/api/campaigns/${draft}`, { name: 'x' })).status).toBe(403);
    expect((await t.admin('PUT', `/api/campaigns/${draft}`, { name: '' })).status).toBe(400);
    expect((await t.admin('PUT', '/api/campaigns/999999', { ...scheduledBody() })).status).toBe(404);

    // Sending: running, then completed — neither can be edited (409 with a message), nothing changes.
    const sending = await create({ message: { text: '马上发' } });
    await t.app.services.campaignRunner.tick();
    for (const status of ['running', 'completed']) {
      if (status === 'completed') await runToEnd(sending);
      expect((await t.app.services.campaigns.get(sending)).status).toBe(status);
      const refused = await t.admin('PUT', `/api/campaigns/${sending}`, scheduledBody());
      expect(refused.status, status).toBe(409);
      expect(JSON.stringify(refused.body)).toContain(`is ${status}: only a draft or scheduled campaign can be edited`);
      expect(await t.app.services.campaigns.get(sending)).toMatchObject({ name: 'x', message: { text: '马上发' } });
    }
  });

  function scheduledBody() {
    return { name: 'late', audience: audience(), channels: ['webchat'], message: { text: 'late' } };
  }
});
