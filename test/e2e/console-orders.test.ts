// The orders page in Chromium as an admin (issue 17): a demo order found by number and by customer
// name, shipped with a tracking number (the row says 已发货 and the customer's chat got the notice),
// and a manual order created from the form. Desktop and phone; the console's page checks on every state.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('the orders page', () => {
  const ui = consoleUnderTest();
  // One demo order per viewport, each not yet shipped, so shipping it notifies its customer.
  const cases: Record<ViewportName, { orderNo: string; customer: string; visitor: string; manual: string }> = {
    desktop: { orderNo: 'DEMO-1004', customer: '王芳', visitor: 'demo-wangfang', manual: 'MANUAL-DESKTOP-1' },
    phone: { orderNo: 'DEMO-1005', customer: 'Alex Chen', visitor: 'demo-alex', manual: 'MANUAL-PHONE-1' },
  };

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`orders are found, shipped with a notice to the customer, and entered by hand (${viewport})`, async () => {
      if ((await ui.t.app.store.repos.orders.byNo('DEMO-1001')) === null) await seedDemo(ui.t.app.services, ui.t.clock);
      const { orderNo, customer, visitor, manual } = cases[viewport];
      // The customer has a webchat thread, where order notices arrive.
      await ui.t.say(visitor, '你好');
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/orders`);
      await page.waitForSelector('#orders tr[data-order="DEMO-1001"]');
      expect(await pageProblems(page, `orders-${viewport}-list`)).toEqual([]);

      // Found by number, then by customer name.
      await page.fill('#order-search', orderNo);
      await page.locator('#orders tbody tr').first().waitFor();
      await expect.poll(() => page.locator('#orders tbody tr').count(), { timeout: 20_000 }).toBe(1);
      expect(await page.locator(`#orders tr[data-order="${orderNo}"]`).count()).toBe(1);
      await page.fill('#order-search', customer);
      await expect
        .poll(async () => (await page.locator('#orders tbody tr').allInnerTexts()).every((r) => r.includes(customer)), {
          timeout: 20_000,
        })
        .toBe(true);
      await page.locator(`#orders tr[data-order="${orderNo}"]`).waitFor();

      // Shipped with a tracking number: the row says so, and the customer's chat has the notice.
      await page.click(`#orders tr[data-order="${orderNo}"] .edit-order`);
      await page.waitForSelector('#order-edit-status');
      expect(await page.locator('#order-edit-notice').innerText()).toContain('通知');
      expect(await pageProblems(page, `orders-${viewport}-edit`)).toEqual([]);
      await page.selectOption('#order-edit-status', 'shipped');
      await page.fill('#order-edit-carrier', '顺丰');
      await page.fill('#order-edit-tracking', `SF-${viewport.toUpperCase()}-42`);
      await page.click('#order-edit-save');
      await page.locator(`#orders tr[data-order="${orderNo}"]`, { hasText: '已发货' }).waitFor({ timeout: 20_000 });
      expect(await page.locator(`#orders tr[data-order="${orderNo}"]`).innerText()).toContain(
        `SF-${viewport.toUpperCase()}-42`,
      );
      const tracking = `SF-${viewport.toUpperCase()}-42`;
      await expect
        .poll(
          async () =>
            (await ui.t.thread(visitor)).messages.some((m) => m.text?.includes(orderNo) && m.text.includes(tracking)),
          {
            timeout: 20_000,
          },
        )
        .toBe(true);

      // A manual order: a wrong price is refused in words, a right one is created and listed.
      await page.fill('#order-search', '');
      await page.click('#new-order');
      await page.waitForSelector('#order-new-no');
      await page.fill('#order-new-no', manual);
      await page.selectOption('#order-new-channel', 'webchat');
      await page.fill('#order-new-external', `manual-${viewport}`);
      await page.fill('#order-new-name', '赵敏');
      await page.fill('#order-new-sku', 'TS-001');
      await page.fill('#order-new-item', '纯棉圆领T恤');
      await page.fill('#order-new-qty', '2');
      await page.fill('#order-new-price', 'abc');
      await page.click('#order-new-save');
      await page.locator('#order-new [role="alert"]').waitFor();
      await page.fill('#order-new-price', '79');
      expect(await page.locator('#order-new-total').innerText()).toContain('158');
      expect(await pageProblems(page, `orders-${viewport}-new`)).toEqual([]);
      await page.click('#order-new-save');
      await page.locator(`#orders tr[data-order="${manual}"]`, { hasText: '赵敏' }).waitFor({ timeout: 20_000 });
      const created = await ui.t.app.store.repos.orders.byNo(manual);
      expect(created).toMatchObject({ status: 'paid', total: 15800 });
      expect(await pageProblems(page, `orders-${viewport}-created`)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('is for admins: agents neither see it nor reach its API', async () => {
    const { context, page } = await ui.open('desktop', 'agent');
    expect(await page.locator('#nav ul a').allTextContents()).not.toContain('订单');
    await page.goto(`${ui.base}/console/orders`);
    await page.waitForSelector('.card h1');
    expect(await page.locator('#orders').count()).toBe(0);
    await context.close();
  }, 60_000);
});
