// End to end in real Chromium, desktop and phone: an agent attaches a photo to a reply in the
// console (a wrong file is refused in words before any upload; the chosen photo is previewed), sends
// it with a caption, sees it in the thread, and the customer's webchat history shows it and serves
// its bytes to that visitor.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp, visitorHeaders } from '../helpers/app.ts';
import { hasChromium, launchChromium, login, pageProblems, viewports, watch } from '../helpers/browser.ts';
import { PNG } from '../helpers/files.ts';
import { addStaff } from '../helpers/staff.ts';

describe.skipIf(!hasChromium)('console: staff send a photo', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { SHOP_HOURS: '00:00-00:00' }, clock: new ManualClock(new Date().toISOString()) });
    await addStaff(t, 'photoagent');
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  interface VisitorMessage {
    from: string;
    text: string;
    attachments?: Array<{ id: string; mime: string }>;
  }
  const visitorThread = async (visitorId: string): Promise<VisitorMessage[]> => {
    const res = await fetch(`${base}/api/webchat/${visitorId}/messages`, { headers: visitorHeaders(visitorId) });
    return (await res.json()).messages;
  };

  for (const name of ['desktop', 'phone'] as const) {
    it(`${name}: attach a photo, preview it, send it with text; the widget's history shows it`, async () => {
      const visitorId = `photo-visitor-${name}`;
      const context = await browser.newContext({ viewport: viewports[name] });
      const page = await context.newPage();
      const problems = watch(page);
      await login(page, base, 'photoagent', 'photoagent-password');
      const escalated = await fetch(`${base}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...visitorHeaders(visitorId) },
        body: JSON.stringify({ visitorId, text: '转人工', messageId: `${visitorId}-1` }),
      });
      const { conversation } = (await escalated.json()) as { conversation: { id: number } };
      await page.goto(`${base}/console/queue/${conversation.id}`);
      await page.click('#take');
      await page.locator('#conversation-status[data-status="open"]').waitFor({ timeout: 30_000 });

      // The button is labelled; a file that is not a photo is refused in words, nothing uploaded.
      const button = page.locator('#reply-photo');
      expect((await button.innerText()).trim()).toContain('添加图片');
      const uploads: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/attachments') && request.method() === 'POST') uploads.push(request.url());
      });
      await page.setInputFiles('#reply-photo-input', {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('not a photo'),
      });
      await page.locator('.toast', { hasText: '只能发送 JPEG、PNG、WebP 或 GIF 图片' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('#reply-photo-preview').count()).toBe(0);
      expect(uploads).toEqual([]);

      // A photo: previewed before sending, then sent with its caption.
      await page.setInputFiles('#reply-photo-input', { name: 'shoe.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('#reply-photo-preview img').waitFor({ timeout: 30_000 });
      await page.fill('#reply-text', '这是鞋子的实拍图');
      expect(await pageProblems(page, `console-photo-preview-${name}`)).toEqual([]);
      await page.click('#reply-send');
      const sent = page.locator('#messages li.staff', { hasText: '这是鞋子的实拍图' });
      await sent.waitFor({ timeout: 30_000 });
      await sent.locator('.attachments img.photo').waitFor({ timeout: 30_000 });
      expect(await page.locator('#reply-photo-preview').count()).toBe(0);
      expect(uploads).toHaveLength(1);

      // The customer's widget history (after a reload) has the photo with the text, and its bytes.
      let photo: VisitorMessage | undefined;
      for (let attempt = 0; attempt < 50 && !photo; attempt++) {
        await t.app.sender.drainChannel('webchat');
        photo = (await visitorThread(visitorId)).find((m) => m.from === 'staff' && m.attachments?.length);
      }
      expect(photo?.text).toBe('这是鞋子的实拍图');
      const file = await fetch(`${base}/api/webchat/${visitorId}/attachments/${photo?.attachments?.[0]?.id}`, {
        headers: visitorHeaders(visitorId),
      });
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
      expect(await pageProblems(page, `console-photo-sent-${name}`)).toEqual([]);
      expect(problems.list).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
