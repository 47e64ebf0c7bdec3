// The WeCom page in Chromium as an admin, against the fake WeCom: a 渠道活码 created from the form
// (and in WeCom), a contact who scans it counted in the per-source report, tags pushed to WeCom, and
// the notice that WeCom has no silent bulk send. Desktop and phone; the console's page checks on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/clock.ts';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';
import { type FakeContactWecom, startFakeContactWecom } from '../helpers/fake-wecom-contacts.ts';

describe.skipIf(!hasChromium)('the WeCom page', () => {
  let fake: FakeContactWecom;
  // The fake's clock follows real time: the browser's requests and WeCom tokens share it.
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(new Date().toISOString());
    fake = await startFakeContactWecom(clock);
  });
  // Registered first, so it runs last: the app is closed before its WeCom goes away.
  afterAll(async () => {
    await fake?.close();
  });
  const ui = consoleUnderTest(() => ({ clock, env: fake.env }));

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`creates a contact-way code, reports its contacts and pushes tags (${viewport})`, async () => {
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/wecom`);
      await page.waitForSelector('#contact-way-form');
      expect(await page.textContent('#wecom-group-send-note')).toContain('不允许静默群发');
      expect(await pageProblems(page, `wecom-${viewport}-empty`)).toEqual([]);

      const name = viewport === 'desktop' ? '地铁海报' : '直播间活码';
      await page.fill('#way-name', name);
      await page.selectOption('#way-source', viewport === 'desktop' ? 'poster' : 'livestream');
      await page.fill('#way-staff', 'zhangsan, lisi');
      await page.click('#way-create');
      const row = page.locator('#contact-ways tr', { hasText: name });
      await row.waitFor();
      const state = (await row.getAttribute('data-state')) ?? '';
      expect(fake.contactWays).toContainEqual(expect.objectContaining({ state, user: ['zhangsan', 'lisi'] }));

      // A customer scans the code: the report counts the contact for the source.
      const sealed = fake.added(`wm-${viewport}`, 'zhangsan', { state, welcome: false });
      const callback = await ui.t.app.http.inject({
        method: 'POST',
        url: '/wecom/callback',
        query: { ...sealed.query },
        headers: { 'content-type': 'text/xml' },
        payload: sealed.body,
      });
      expect(callback.statusCode).toBe(200);
      await page.reload();
      const source = viewport === 'desktop' ? 'poster' : 'livestream';
      await page.locator(`#source-report tr[data-source="${source}"] td:nth-child(2)`, { hasText: '1' }).waitFor();
      expect(await pageProblems(page, `wecom-${viewport}-report`)).toEqual([]);

      const customer = await ui.t.app.store.repos.customers.findIdentity('wecom', `wm-${viewport}`);
      const tag = viewport === 'desktop' ? '爱喝茶' : '爱喝咖啡';
      await ui.t.admin('POST', `/api/customers/${customer?.customerId}/tags`, { tag });
      await page.fill('#push-tags', tag);
      await page.click('#push-submit');
      await page.getByText('已为 1 位客户打标签').first().waitFor();
      expect(fake.marks).toContainEqual(
        expect.objectContaining({ userid: 'zhangsan', externalUserId: `wm-${viewport}` }),
      );
      expect(problems).toEqual([]);
      await context.close();
    }, 90_000);
  }
});
