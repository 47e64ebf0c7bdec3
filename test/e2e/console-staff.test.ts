// Staff and settings, loyalty and surveys pages in Chromium as an admin, at 1280×800 and 390×844:
// an account created, edited, its password reset, deactivated and reactivated; a canned reply edited
// and deleted — each checked where it matters (a login, what an agent can use) — with the console's
// page checks (no console errors, nothing covering a control, axe 0 serious) on every state.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, login, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest, demoPassword } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('staff and settings pages', () => {
  const ui = consoleUnderTest();

  async function open(viewport: ViewportName): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    return ui.open(viewport);
  }

  const canLogin = async (username: string, pass: string) =>
    (
      await ui.t.app.http.inject({
        method: 'POST',
        url: '/api/console/login',
        payload: { username, password: pass },
      })
    ).statusCode === 200;

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`accounts are created, edited, reset, deactivated and reactivated from the page (${viewport})`, async () => {
      const username = `clerk-${viewport}`;
      const telegram = viewport === 'desktop' ? '424242' : '434343';
      const { context, page, problems } = await open(viewport);
      await login(page, ui.base, 'admin', demoPassword('admin'));
      await page.goto(`${ui.base}/console/staff`);
      await page.waitForSelector('#staff tbody tr');
      expect(await pageProblems(page, `staff-${viewport}`)).toEqual([]);

      await page.fill('#staff-username', username);
      await page.fill('#staff-name', '小李');
      await page.fill('#staff-password', 'first-password');
      await page.click('#staff-add');
      const row = page.locator(`#staff tr[data-username="${username}"]`);
      await row.waitFor();
      expect(await canLogin(username, 'first-password')).toBe(true);

      // Edited: capacity, Telegram id, WeCom userid and a new password in one dialog.
      await row.locator('.edit').click();
      await page.waitForSelector('#staff-edit');
      await page.fill('#edit-capacity', '9');
      await page.fill('#edit-telegram', telegram);
      await page.fill('#edit-wecom', `wx.${telegram}`);
      await page.fill('#edit-password', 'second-password');
      await page.click('#edit-save');
      await row.filter({ hasText: telegram }).waitFor();
      const saved = await ui.t.app.store.repos.staff.byUsername(username);
      expect(saved).toMatchObject({ capacity: 9, telegramUserId: telegram, wecomUserId: `wx.${telegram}` });
      expect(await canLogin(username, 'first-password')).toBe(false);
      expect(await canLogin(username, 'second-password')).toBe(true);

      // Deactivated: no login, shown as such, and back again.
      await row.locator('.toggle-active').click();
      await row.filter({ hasText: '已停用' }).waitFor();
      expect(await canLogin(username, 'second-password')).toBe(false);
      await page.waitForFunction(() => !document.querySelector('.toast'));
      await row.locator('.toggle-active').click();
      await row.filter({ hasText: '离线' }).waitFor();
      expect(await canLogin(username, 'second-password')).toBe(true);
      // The admin's own account cannot be deactivated from here (it would lock them out).
      expect(await page.locator('#staff tr[data-username="admin"] .toggle-active').count()).toBe(0);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);

    it(`canned replies are edited and deleted from the page (${viewport})`, async () => {
      const shortcut = `thanks_${viewport}`;
      const { context, page, problems } = await open(viewport);
      await login(page, ui.base, 'admin', demoPassword('admin'));
      await page.goto(`${ui.base}/console/staff`);
      await page.waitForSelector('#canned-form');
      await page.fill('#canned-form input >> nth=0', shortcut);
      await page.fill('#canned-form input >> nth=1', '感谢您的耐心');
      await page.click('#canned-save');
      const item = page.locator(`#canned li[data-shortcut="${shortcut}"]`);
      await item.waitFor();
      await item.locator('button', { hasText: '编辑' }).click();
      await expect.poll(() => page.inputValue('#canned-form input >> nth=1'), { timeout: 10_000 }).toBe('感谢您的耐心');
      await page.fill('#canned-form input >> nth=1', '感谢您的耐心等待');
      await page.fill('#canned-form input >> nth=2', 'Thank you for waiting');
      await page.click('#canned-save');
      await item.filter({ hasText: 'Thank you for waiting' }).waitFor();
      expect((await ui.t.app.services.staff.cannedReplies()).find((r) => r.shortcut === shortcut)).toMatchObject({
        text: '感谢您的耐心等待',
        textEn: 'Thank you for waiting',
      });
      await page.waitForFunction(() => !document.querySelector('.toast'));
      await item.locator('.canned-delete').click();
      await item.waitFor({ state: 'detached' });
      expect((await ui.t.app.services.staff.cannedReplies()).map((r) => r.shortcut)).not.toContain(shortcut);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('rewards are edited and deactivated from the loyalty page (desktop and phone)', async () => {
    for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
      const { context, page, problems } = await open(viewport);
      const name = `保温杯-${viewport}`;
      await login(page, ui.base, 'admin', demoPassword('admin'));
      await page.goto(`${ui.base}/console/loyalty`);
      await page.waitForSelector('#reward-form');
      await page.fill('#reward-name', name);
      await page.fill('#reward-cost', '500');
      await page.fill('#reward-stock', '3');
      await page.click('#reward-save');
      const row = page.locator('#rewards tbody tr', { hasText: name });
      await row.waitFor();
      expect(await pageProblems(page, `loyalty-${viewport}-rewards`)).toEqual([]);
      const id = Number(await row.getAttribute('data-id'));

      await row.locator('.edit').click();
      await expect.poll(() => page.inputValue('#reward-cost'), { timeout: 10_000 }).toBe('500');
      await page.fill('#reward-cost', '450');
      await page.fill('#reward-name-en', 'Thermos');
      await page.click('#reward-save');
      await row.filter({ hasText: '450' }).waitFor();
      expect(await ui.t.app.services.rewards.get(id)).toMatchObject({ cost: 450, nameEn: 'Thermos', stock: 3 });

      await page.waitForFunction(() => !document.querySelector('.toast'));
      await row.locator('.toggle').click();
      await row.filter({ hasText: '已下架' }).waitFor();
      expect((await ui.t.app.services.rewards.list()).map((r) => r.id)).not.toContain(id);
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 120_000);

  it('a survey question edited on the surveys page is what the customer is asked after a resolve', async () => {
    const { context, page, problems } = await open('desktop');
    await login(page, ui.base, 'admin', demoPassword('admin'));
    await page.goto(`${ui.base}/console/surveys`);
    const editor = page.locator('details.survey-editor[data-key="csat_service"]');
    await editor.locator('summary').click();
    const first = editor.locator('[data-question] input[name="text-zh"]').first();
    await first.fill('这次客服帮到您了吗？请打分');
    await editor.locator('.add-question').click();
    const added = editor.locator('[data-question]').last();
    await added.locator('input[name="text-zh"]').fill('还想对我们说点什么？');
    await added.locator('input[name="text-en"]').fill('Anything else to tell us?');
    await page.waitForFunction(() => !document.querySelector('.toast'));
    expect(await pageProblems(page, 'surveys-desktop-editor')).toEqual([]);
    await editor.locator('.save-survey').click();
    await page.locator('.toast', { hasText: '问卷已保存' }).waitFor();

    // A chat staff resolve now: the customer is asked the edited question.
    const agent = await ui.t.app.store.repos.staff.byUsername('agent');
    const desk = { staffId: agent?.id ?? null, role: 'agent' as const, name: agent?.name ?? '', source: 'web' };
    const id = (await ui.t.say('survey-edit', '人工')).conversation?.id ?? 0;
    await ui.t.app.services.desk.take(desk, id);
    await ui.t.app.services.desk.reply(desk, id, '您好');
    await ui.t.app.services.desk.resolve(desk, id);
    let texts: string[] = [];
    for (let i = 0; i < 100 && !texts.some((x) => x.includes('这次客服帮到您了吗')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await ui.t.app.jobs.surveys.runOnce(ui.t.clock.now());
      await ui.t.app.sender.drainChannel('webchat');
      texts = (await ui.t.thread('survey-edit')).messages.map((m) => m.text);
    }
    expect(texts.some((x) => x.includes('这次客服帮到您了吗？请打分'))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('an admin merges a duplicate profile from the profile page, undoes it, and undoes a merge from the audit log', async () => {
    for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
      const { context, page, problems } = await open(viewport);
      const phone = viewport === 'desktop' ? '13900001111' : '13900002222';
      const customerOf = async (visitorId: string) =>
        (await ui.t.app.store.repos.customers.findIdentity('webchat', visitorId))?.customerId ?? 0;
      // The shop's order system knows her phone (verified); she also wrote in the chat and typed it.
      await ui.t.admin('POST', '/api/orders', {
        orderNo: `M-${viewport}`,
        customer: { channel: 'webchat', externalId: `merge-a-${viewport}`, name: '周敏', phone },
        items: [{ sku: 'S', name: '围巾', qty: 1, price: 9900 }],
        total: 9900,
        status: 'paid',
      });
      await ui.t.say(`merge-b-${viewport}`, '你好', { name: '周敏' });
      const targetId = await customerOf(`merge-a-${viewport}`);
      const sourceId = await customerOf(`merge-b-${viewport}`);
      await ui.t.admin('PATCH', `/api/customers/${sourceId}`, { phone });
      const mergedInto = async () => (await ui.t.app.store.repos.customers.get(sourceId))?.mergedIntoId ?? null;

      await login(page, ui.base, 'admin', demoPassword('admin'));
      await page.goto(`${ui.base}/console/customers/${targetId}`);
      await page.waitForSelector('#profile-merge');
      await page.click('#profile-merge summary');
      const suggestion = page.locator(`#merge-suggestions .merge-pick[data-id="${sourceId}"]`);
      await suggestion.waitFor();
      expect(await pageProblems(page, `profile-${viewport}-merge`)).toEqual([]);
      await suggestion.click();
      await page.click('#merge-confirm');
      await page.waitForSelector('#merge-done');
      expect(await mergedInto()).toBe(targetId);
      await page.waitForFunction(() => !document.querySelector('.toast'));
      await page.click('#merge-undo');
      await page.waitForSelector('#merge-done', { state: 'detached' });
      expect(await mergedInto()).toBeNull();

      // Found by phone this time, merged, then undone from the audit log entry.
      await page.fill('#merge-search', phone);
      await page.locator(`#merge-results .merge-pick[data-id="${sourceId}"]`).click();
      await page.click('#merge-confirm');
      await page.waitForSelector('#merge-done');
      expect(await mergedInto()).toBe(targetId);
      await page.goto(`${ui.base}/console/audit`);
      const entry = page.locator('#audit li[data-action="customer.merge"]').first();
      await entry.locator('.undo-merge').click();
      await entry.filter({ hasText: '已撤销' }).waitFor();
      expect(await mergedInto()).toBeNull();
      const undos = await ui.t.app.store.repos.audit.recent(20, 'customer.merge_undo');
      expect(undos.filter((e) => e.entityId === String(targetId))).toHaveLength(2);
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 180_000);

  it('the webchat widget settings are changed from the staff page and apply at once', async () => {
    const { context, page, problems } = await open('desktop');
    await login(page, ui.base, 'admin', demoPassword('admin'));
    await page.goto(`${ui.base}/console/staff`);
    await page.waitForSelector('#widget-form');
    expect(await page.locator('#shop-facts').innerText()).toContain('Asia/Shanghai');
    await page.fill('#widget-title', '小店客服');
    await page.check('#widget-ask-phone');
    await page.click('#widget-save');
    await page.locator('.toast', { hasText: '网页聊天设置已保存' }).waitFor();
    const widget = await ui.t.app.http.inject({ method: 'GET', url: '/api/webchat/settings' });
    expect(widget.json()).toMatchObject({ title: '小店客服', preChat: { name: false, phone: true } });
    await page.fill('#widget-logo', 'javascript:alert(1)');
    await page.click('#widget-save');
    await page.locator('.toast.error', { hasText: 'logoUrl' }).waitFor();
    expect((await ui.t.app.http.inject({ method: 'GET', url: '/api/webchat/settings' })).json().logoUrl).toBeNull();
    await page.waitForFunction(() => !document.querySelector('.toast'));
    expect(await pageProblems(page, 'staff-desktop-settings')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
