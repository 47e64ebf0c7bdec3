// Typing indicators in real Chromium (issue 16): the bot's while it answers, and staff typing: the agent types in the console's reply box of a
// conversation they hold; the visitor's widget (another page) shows "客服MEI正在输入…", hides it when
// the agent leaves the box or goes quiet for a few seconds, and replaces it with the reply once sent.
// Desktop and phone, no console errors on either page, nothing covering the widget's composer.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  coveredInWidget,
  hasChromium,
  launchChromium,
  login,
  snap,
  type ViewportName,
  viewports,
  watch,
} from '../helpers/browser.ts';
import { addStaff, loginAs } from '../helpers/staff.ts';

describe.skipIf(!hasChromium)('staff typing indicator in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    t = await createTestApp({
      env: { SHOP_HOURS: '00:00-00:00', SHOP_NAME: '小店' },
      clock: new ManualClock(new Date().toISOString()),
    });
    await addStaff(t, 'mei');
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const size of ['desktop', 'phone'] satisfies ViewportName[]) {
    it(`the agent typing shows in the visitor's widget with their name, and their reply replaces it (${size})`, async () => {
      const viewport = viewports[size];
      // The visitor: the full-page widget, asking for a person.
      const visitorContext = await browser.newContext({ viewport, locale: 'zh-CN' });
      const visitor = await visitorContext.newPage();
      const visitorProblems = watch(visitor);
      await visitor.goto(`${base}/`);
      await visitor.locator('li.msg.bot').first().waitFor();
      t.clock.advance(1000);
      // While the bot answers, its own typing line shows (the answer is held back until it is seen).
      let release: () => void = () => {};
      const held = new Promise<void>((done) => {
        release = done;
      });
      await visitor.route(
        '**/api/webchat/messages',
        async (route) => {
          await held;
          await route.continue();
        },
        { times: 1 },
      );
      await visitor.fill('#gx-text', `转人工 ${size}`);
      await visitor.click('#gx-send');
      const botTyping = visitor.locator('li.msg.bot.typing');
      await botTyping.waitFor();
      expect(await botTyping.textContent()).toBe('正在输入…');
      release();
      await visitor.locator('li.msg.bot', { hasText: '排第' }).waitFor();
      expect(await botTyping.count()).toBe(0);
      await visitor.locator('div.root[data-live="true"]').waitFor({ state: 'attached' });
      const stored = await visitor.evaluate((key) => localStorage.getItem(key), `guanxi:${base}`);
      const visitorId = stored ? String(JSON.parse(stored).visitorId) : '';
      const chat = await t.app.store.repos.chats.find('webchat', visitorId);
      const queued = (await t.app.store.repos.desk.pendingQueue(10)).find((c) => c.chatId === chat?.id);
      const id = queued?.id ?? -1;
      expect(id).toBeGreaterThan(0);

      // The agent takes it and opens it in the console.
      const mei = await loginAs(t, 'mei');
      expect((await mei('POST', `/api/console/conversations/${id}/take`)).status).toBe(200);
      const deskContext = await browser.newContext({ viewport, locale: 'zh-CN' });
      const desk = await deskContext.newPage();
      const deskProblems = watch(desk);
      await login(desk, base, 'mei', 'mei-password');
      await desk.goto(`${base}/console/queue/${id}`);
      await desk.locator('#conversation-status[data-status="open"]').waitFor();

      // Typing: the visitor sees who is typing, below the thread, not over the composer.
      const indicator = visitor.locator('li.staff-typing');
      await desk.locator('#reply-text').pressSequentially('您好，我是', { delay: 40 });
      await indicator.waitFor({ timeout: 15_000 });
      expect(await indicator.textContent()).toBe('客服MEI正在输入…');
      expect(await indicator.count()).toBe(1);
      expect(await coveredInWidget(visitor, ['#gx-send', '#gx-text'])).toEqual([]);
      await snap(visitor, `staff-typing-${size}`);

      // Leaving the box stops it at once; typing again brings it back.
      await desk.locator('h2').first().click();
      await indicator.waitFor({ state: 'detached', timeout: 15_000 });
      await desk.locator('#reply-text').pressSequentially('小美', { delay: 40 });
      await indicator.waitFor({ timeout: 15_000 });

      // Sending: the reply takes the indicator's place.
      t.clock.advance(1000);
      await desk.click('#reply-send');
      const reply = visitor.locator('li.msg.staff:not(.staff-typing)', { hasText: '您好，我是小美' });
      await reply.waitFor({ timeout: 15_000 });
      expect(await reply.locator('.who').textContent()).toBe('MEI');
      expect(await indicator.count()).toBe(0);
      await snap(visitor, `staff-typing-replied-${size}`);

      // Going quiet without leaving the box: the line goes after a few seconds without a signal.
      await desk.locator('#reply-text').pressSequentially('稍等', { delay: 40 });
      await indicator.waitFor({ timeout: 15_000 });
      await indicator.waitFor({ state: 'detached', timeout: 20_000 });
      expect(await desk.locator('#reply-text').evaluate((box) => box === document.activeElement)).toBe(true);

      expect(visitorProblems.list).toEqual([]);
      expect(deskProblems.list).toEqual([]);
      await deskContext.close();
      await visitorContext.close();
    }, 120_000);
  }
});
