// The catalog page in Chromium as an admin: a product created, edited, delisted and listed again, an
// FAQ created, edited and deleted, a synonym added — each checked where it matters, in what the bot
// answers a customer. Desktop and phone; the console's page checks on every state.
import { describe, expect, it } from 'vitest';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';

describe.skipIf(!hasChromium)('the catalog page', () => {
  const ui = consoleUnderTest();

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`products and FAQs are kept from the page, and the bot answers from them (${viewport})`, async () => {
      const sku = `LINEN-${viewport.toUpperCase()}`;
      const name = viewport === 'desktop' ? '亚麻衬衫' : '真丝围巾';
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/catalog`);
      await page.waitForSelector('#product-form');
      expect(await pageProblems(page, `catalog-${viewport}-products`)).toEqual([]);

      // A new product, through the form.
      await page.fill('#product-sku', sku);
      await page.fill('#product-name', name);
      await page.fill('#product-price', '189');
      await page.fill('#product-stock', '12');
      await page.fill('#product-attributes', '尺码=S|M|L; 颜色=米白|藏青');
      await page.click('#product-save');
      await page.waitForSelector(`#products tr[data-sku="${sku}"]`);
      expect((await ui.t.say(`cat-${viewport}-1`, `${name}多少钱`)).text).toContain('189');

      // Edited: the new price is what customers hear.
      await page.fill('#product-search', sku);
      await page.click(`#products tr[data-sku="${sku}"] .edit`);
      await page.waitForSelector('#product-sku:disabled');
      expect(await page.inputValue('#product-attributes')).toBe('尺码=S|M|L; 颜色=米白|藏青');
      await page.fill('#product-price', '159.90');
      await page.click('#product-save');
      await page.locator(`#products tr[data-sku="${sku}"]`, { hasText: '159.90' }).waitFor();
      expect((await ui.t.say(`cat-${viewport}-2`, `${name}多少钱`)).text).toContain('159.9');

      // Delisted: the bot no longer offers it; listed again: it does.
      await page.click(`#products tr[data-sku="${sku}"] .toggle`);
      await page.locator(`#products tr[data-sku="${sku}"]`, { hasText: '已下架' }).waitFor();
      expect((await ui.t.say(`cat-${viewport}-3`, `${name}多少钱`)).text).not.toContain('159.9');
      expect(await ui.t.app.services.knowledge.product(sku)).toBeFalsy();
      expect(await pageProblems(page, `catalog-${viewport}-delisted`)).toEqual([]);
      await page.click(`#products tr[data-sku="${sku}"] .toggle`);
      await page.locator(`#products tr[data-sku="${sku}"]`, { hasText: '上架' }).waitFor();

      // An FAQ: created, answered, edited, deleted.
      const question = viewport === 'desktop' ? '可以开增值税专用发票吗' : '可以寄到海外吗';
      await page.click('#tab-faqs');
      await page.fill('#faq-question', question);
      await page.fill('#faq-answer', '可以的，下单时备注即可。');
      await page.fill('#faq-keywords', viewport === 'desktop' ? '专票 | 增值税' : '海外 | 国外');
      await page.click('#faq-save');
      const item = page.locator('#faqs li', { hasText: question });
      await item.waitFor();
      expect((await ui.t.say(`cat-${viewport}-4`, question)).text).toContain('下单时备注');
      await item.locator('.edit').click();
      await page.fill('#faq-answer', '暂不支持，敬请谅解。');
      await page.click('#faq-save');
      await page.locator('#faqs li', { hasText: '暂不支持' }).waitFor();
      expect((await ui.t.say(`cat-${viewport}-5`, question)).text).toContain('暂不支持');
      expect(await pageProblems(page, `catalog-${viewport}-faqs`)).toEqual([]);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('#faqs li', { hasText: question }).locator('.delete').click();
      await page.locator('#faqs li', { hasText: question }).waitFor({ state: 'detached' });
      expect((await ui.t.admin('GET', '/api/faqs')).body).not.toMatchObject({
        faqs: expect.arrayContaining([expect.objectContaining({ question })]),
      });

      // A synonym.
      await page.click('#tab-synonyms');
      await page.fill('#synonym-term', '米白');
      await page.fill('#synonym-alternatives', '奶白, cream');
      await page.click('#synonym-save');
      await page.locator('#synonyms li[data-term="米白"]').waitFor();
      expect(await pageProblems(page, `catalog-${viewport}-synonyms`)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('is for admins: agents neither see it nor reach its API', async () => {
    const { context, page } = await ui.open('desktop', 'agent');
    expect(await page.locator('#nav ul a').allTextContents()).not.toContain('商品与问答');
    await page.goto(`${ui.base}/console/catalog`);
    await page.waitForSelector('.card h1');
    expect(await page.locator('#product-form').count()).toBe(0);
    await context.close();
    expect((await ui.t.admin('PATCH', '/api/products/NOPE-1', { active: false })).status).toBe(404);
    expect((await ui.t.admin('PUT', '/api/faqs/999999', { question: 'q', answer: 'a' })).status).toBe(404);
  }, 60_000);
});
