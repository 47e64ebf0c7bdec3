// Segments and campaigns in Chromium as an admin, at desktop and phone size: a segment built with
// the visual rule builder (live count and members), saved, edited; a campaign for it with a text per
// language and a button that opens a product, previewed as a chosen English-speaking recipient, saved
// as a draft, started, sent (the customer gets the English text and the button opens the product),
// its progress and results shown as tables and charts; the segment deleted afterwards. Each state is
// checked for console errors, covered controls, raw values and serious accessibility violations.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('the segments and campaigns pages', () => {
  const ui = consoleUnderTest(
    { env: { CAMPAIGN_TICK_MS: '0', MARKETING_WEEKLY_CAP: '50', QUIET_HOURS: '22:00-08:00' } },
    async (t) => {
      await t.admin('PUT', '/api/products/TEE-1', { name: '纯棉T恤', nameEn: 'Cotton tee', price: 9900, stock: 5 });
      await t.admin('PUT', '/api/products/CAP-1', { name: '棒球帽', nameEn: 'Baseball cap', price: 5900, stock: 5 });
      await t.say('sg-zh', '你好', { name: '王芳' });
      for (const viewport of ['desktop', 'phone']) {
        await t.say(`sg-en-${viewport}`, 'English', { name: `Mary ${viewport}` });
        const identity = await t.app.store.repos.customers.findIdentity('webchat', `sg-en-${viewport}`);
        await t.app.services.customers.addTag(identity?.customerId ?? 0, `vip-${viewport}`, { type: 'admin' });
      }
      await t.app.sender.drainChannel('webchat');
    },
  );

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`builds a segment, sends it a previewed campaign, shows progress and results (${viewport})`, async () => {
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/segments`);
      await page.waitForSelector('#segment-form #segment-count');
      expect(await pageProblems(page, `segments-${viewport}-new`)).toEqual([]);

      // The builder: a tag condition, then a second one (all must match), then removed again.
      const name = `VIP ${viewport}`;
      await page.fill('#segment-name', name);
      await page.selectOption('#rule-0-kind', 'tag');
      await page.fill('#rule-0-tag', `vip-${viewport}`);
      await page.locator('#segment-count[data-count="1"]').waitFor();
      await page.locator('#segment-sample', { hasText: `Mary ${viewport}` }).waitFor();
      await page.click('#rule-add');
      await page.selectOption('#rule-1-kind', 'tier');
      await page.locator('#segment-count[data-count="0"]').waitFor();
      expect(await pageProblems(page, `segments-${viewport}-builder`)).toEqual([]);
      await page.click('#segment-rules li:nth-child(2) .rule-remove');
      await page.locator('#segment-count[data-count="1"]').waitFor();
      await page.click('#segment-save');
      const saved = page.locator('#segments li', { hasText: name });
      await saved.locator('small', { hasText: `标签：vip-${viewport}` }).waitFor();
      const segmentId = Number(await saved.getAttribute('data-id'));
      expect(await ui.t.app.services.segments.rulesOf(segmentId)).toEqual({ type: 'tag', tag: `vip-${viewport}` });

      // Edited: excluding opted-out customers as well. (Form values are polled: they fill in once the
      // page has loaded what it edits.)
      await saved.locator('.edit').click();
      await expect.poll(() => page.inputValue('#segment-name'), { timeout: 10_000 }).toBe(name);
      await page.click('#rule-add');
      await page.selectOption('#rule-1-kind', 'consent');
      await page.selectOption('#segment-rules li:nth-child(2) select:not(.rule-kind)', 'no');
      await page.check('#segment-rules li:nth-child(2) .rule-exclude');
      await page.locator('#segment-count[data-count="1"]').waitFor();
      await page.click('#segment-save');
      await saved.locator('small', { hasText: '不是（未同意营销消息）' }).waitFor();
      expect(await pageProblems(page, `segments-${viewport}-saved`)).toEqual([]);

      // A campaign for it: two languages, a button that opens the product, previewed as Mary.
      await saved.locator('a', { hasText: '用它群发' }).click();
      await page.waitForSelector('#campaign-form');
      await expect.poll(() => page.inputValue('#campaign-audience'), { timeout: 10_000 }).toBe(String(segmentId));
      const campaignName = `上新 ${viewport}`;
      await page.fill('#campaign-name', campaignName);
      await page.fill('#campaign-text', '{name}您好，{tier}专享：新品上市');
      await page.fill('#campaign-text-en', 'Hi {name}, a {tier} offer: new in');
      await page.click('#campaign-button-add');
      await page.fill('#campaign-buttons .button-label', '看看这款');
      await page.fill('#campaign-buttons .button-label-en', 'See it');
      await page.selectOption('#campaign-buttons .button-target', 'product');
      await page.selectOption('#campaign-buttons .button-product', 'TEE-1');
      await page.getByLabel('网页客服').check();
      await page.locator('#campaign-preview', { hasText: `Hi Mary ${viewport}, a Member offer: new in` }).waitFor();
      await page.locator('#campaign-preview', { hasText: '商品：纯棉T恤' }).waitFor();
      await page.check('#campaign-draft');
      expect(await pageProblems(page, `campaigns-${viewport}-editor`)).toEqual([]);
      await page.click('#campaign-create');

      // A draft: edit, start and cancel apply.
      await page.locator('#campaign-detail .badge', { hasText: '草稿' }).waitFor();
      expect(await page.locator('#campaign-detail .row button').allTextContents()).toEqual([
        '编辑',
        '开始',
        '取消活动',
      ]);
      await page.locator('#campaign-message', { hasText: '看看这款 / See it → 商品：纯棉T恤' }).waitFor();
      expect(await pageProblems(page, `campaigns-${viewport}-draft`)).toEqual([]);

      // Edited while a draft: the form opens with what was saved; the text changes and the button
      // now opens another product, chosen from the picker (not typed).
      await page.click('#campaign-edit');
      await expect
        .poll(() => page.inputValue('#campaign-text'), { timeout: 10_000 })
        .toBe('{name}您好，{tier}专享：新品上市');
      expect(await page.inputValue('#campaign-text-en')).toBe('Hi {name}, a {tier} offer: new in');
      // The selects take their saved values once their options (segments, products) have loaded.
      await expect.poll(() => page.inputValue('#campaign-audience'), { timeout: 10_000 }).toBe(String(segmentId));
      expect(await page.inputValue('#campaign-buttons .button-target')).toBe('product');
      await expect.poll(() => page.inputValue('#campaign-buttons .button-product'), { timeout: 10_000 }).toBe('TEE-1');
      expect(await page.isChecked('#campaign-draft')).toBe(true);
      expect(await pageProblems(page, `campaigns-${viewport}-edit`)).toEqual([]);
      await page.fill('#campaign-text', '{name}您好，{tier}专享：新品上市，限时包邮');
      await page.selectOption('#campaign-buttons .button-product', 'CAP-1');
      await page.locator('#campaign-preview', { hasText: '商品：棒球帽' }).waitFor();
      await page.click('#campaign-save');
      await page.locator('#campaign-message', { hasText: '看看这款 / See it → 商品：棒球帽' }).waitFor();
      await page.locator('#campaign-message', { hasText: '限时包邮' }).waitFor();
      await page.locator('#campaign-detail .badge', { hasText: '草稿' }).waitFor();
      const edits = await ui.t.app.store.repos.audit.recent(10, 'campaign.edit');
      expect(edits.some((e) => JSON.stringify(e.details).includes(campaignName))).toBe(true);

      await page.click('#campaign-start');
      await page.locator('#campaign-detail .badge', { hasText: '已排期' }).waitFor();
      expect(await page.locator('#campaign-detail .row button').allTextContents()).toEqual([
        '编辑',
        '暂停',
        '取消活动',
      ]);

      // Sent: Mary gets the English text; her press opens the product.
      const campaigns = z.object({ campaigns: z.array(z.object({ id: z.number(), name: z.string() })) });
      const listed = campaigns.parse((await ui.t.admin('GET', '/api/campaigns')).body);
      const campaignId = listed.campaigns.find((c) => c.name === campaignName)?.id ?? 0;
      for (let i = 0; i < 5; i++) {
        await ui.t.app.services.campaignRunner.tick();
        await ui.t.app.sender.drainChannel('webchat');
      }
      const rows = await ui.t.app.store.repos.outbox.forChat('webchat', `sg-en-${viewport}`, 0, 100);
      const sent = rows.find((r) => r.purpose === 'campaign');
      expect(sent?.text).toBe(`Hi Mary ${viewport}, a Member offer: new in`);
      const button = z.array(z.object({ label: z.string(), data: z.string() })).parse(sent?.buttons)[0];
      expect(button?.label).toBe('See it');
      const pressed = await ui.t.press(`sg-en-${viewport}`, button?.data ?? '', 'See it');
      expect(pressed.text).toContain('Baseball cap');
      await page.locator('#campaign-detail .badge', { hasText: '已完成' }).waitFor();
      await page.reload();
      await page.waitForSelector('#campaign-results');
      await page.waitForSelector('#campaign-chart-progress[data-drawn="true"]');
      await page.waitForSelector('#campaign-chart-results[data-drawn="true"]');
      expect(await page.locator('#campaign-detail .row button').count()).toBe(0);
      expect(await page.locator('#campaign-results').innerText()).toMatch(/点击\s+1/);
      expect(await pageProblems(page, `campaigns-${viewport}-results`)).toEqual([]);
      expect(campaignId).toBeGreaterThan(0);

      // The finished campaign no longer holds the segment: it can be deleted.
      await page.goto(`${ui.base}/console/segments`);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('#segments li', { hasText: name }).locator('.delete').click();
      await page.locator('#segments li', { hasText: name }).waitFor({ state: 'detached' });
      expect((await ui.t.admin('GET', `/api/segments/${segmentId}`)).status).toBe(404);
      expect(problems).toEqual([]);
      await context.close();
    }, 240_000);
  }

  it('reads in English: rules and controls in words; API-made rules open read-only', async () => {
    await ui.t.admin('POST', '/api/segments', {
      name: 'Gold buyers',
      rules: {
        type: 'and',
        rules: [
          { type: 'tier', in: ['gold', 'diamond'] },
          { type: 'noOrderWithin', days: 60 },
        ],
      },
    });
    await ui.t.admin('POST', '/api/segments', {
      name: 'Has a phone',
      rules: {
        type: 'or',
        rules: [
          { type: 'field', field: 'phone', op: 'exists' },
          { type: 'tag', tag: 'x' },
        ],
      },
    });
    const { context, page, problems } = await ui.open('desktop', 'admin');
    // The choice is saved on the staff account: wait for it before leaving the page.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/console/me') && r.request().method() === 'PATCH'),
      page.selectOption('#language', 'en'),
    ]);
    await page.goto(`${ui.base}/console/segments`);
    const gold = page.locator('#segments li', { hasText: 'Gold buyers' });
    await gold.locator('small', { hasText: 'Membership tier: Gold, Diamond and No order for: 60 days' }).waitFor();
    await page.locator('#segments li', { hasText: 'has a phone or Tag: x' }).waitFor();
    await page.locator('#segments li', { hasText: 'Has a phone' }).locator('.edit').click();
    await page.locator('#segment-readonly', { hasText: 'made through the API' }).waitFor();
    await page.locator('#segment-count').waitFor();
    expect(await pageProblems(page, 'segments-english')).toEqual([]);
    await gold.locator('.edit').click();
    await expect.poll(() => page.inputValue('#rule-0-kind'), { timeout: 10_000 }).toBe('tier');
    await expect.poll(() => page.inputValue('#rule-1-kind'), { timeout: 10_000 }).toBe('noOrderWithin');
    await page.goto(`${ui.base}/console/campaigns`);
    await page.locator('#campaign-form', { hasText: 'English text' }).waitFor();
    await page.locator('#campaign-preview-box', { hasText: 'recipients' }).waitFor();
    expect(await pageProblems(page, 'campaigns-english-editor')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows messages held by quiet hours and why others were not sent', async () => {
    const zh = await ui.t.app.store.repos.customers.findIdentity('webchat', 'sg-zh');
    await ui.t.app.services.customers.setMarketingConsent(zh?.customerId ?? 0, false, { type: 'admin' }, 'webchat');
    ui.t.clock.set('2026-03-05T15:00:00Z'); // 23:00 in Shanghai
    const created = await ui.t.admin('POST', '/api/campaigns', {
      name: '夜间群发',
      audience: { rules: { type: 'channel', channel: 'webchat' } },
      message: { text: '晚安' },
      channels: ['webchat'],
    });
    const id = z.object({ id: z.number() }).parse(created.body).id;
    await ui.t.app.services.campaignRunner.tick();
    await ui.t.app.sender.drainChannel('webchat');
    const { context, page, problems } = await ui.open('desktop', 'admin');
    if ((await page.inputValue('#language')) !== 'en') {
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/console/me') && r.request().method() === 'PATCH'),
        page.selectOption('#language', 'en'),
      ]);
    }
    await page.goto(`${ui.base}/console/campaigns/${id}`);
    await page.locator('#campaign-held', { hasText: 'Quiet hours: waiting messages go out at' }).waitFor();
    await page.locator('#campaign-reasons tr', { hasText: 'Opted out' }).waitFor();
    expect(await page.locator('#campaign-detail .row button').allTextContents()).toEqual(['Pause', 'Cancel']);
    expect(await pageProblems(page, 'campaigns-english-held')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('is for admins: agents neither see the pages nor reach their API', async () => {
    const { context, page } = await ui.open('desktop', 'agent');
    expect(await page.locator('#nav ul a').allTextContents()).not.toContain('客户分群');
    await page.goto(`${ui.base}/console/segments`);
    await page.waitForSelector('.card h1');
    expect(await page.locator('#segment-form').count()).toBe(0);
    await context.close();
  }, 60_000);
});
