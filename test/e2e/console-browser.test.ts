// End to end in real Chromium: a customer escalates through the webchat API, an agent logs in to
// the console, sees the chat arrive live (no reload), takes it, replies with a canned reply picked
// with "/" and edited (the customer gets it through the webchat API) and resolves it; then the
// metrics page renders.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createTestApp, type TestApp, visitorHeaders } from '../helpers/app.ts';
import { hasChromium, launchChromium, login, watch } from '../helpers/browser.ts';
import { addStaff } from '../helpers/staff.ts';

describe.skipIf(!hasChromium)('staff console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { SHOP_HOURS: '00:00-00:00' }, clock: new ManualClock(new Date().toISOString()) });
    await addStaff(t, 'agent1');
    await t.app.services.staff.upsertCanned(
      'sorry',
      { text: '非常抱歉给您带来不便', textEn: 'So sorry' },
      { type: 'system' },
    );
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const customerMessages = async (visitorId: string) => {
    const res = await fetch(`${base}/api/webchat/${visitorId}/messages`, { headers: visitorHeaders(visitorId) });
    const body: { messages: Array<{ text: string; from: string }> } = await res.json();
    return body.messages;
  };

  it('escalate → live in queue → take → reply reaches the customer → resolve', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);
    await login(page, base, 'agent1', 'agent1-password');
    await page.waitForSelector('#queue li.empty');
    expect(await page.locator('#queue li[data-status]').count()).toBe(0);

    const escalated = await fetch(`${base}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...visitorHeaders('e2e-visitor') },
      body: JSON.stringify({ visitorId: 'e2e-visitor', text: '转人工', messageId: 'e2e-1' }),
    });
    const chat: { conversation: { id: number; status: string } } = await escalated.json();
    expect(chat.conversation.status).toBe('pending');

    const item = page.locator(`#queue li[data-id="${chat.conversation.id}"]`);
    await item.waitFor();
    await item.locator('a').click();
    await page.click('#take');
    await page.locator('#conversation-status[data-status="open"]').waitFor();

    // "/" offers the canned replies; the chosen one lands in the box for editing before it is sent.
    await page.fill('#reply-text', '/so');
    await page.locator('#canned-sorry').waitFor();
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#reply-text')).toBe('非常抱歉给您带来不便');
    await page.fill('#reply-text', '非常抱歉给您带来不便，我是小王，马上帮您查');
    await page.click('#reply-send');
    await page.locator('#messages li.staff', { hasText: '马上帮您查' }).waitFor();

    let received: string[] = [];
    for (let attempt = 0; attempt < 50 && !received.includes('非常抱歉给您带来不便，我是小王，马上帮您查'); attempt++) {
      await t.app.sender.drainChannel('webchat');
      received = (await customerMessages('e2e-visitor')).filter((m) => m.from === 'staff').map((m) => m.text);
    }
    expect(received).toContain('非常抱歉给您带来不便，我是小王，马上帮您查');
    // The reply's delivery state follows it in the view.
    await page.locator('#messages li.staff [data-delivery="sent"]').waitFor();

    await page.click('#resolve');
    await page.locator('#conversation-status[data-status="resolved"]').waitFor();
    expect((await t.app.store.repos.conversations.get(chat.conversation.id))?.status).toBe('resolved');

    // The metrics page draws its charts from the same data.
    await page.click('nav a[href="/console/metrics"]');
    await page.locator('#agents td', { hasText: 'AGENT1' }).waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#chart-times')?.width);
    expect(problems.list).toEqual([]);
  }, 120_000); // a real browser on a busy 2-core machine: generous, not a timing assertion
});
