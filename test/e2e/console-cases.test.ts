// Cases (工单) in Chromium as an admin (agents reach a case through a customer in their scope), at desktop and phone size: find the customer's return request,
// take it through approve → return address → received → refunded → closed by clicking, and see each
// step reach the customer's chat. A rejection needs a reason for the customer; without one nothing
// changes. Every state of the page passes the console's checks (nothing covered, axe, no raw values).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, pageProblems, type ViewportName, viewports } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('cases in the console', () => {
  const ui = consoleUnderTest({ env: { AUTO_ASSIGN: 'false' } });

  /** A customer of the webchat with a delivered order and an open case of `type` on it. */
  async function customerWithCase(visitorId: string, type: 'return' | 'refund'): Promise<string> {
    await ui.t.say(visitorId, '你好', { name: `客户 ${visitorId}` });
    const orderNo = `O-${visitorId}`.replace(/[^A-Za-z0-9_-]/g, '');
    await ui.t.admin('POST', '/api/orders', {
      orderNo,
      customer: { channel: 'webchat', externalId: visitorId },
      items: [{ sku: 'TEE-1', name: '纯棉T恤', qty: 1, price: 7900 }],
      total: 7900,
      status: 'delivered',
    });
    const order = (await ui.t.admin('GET', `/api/orders/${orderNo}`)).body as { id: number; customerId: number };
    const opened = await ui.t.app.services.cases.open({
      type,
      customerId: order.customerId,
      orderId: order.id,
      reason: '尺码不合适',
      dedupeKey: `e2e:${visitorId}`,
    });
    return opened.case.caseNo;
  }

  /** What the customer sees in their webchat thread. */
  async function customerSees(visitorId: string): Promise<string> {
    await ui.t.app.sender.drainChannel('webchat');
    return (await ui.t.thread(visitorId)).messages.map((m) => m.text).join('\n');
  }

  async function step(page: Page, id: string, stage: string) {
    await page.click(`#case-${id}`);
    const reached = page.waitForSelector(`#case-status-now[data-stage="${stage}"]`).then(() => '');
    const failed = page.waitForSelector('.toast.error').then((toast) => toast.innerText());
    expect(await Promise.race([reached, failed]), `step ${id}`).toBe('');
  }

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`an admin takes a return from request to refund at ${viewports[viewport].width}×${viewports[viewport].height}`, async () => {
      const visitor = `case-return-${viewport}`;
      const caseNo = await customerWithCase(visitor, 'return');
      const { context, page, problems } = await ui.open(viewport, 'admin');
      expect(await page.locator('#nav ul a').allTextContents()).toContain('工单');

      await page.goto(`${ui.base}/console/cases`);
      await page.selectOption('#case-status', 'open');
      await page.waitForSelector(`#cases li[data-case="${caseNo}"]`);
      expect(await page.locator(`#cases li[data-case="${caseNo}"]`).innerText()).toContain('退货');
      expect(await pageProblems(page, `cases-${viewport}-list`)).toEqual([]);

      await page.click(`#cases li[data-case="${caseNo}"] a`);
      await page.waitForSelector('#case-status-now[data-status="open"]');
      expect(await pageProblems(page, `cases-${viewport}-open`)).toEqual([]);

      await step(page, 'approve', 'approved');
      expect(await customerSees(visitor)).toContain('已通过审核');

      // The address is required for its step; then the customer receives it.
      await page.fill('#case-return-address', '上海市浦东新区测试路1号 收件人 售后部');
      await step(page, 'address', 'return_address_sent');
      expect(await customerSees(visitor)).toContain('上海市浦东新区测试路1号');
      expect(await pageProblems(page, `cases-${viewport}-address-sent`)).toEqual([]);

      await step(page, 'received', 'received');
      await step(page, 'refund', 'refunded');
      await page.waitForSelector('#case-status-now[data-status="resolved"]');
      expect(await customerSees(visitor)).toContain('已退款');

      await page.fill('#case-note', '已核对退货包裹');
      await page.click('#case-note-add');
      await page.locator('#case-notes li', { hasText: '已核对退货包裹' }).waitFor();
      await page.click('#case-close');
      await page.waitForSelector('#case-status-now[data-status="closed"]');
      expect(await pageProblems(page, `cases-${viewport}-closed`)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('a rejection needs a reason for the customer; without one nothing changes', async () => {
    const visitor = 'case-reject';
    const caseNo = await customerWithCase(visitor, 'refund');
    const { context, page, problems } = await ui.open('desktop', 'admin');
    await page.goto(`${ui.base}/console/cases/${caseNo}`);
    await page.waitForSelector('#case-status-now[data-status="open"]');

    await page.click('#case-reject');
    const refusal = page.locator('.toast', { hasText: '请填写给客户的原因' });
    await refusal.waitFor();
    // The person closes the notice before trying again (so the next step sees only new notices).
    await refusal.locator('button').click();
    await refusal.waitFor({ state: 'detached' });
    expect(await page.locator('#case-status-now').getAttribute('data-stage')).toBe('');
    expect((await ui.t.admin('GET', `/api/cases/${caseNo}`)).body).toMatchObject({ stage: null, status: 'open' });

    await page.fill('#case-message', '订单已超过退款期限');
    await step(page, 'reject', 'rejected');
    const seen = await customerSees(visitor);
    expect(seen).toContain('未通过审核');
    expect(seen).toContain('订单已超过退款期限');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
