// A customer's profile edited by the agent serving them, in Chromium at desktop and phone size: the
// name saved, a tag added and removed, a note written, an interest tag shown as the product's name
// (never `interest:SKU`), consent shown read-only. Each state is checked for console errors, covered
// controls, raw values and serious accessibility violations; the API shows what the page saved.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('the profile edited by an agent', () => {
  const customers = { desktop: 0, phone: 0 };

  const ui = consoleUnderTest({ env: { SHOP_HOURS: '00:00-00:00', AUTO_ASSIGN: 'false' } }, async (t) => {
    await t.admin('PUT', '/api/products/TEE-1', { name: '纯棉T恤', nameEn: 'Cotton tee', price: 9900, stock: 5 });
    const agent = await t.app.store.repos.staff.byUsername('agent');
    const desk = { staffId: agent?.id ?? null, role: 'agent' as const, name: agent?.name ?? '', source: 'web' };
    for (const viewport of ['desktop', 'phone'] as const) {
      const conversation =
        (await t.say(`pf-${viewport}`, '转人工', { name: `周杰 ${viewport}` })).conversation?.id ?? 0;
      await t.app.services.desk.take(desk, conversation);
      const identity = await t.app.store.repos.customers.findIdentity('webchat', `pf-${viewport}`);
      customers[viewport] = identity?.customerId ?? 0;
      await t.app.services.customers.addTag(customers[viewport], 'interest:TEE-1', { type: 'admin' });
    }
  });

  const Profile = z.object({ name: z.string().nullable(), tags: z.array(z.string()) });
  const profile = async (id: number) => Profile.parse((await ui.t.admin('GET', `/api/customers/${id}`)).body);

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`edits name, tags and notes from the page (${viewport})`, async () => {
      const id = customers[viewport];
      const { context, page, problems } = await ui.open(viewport, 'agent');
      await page.goto(`${ui.base}/console/customers/${id}`);
      await page.waitForSelector('#profile-tags');
      await page.locator('#profile-tags .chip', { hasText: '意向：纯棉T恤' }).waitFor();
      expect(await page.locator('body').innerText()).not.toContain('interest:');
      expect(await page.locator('#profile-consent input').count()).toBe(0);
      expect(await pageProblems(page, `profile-${viewport}-agent`)).toEqual([]);

      await page.fill('#profile-name', `周杰伦 ${viewport}`);
      await page.click('#profile-save');
      await expect.poll(async () => (await profile(id)).name, { timeout: 15_000 }).toBe(`周杰伦 ${viewport}`);

      await page.fill('#tag-input', '回头客');
      await page.click('#tag-add');
      await page.locator('#profile-tags .chip', { hasText: '回头客' }).waitFor();
      expect((await profile(id)).tags).toContain('回头客');
      await page.click('button[aria-label="移除标签 回头客"]');
      await page.locator('#profile-tags .chip', { hasText: '回头客' }).waitFor({ state: 'detached' });
      expect((await profile(id)).tags).toEqual(['interest:TEE-1']);

      await page.fill('#profile-note-text', '喜欢宽松版型');
      await page.click('#profile-note-add');
      await page.locator('#profile-notes li', { hasText: '喜欢宽松版型' }).waitFor();
      expect(await pageProblems(page, `profile-${viewport}-edited`)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
