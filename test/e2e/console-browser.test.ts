// End to end in real Chromium: a customer escalates through the webchat API, an agent logs in to
// the console, sees the chat arrive live (SSE, no reload), takes it, replies (the customer gets it
// through the webchat API) and resolves it; then the metrics page renders.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { addStaff } from '../helpers/staff.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`\n⚠ ${CHROMIUM} not found: the console browser test is SKIPPED.\n`);

describe.skipIf(!hasChromium)('staff console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await addStaff(t, 'agent1');
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const customerMessages = async (visitorId: string) => {
    const res = await fetch(`${base}/api/webchat/${visitorId}/messages`);
    const body: { messages: Array<{ text: string; from: string }> } = await res.json();
    return body.messages;
  };

  it('escalate → live in queue → take → reply reaches the customer → resolve', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/console.html`);
    await page.fill('#login-username', 'agent1');
    await page.fill('#login-password', 'agent1-password');
    await page.click('#login-submit');
    await page.waitForSelector('#queue li.muted');
    // The live stream is connected (the console marks it) before the customer writes.
    await page.waitForSelector('body[data-live="true"]');
    expect(await page.locator('#queue li[data-status]').count()).toBe(0);

    const escalated = await fetch(`${base}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: 'e2e-visitor', text: '转人工', messageId: 'e2e-1' }),
    });
    const chat: { conversation: { id: number; status: string } } = await escalated.json();
    expect(chat.conversation.status).toBe('pending');

    const item = page.locator(`#queue li[data-id="${chat.conversation.id}"]`);
    await item.waitFor();
    await item.click();
    await page.click('#take');
    await page.locator('#conversation-status', { hasText: 'open' }).waitFor();

    await page.fill('#reply-text', '您好，我是小王，马上帮您查');
    await page.click('#reply-send');
    await page.locator('#messages li.staff_reply', { hasText: '马上帮您查' }).waitFor();

    let received: string[] = [];
    for (let attempt = 0; attempt < 50 && !received.includes('您好，我是小王，马上帮您查'); attempt++) {
      await t.app.sender.drainChannel('webchat');
      received = (await customerMessages('e2e-visitor')).filter((m) => m.from === 'staff').map((m) => m.text);
    }
    expect(received).toContain('您好，我是小王，马上帮您查');

    await page.click('#resolve');
    await page.locator('#conversation-status', { hasText: 'resolved' }).waitFor();
    expect((await t.app.store.repos.conversations.get(chat.conversation.id))?.status).toBe('resolved');

    // The metrics page draws its charts from the same data.
    await page.click('nav a[href="#metrics"]');
    await page.locator('#agents td', { hasText: 'AGENT1' }).waitFor();
    await page.waitForFunction(() => document.querySelector('#chart-times')?.getAttribute('style') !== null);
    expect(pageErrors).toEqual([]);
  }, 120_000); // a real browser on a busy 2-core machine: generous, not a timing assertion
});
