// The embeddable webchat widget in real Chromium, on a shop page served from ANOTHER origin: one
// <script> line adds the launcher; the visitor is greeted (no fake message from them), chats, is told
// their true place in the queue, gets a staff reply live with the agent's name, reloads and finds
// the thread again. A photo goes up through the photo button: staff see it in the console, and it
// is back after a reload (read with the secret header, shown from a blob URL; never a secret in a
// URL). Phone layout, no console errors, nothing covering the composer, axe clean.
// Also `/`: the same widget full page, with no link to the staff console.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  coveredInWidget,
  hasChromium,
  launchChromium,
  login,
  seriousViolations,
  snap,
  viewports,
  watch,
} from '../helpers/browser.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

const IDENTITY_SECRET = 'shop-identity-secret-0123456789';

/** What the shop's server renders for its logged-in customer (the Node snippet of docs/channels.md). */
function signedIdentity(externalId: string, name: string, secret = IDENTITY_SECRET): string {
  const hash = createHmac('sha256', secret).update(externalId).digest('hex');
  return JSON.stringify({ externalId, name, hash });
}

/**
 * The shop's own site: a plain page on another port (another origin) embedding the widget.
 * `/account` is a page for a logged-in customer (the script tag carries their signed identity);
 * `/account-forged` carries a hash made with the wrong secret.
 */
function shopSite(widgetSrc: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const identity =
      request.url === '/account'
        ? ` data-identity='${signedIdentity('shop-42', '王芳')}'`
        : request.url === '/account-forged'
          ? ` data-identity='${signedIdentity('shop-42', '王芳', 'not-the-shop-secret-000')}'`
          : '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>小店</title></head>
<body><main><h1>小店的首页</h1><p>新品上架，欢迎咨询。</p></main>
<script src="${widgetSrc()}" data-locale="zh-CN"${identity}></script></body></html>`);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** The first photo of the widget's thread from `from` has loaded (a real image, not a broken one). */
function photoShown(page: Page, from: 'customer' | 'staff'): Promise<unknown> {
  return page.waitForFunction((sender) => {
    const img = document
      .getElementById('guanxi-webchat')
      ?.shadowRoot?.querySelector(`li.msg.${sender}:not(.pending) img.photo`);
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
  }, from);
}

describe.skipIf(!hasChromium)('webchat widget in Chromium', () => {
  let t: TestApp;
  let dataDir = '';
  let browser: Browser;
  let base = '';
  let shop: { server: Server; origin: string };

  beforeAll(async () => {
    shop = await shopSite(() => `${base}/widget.js`);
    dataDir = await mkdtemp(join(tmpdir(), 'guanxi-widget-'));
    t = await createTestApp({
      env: {
        SHOP_HOURS: '00:00-00:00',
        SHOP_NAME: '小店',
        WEBCHAT_ALLOWED_ORIGINS: shop.origin,
        DATA_DIR: dataDir,
        UPLOAD_MAX_MB: '1',
        WEBCHAT_IDENTITY_SECRET: IDENTITY_SECRET,
      },
      clock: new ManualClock(new Date().toISOString()),
    });
    await addStaff(t, 'mei');
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((done) => shop?.server.close(done));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('embedded on another origin: greets, queues truthfully, gets a staff reply live, survives a reload (phone)', async () => {
    const context = await browser.newContext({ viewport: viewports.phone, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(shop.origin);
    expect(await page.locator('button.launcher').getAttribute('aria-label')).toBe('打开在线客服');
    await page.click('button.launcher');

    // First contact: the greeting and menu, and nothing "said" by the visitor.
    const greeting = page.locator('li.msg.bot', { hasText: '小店' });
    await greeting.waitFor();
    expect(await greeting.locator('.buttons button').count()).toBeGreaterThan(2);
    expect(await page.locator('li.msg.customer').count()).toBe(0);
    expect(await page.locator('label.consent input[type="checkbox"]').isChecked()).toBe(false);

    // Phone layout: the panel is the screen; the send button is reachable.
    const panel = await page.locator('section.panel').boundingBox();
    expect(panel?.width).toBe(viewports.phone.width);
    expect(await coveredInWidget(page, ['#gx-photo', '#gx-send', '#gx-text'])).toEqual([]);
    expect(await page.locator('#gx-photo').getAttribute('aria-label')).toBe('发送图片');
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));

    // (The test clock stands still unless moved: each step happens a second later.)
    t.clock.advance(1000);
    // Asking for a person with nobody online: the true place in the queue, no estimated wait.
    await page.fill('#gx-text', '转人工');
    await page.click('#gx-send');
    await page.locator('li.msg.customer', { hasText: '转人工' }).waitFor();
    // The consent box belongs to the first message only.
    expect(await page.locator('label.consent').isVisible()).toBe(false);
    const queued = page.locator('li.msg.bot', { hasText: '排第 1 位' });
    await queued.waitFor();
    expect(await queued.textContent()).not.toContain('预计');
    expect(await page.locator('li.msg.customer time').first().textContent()).toMatch(/^\d{2}:\d{2}$/);

    t.clock.advance(1000);
    // Staff take it in the console and reply: it arrives live, with the agent's name.
    const conversation = await t.app.store.repos.desk.pendingQueue(10);
    const id = conversation[0]?.id ?? -1;
    const mei = await loginAs(t, 'mei');
    expect((await mei('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
    expect(
      (await mei('POST', `/api/console/conversations/${id}/reply`, { text: '您好，我是小美，请问有什么可以帮您？' }))
        .status,
    ).toBe(200);
    const live = page.locator('li.msg.staff', { hasText: '我是小美' });
    await live.waitFor();
    expect(await live.locator('.who').textContent()).toBe('MEI');

    // A photo: too large is refused in words before any upload; the photo button opens the picker;
    // the photo shows in the visitor's bubble.
    t.clock.advance(1000);
    await page.setInputFiles('#gx-file', {
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(1536 * 1024, 1),
    });
    await page.locator('div.error', { hasText: '图片太大，最大 1 MB' }).waitFor();
    const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 160, height: 120 } });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#gx-photo')]);
    await chooser.setFiles({ name: 'broken-cup.png', mimeType: 'image/png', buffer: picture });
    await photoShown(page, 'customer');
    expect(await page.locator('div.error').isVisible()).toBe(false);
    expect(await page.locator('li.msg.customer img.photo').getAttribute('src')).toMatch(/^blob:/);
    expect(await page.locator('li.msg.customer img.photo').getAttribute('alt')).toBe('我发送的图片');
    // The photo is a link to itself at full size (the same blob URL).
    expect(await page.locator('li.msg.customer a.photo-frame').getAttribute('href')).toMatch(/^blob:/);
    expect(await coveredInWidget(page, ['#gx-photo', '#gx-send', '#gx-text'])).toEqual([]);
    await snap(page, 'widget-phone-live');
    expect(await seriousViolations(page)).toEqual([]);

    // Staff see the photo in the conversation in the console.
    const desk = await browser.newContext({ viewport: viewports.desktop, locale: 'zh-CN' });
    const console = await desk.newPage();
    const consoleProblems = watch(console);
    await login(console, base, 'mei', 'mei-password');
    await console.goto(`${base}/console/queue/${id}`);
    const staffSees = console.locator('.message img.photo');
    await staffSees.waitFor();
    await console.waitForFunction(() => {
      const img = document.querySelector('.message img.photo');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    // A photo sent alone is the photo, with no empty text bubble above it.
    expect(await console.locator('.message:has(img.photo) .bubble').count()).toBe(0);
    await snap(console, 'widget-photo-in-console');
    expect(consoleProblems.list).toEqual([]);
    await desk.close();

    // Reload: a returning visitor's thread goes live with the panel still closed, so a staff reply
    // shows on the launcher; opening shows the thread, in order.
    await page.reload();
    await page.locator('div.root[data-live="true"]').waitFor({ state: 'attached' });
    t.clock.advance(1000);
    await mei('POST', `/api/console/conversations/${id}/reply`, { text: '您还在吗？' });
    const badge = page.locator('button.launcher .badge');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('1');
    expect(await page.locator('button.launcher').getAttribute('aria-label')).toContain('1 条新消息');
    await page.click('button.launcher');
    expect(await badge.isVisible()).toBe(false);
    await page.locator('li.msg.staff', { hasText: '我是小美' }).waitFor();
    const texts = await page.locator('li.msg .bubble').allTextContents();
    const order = ['小店', '转人工', '排第 1 位', '我是小美', '您还在吗'].map((part) =>
      texts.findIndex((x) => x.includes(part)),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(await page.locator('li.msg.customer').count()).toBe(2);
    // The photo is back, read again with the secret header.
    await photoShown(page, 'customer');
    expect(await page.locator('li.msg.customer img.photo').getAttribute('src')).toMatch(/^blob:/);
    // Opened, the thread shows its latest message (the one that arrived while it was closed).
    expect(
      await page.locator('ol.log').evaluate((log) => log.scrollTop + log.clientHeight >= log.scrollHeight - 2),
    ).toBe(true);
    await snap(page, 'widget-phone-reloaded');
    t.clock.advance(1000);
    await mei('POST', `/api/console/conversations/${id}/reply`, { text: '已为您查好了' });
    await page.locator('li.msg.staff', { hasText: '已为您查好了' }).waitFor();

    // The visitor's secret never travels in a URL.
    const stored = await page.evaluate((key) => localStorage.getItem(key), `guanxi:${base}`);
    const secret = stored ? String(JSON.parse(stored).secret) : '';
    expect(secret.length).toBeGreaterThan(15);
    expect(urls.filter((url) => url.includes(secret))).toEqual([]);
    expect(problems.list).toEqual([]);
    await context.close();
  }, 120_000);

  it('at the after-sale "send a photo" step, the photo sent through the widget becomes the case photo', async () => {
    const visitorId = 'web-aftersale01';
    const order = await t.admin('POST', '/api/orders', {
      orderNo: 'WB-7',
      customer: { channel: 'webchat', externalId: visitorId },
      items: [{ sku: 'CUP', name: '杯子', qty: 1, price: 3900 }],
      total: 3900,
      status: 'delivered',
    });
    expect(order.status).toBe(200);
    const context = await browser.newContext({ viewport: viewports.phone, locale: 'zh-CN' });
    // This browser is the visitor the order was placed for (their widget identity is already saved).
    await context.addInitScript(
      ([key, value]) => {
        if (!localStorage.getItem(key)) localStorage.setItem(key, value);
      },
      [`guanxi:${base}`, JSON.stringify({ visitorId, secret: 'aftersale-visitor-secret-0001' })] as const,
    );
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(shop.origin);
    await page.click('button.launcher');
    await page.locator('li.msg.bot').first().waitFor();
    const step = async (press: () => Promise<void>) => {
      t.clock.advance(1000);
      const before = await page.locator('li.msg.bot').count();
      await press();
      await page.waitForFunction(
        (count) =>
          (document.getElementById('guanxi-webchat')?.shadowRoot?.querySelectorAll('li.msg.bot').length ?? 0) > count,
        before,
      );
    };
    await step(async () => {
      await page.fill('#gx-text', '我要退货');
      await page.click('#gx-send');
    });
    // The only order is taken; the reason is asked.
    await step(() => page.locator('li.msg.bot').last().locator('.buttons button', { hasText: '质量问题' }).click());
    // The description is optional: skip it to reach the photo step.
    const last = page.locator('li.msg.bot').last();
    if (!(await last.textContent())?.includes('照片')) {
      await step(() => last.locator('.buttons button', { hasText: '跳过' }).click());
    }
    expect(await page.locator('li.msg.bot').last().textContent()).toContain('照片');
    const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 120 } });
    await step(async () => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#gx-photo')]);
      await chooser.setFiles({ name: 'damage.png', mimeType: 'image/png', buffer: picture });
    });
    await photoShown(page, 'customer');
    const filed = (await page.locator('li.msg.bot').last().textContent()) ?? '';
    const caseNo = /[A-Z]{2}\d{8}-\d{4}/.exec(filed)?.[0] ?? '';
    expect(caseNo, filed).not.toBe('');
    const photo = (await t.admin('GET', `/api/cases/${caseNo}`)).body as { photoRef: string | null };
    expect(photo.photoRef).toMatch(/^attachment:[A-Za-z0-9_-]+$/);
    await snap(page, 'widget-aftersale-photo');
    expect(problems.list).toEqual([]);
    await context.close();
  }, 60_000);

  it('a logged-in shop customer (data-identity) is one profile on two devices; a forged hash chats on anonymously', async () => {
    const visit = async (path: string, viewport: { width: number; height: number }) => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      const bodies: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/api/webchat/messages')) bodies.push(request.postData() ?? '');
      });
      const problems = watch(
        page,
        (url, status) => path === '/account-forged' && status === 401 && url.endsWith('/messages'),
      );
      await page.goto(`${shop.origin}${path}`);
      await page.click('button.launcher');
      await page.locator('li.msg.bot').first().waitFor();
      t.clock.advance(1000);
      await page.fill('#gx-text', '你好');
      await page.click('#gx-send');
      await page.locator('li.msg.customer:not(.pending)', { hasText: '你好' }).waitFor();
      const stored = await page.evaluate((key) => localStorage.getItem(key), `guanxi:${base}`);
      const saved = stored ? (JSON.parse(stored) as { visitorId: string; linked?: string }) : { visitorId: '' };
      const customer = await t.app.store.repos.customers.findIdentity('webchat', saved.visitorId);
      await context.close();
      return {
        saved,
        customerId: customer ? (await t.app.store.repos.customers.survivor(customer.customer)).id : -1,
        withIdentity: bodies.filter((body) => body.includes('"identity"')).length,
        // Chromium reports the refused request itself on the console; nothing else may go wrong.
        problems: problems.list.filter((p) => !(path === '/account-forged' && p.includes('401'))),
      };
    };
    const phone = await visit('/account', viewports.phone);
    const desktop = await visit('/account', viewports.desktop);
    const shopCustomer = await t.app.store.repos.customers.findIdentity('webchat', 'shop-42');
    expect(shopCustomer?.customer.name).toBe('王芳');
    expect(shopCustomer?.verifiedAt).not.toBeNull();
    for (const device of [phone, desktop]) {
      expect(device.customerId).toBe(shopCustomer?.customerId);
      expect(device.saved.linked).toBe('shop-42');
      // Sent with the opening only; later messages need no identity (the visitor secret guards them).
      expect(device.withIdentity).toBe(1);
      expect(device.problems).toEqual([]);
    }
    expect(phone.saved.visitorId).not.toBe(desktop.saved.visitorId);

    const forged = await visit('/account-forged', viewports.phone);
    expect(forged.customerId).not.toBe(-1);
    expect(forged.customerId).not.toBe(shopCustomer?.customerId);
    expect(forged.saved.linked).toBeUndefined();
    expect(forged.problems).toEqual([]);
  }, 60_000);

  it('`/` is the same widget full page: English chrome for an English browser, no staff-console link, axe clean', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop, locale: 'en-US' });
    const page = await context.newPage();
    // The one refusal this test provokes: a "photo" whose bytes are not an image.
    const problems = watch(page, (url, status) => status === 400 && url.endsWith('/attachments'));
    await page.goto(`${base}/`);
    await page.locator('li.msg.bot').first().waitFor();
    expect(await page.locator('#gx-send').textContent()).toBe('Send');
    // The page around it speaks English too.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.title()).toBe('小店 · Customer service');
    // And so does the greeting: a new visitor is answered in the widget's language.
    expect(await page.locator('li.msg.bot').first().textContent()).toContain('I am the assistant of 小店');
    expect(await page.locator('button.launcher').count()).toBe(0);
    expect(await page.locator('a[href*="console"]').count()).toBe(0);
    await page.fill('#gx-text', 'hello');
    await page.click('#gx-send');
    await page.locator('li.msg.customer', { hasText: 'hello' }).waitFor();
    // The server's refusal is put in words: a file that says it is a PNG but is not an image.
    const uploaded = page.waitForResponse((response) => response.url().endsWith('/attachments'));
    await page.setInputFiles('#gx-file', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
    await page.locator('div.error', { hasText: 'Send a JPG, PNG, WebP or GIF image' }).waitFor();
    expect((await uploaded).status()).toBe(400);
    // It is not a message: no bubble (and no broken image) is left behind.
    expect(await page.locator('li.msg.customer').count()).toBe(1);
    expect(await coveredInWidget(page, ['#gx-send', '#gx-text'])).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, 'widget-page-desktop');
    // Chromium reports the provoked 400 on the console itself; nothing else may go wrong.
    expect(problems.list.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('asks the pre-chat form when the shop wants it: name, phone and an unticked consent box', async () => {
    const saved = await t.admin('PUT', '/api/webchat/settings', {
      color: '#0a5c8a',
      preChat: { name: true, phone: true },
    });
    expect(saved.status).toBe(200);
    const context = await browser.newContext({ viewport: viewports.phone, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(shop.origin);
    await page.click('button.launcher');
    const form = page.locator('form.prechat');
    await form.waitFor();
    expect(await page.locator('form.composer').isVisible()).toBe(false);
    expect(await form.locator('input[type="checkbox"]').isChecked()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await form.locator('input[name="name"]').fill('林小姐');
    await form.locator('input[name="phone"]').fill('13911112222');
    await form.locator('input[type="checkbox"]').check();
    await form.locator('button[type="submit"]').click();
    await page.locator('li.msg.bot', { hasText: '林小姐' }).waitFor();
    expect(await page.locator('li.msg.customer').count()).toBe(0);
    expect(await page.locator('form.composer').isVisible()).toBe(true);

    const stored = await page.evaluate((key) => localStorage.getItem(key), `guanxi:${base}`);
    const visitorId = stored ? String(JSON.parse(stored).visitorId) : '';
    const identity = await t.app.store.repos.customers.findIdentity('webchat', visitorId);
    expect(identity?.customer).toMatchObject({ name: '林小姐', phone: '13911112222', marketingOptIn: true });
    expect(problems.list).toEqual([]);
    await context.close();
  }, 60_000);
});
