// The queue in Chromium as an admin, at desktop and phone size: search by #number and by name, the
// status and label filters, the resolved history, a resolved conversation whose closing notice is
// held by quiet hours ("免打扰时段，08:00 发送"), and reopening it from the page. Each state is checked
// for console errors, covered controls, raw values and serious accessibility violations. Then the
// opt-in alerts: a desktop notification and a chime for a new waiting chat, only once switched on.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/kernel/clock.ts';
import { hasChromium, login, pageProblems, type ViewportName, viewports, watch } from '../helpers/browser.ts';
import { consoleUnderTest, demoPassword } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('the queue: search, filters, history, reopen', () => {
  const ids = { vip: 0, plain: 0, resolved: { desktop: 0, phone: 0 } };

  // PRE/POST
  // 23:00 in Shanghai: quiet hours (22:00–08:00) hold proactive messages such as the closing notice.
  const ui = consoleUnderTest(
    {
      env: { SHOP_HOURS: '00:00-00:00', AUTO_ASSIGN: 'false', QUIET_HOURS: '22:00-08:00', JOBS_ENABLED: 'false' },
      clock: new ManualClock('2026-03-02T15:00:00Z'),
    },
    async (t) => {
      const escalate = async (visitor: string, name: string) =>
        (await t.say(visitor, '转人工', { name })).conversation?.id ?? 0;
      ids.vip = await escalate('q-vip', '欧阳娜娜');
      ids.plain = await escalate('q-plain', '张伟');
      const vip = await t.app.store.repos.customers.findIdentity('webchat', 'q-vip');
      await t.app.services.customers.addTag(vip?.customerId ?? 0, '老客户', { type: 'admin' });
      const admin = await t.app.store.repos.staff.byUsername('admin');
      const desk = { staffId: admin?.id ?? null, role: 'admin' as const, name: admin?.name ?? '', source: 'web' };
      for (const viewport of ['desktop', 'phone'] as const) {
        const id = await escalate(`q-done-${viewport}`, `已解决 ${viewport}`);
        await t.app.services.desk.take(desk, id);
        await t.app.services.desk.reply(desk, id, '已为您处理好');
        await t.app.services.desk.resolve(desk, id);
        ids.resolved[viewport] = id;
      }
    },
  );

  const rows = (page: Page) => page.locator('#queue li[data-id]');
  const shownIds = async (page: Page) =>
    (await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).map(Number);

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`searches, filters, lists the history and reopens from it (${viewport})`, async () => {
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/queue`);
      await page.waitForSelector(`#queue li[data-id="${ids.vip}"]`);
      expect(await shownIds(page)).toEqual(expect.arrayContaining([ids.vip, ids.plain]));
      expect(await pageProblems(page, `queue-${viewport}-live`)).toEqual([]);

      // By number, then by name.
      await page.fill('#queue-search', `#${ids.plain}`);
      await expect.poll(() => shownIds(page), { timeout: 15_000 }).toEqual([ids.plain]);
      await page.fill('#queue-search', '欧阳');
      await expect.poll(() => shownIds(page), { timeout: 15_000 }).toEqual([ids.vip]);
      await page.fill('#queue-search', '');
      // By label, and by status (both wait: 待处理; neither is open).
      await page.fill('#filter-tag', '老客户');
      await page.press('#filter-tag', 'Enter');
      await expect.poll(() => shownIds(page), { timeout: 15_000 }).toEqual([ids.vip]);
      await page.fill('#filter-tag', '');
      await page.press('#filter-tag', 'Enter');
      await page.selectOption('#filter-status', 'open');
      await expect
        .poll(async () => (await shownIds(page)).filter((id) => id === ids.vip || id === ids.plain), {
          timeout: 15_000,
        })
        .toEqual([]);
      expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).not.toContain(
        'pending',
      );
      await page.selectOption('#filter-status', 'pending');
      await expect.poll(async () => (await shownIds(page)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#queue').innerText()).not.toMatch(/\bpending\b|\bwebchat\b/);
      expect(await pageProblems(page, `queue-${viewport}-filtered`)).toEqual([]);

      // The history: the resolved conversation, its closing notice held by quiet hours, reopened.
      const resolved = ids.resolved[viewport];
      await page.click('#view-resolved');
      await page.locator(`#queue li[data-id="${resolved}"]`).waitFor();
      await page.locator(`#queue li[data-id="${resolved}"] a`).click();
      await page.waitForSelector('#conversation-status[data-status="resolved"]');
      await page.locator('.delivery', { hasText: '免打扰时段，08:00 发送' }).first().waitFor();
      expect(await pageProblems(page, `queue-${viewport}-resolved`)).toEqual([]);
      await page.click('#reopen');
      await page.waitForSelector('#conversation-status[data-status="open"]');
      const reopened = await ui.t.app.store.repos.conversations.get(resolved);
      expect(reopened?.status).toBe('open');
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('alerts a new waiting chat with a desktop notification and a chime only once switched on', async () => {
    const context = await ui.browser.newContext({ viewport: viewports.desktop });
    // The browser's own notification and audio APIs are recorded (the console code runs unchanged);
    // the tab counts as in the background, where notifications are shown.
    await context.addInitScript(() => {
      const record = { alerts: [] as string[], chimes: 0 };
      Object.defineProperty(window, 'recordedAlerts', { value: record });
      class RecordedNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        constructor(title: string, options?: { body?: string }) {
          record.alerts.push(`${title}|${options?.body ?? ''}`);
        }
      }
      class RecordedOscillator {
        frequency = { value: 0 };
        connect() {
          return { connect: () => undefined };
        }
        start() {
          record.chimes++;
        }
        stop() {}
      }
      class RecordedAudio {
        currentTime = 0;
        destination = {};
        createOscillator() {
          return new RecordedOscillator();
        }
        createGain() {
          return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: () => ({}) };
        }
      }
      Object.defineProperty(window, 'Notification', { value: RecordedNotification });
      Object.defineProperty(window, 'AudioContext', { value: RecordedAudio });
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    });
    const page = await context.newPage();
    const problems = watch(page).list;
    await login(page, ui.base, 'admin', demoPassword('admin'));
    await page.goto(`${ui.base}/console/queue`);
    await page.waitForSelector(`#queue li[data-id="${ids.vip}"]`);
    const Recorded = z.object({ alerts: z.array(z.string()), chimes: z.number() });
    const recorded = async () =>
      Recorded.parse(JSON.parse(await page.evaluate(() => JSON.stringify(Reflect.get(window, 'recordedAlerts')))));
    // Off by default: a new chat arrives in the list, silently.
    const first = (await ui.t.say('q-alert-1', '转人工', { name: '提醒一' })).conversation?.id ?? 0;
    await page.waitForSelector(`#queue li[data-id="${first}"]`);
    expect(await recorded()).toEqual({ alerts: [], chimes: 0 });
    // Switched on (kept in this browser): the next one chimes and shows a notification naming it.
    if (!(await page.isVisible('#alerts'))) await page.click('.menu-toggle');
    await page.check('#alerts');
    const second = (await ui.t.say('q-alert-2', '转人工', { name: '提醒二' })).conversation?.id ?? 0;
    await page.waitForSelector(`#queue li[data-id="${second}"]`);
    await expect
      .poll(async () => (await recorded()).alerts, { timeout: 15_000 })
      .toContain(`新的待处理会话|会话 #${second}`);
    expect((await recorded()).chimes).toBeGreaterThan(0);
    expect(await page.evaluate(() => localStorage.getItem('guanxi.console.alerts'))).toBe('on');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
