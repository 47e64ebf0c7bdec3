// CSV import in Chromium as an admin, at desktop and phone size: a GBK file as Excel on Chinese
// Windows saves it is previewed (encoding named, rows ready, a row with an extra field listed with
// its problem, nothing written), then imported with 确认导入; the products are there with their
// Chinese names. The console's page checks run on the preview and the result.
import { describe, expect, it } from 'vitest';
import { hasChromium, pageProblems, type ViewportName } from '../helpers/browser.ts';
import { consoleUnderTest } from '../helpers/console.ts';
import { encodeGbk } from '../helpers/gbk.ts';

describe.skipIf(!hasChromium)('CSV import from the console', () => {
  const ui = consoleUnderTest();

  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`previews a GBK file, writes nothing until confirmed, then imports (${viewport})`, async () => {
      const sku = (n: number) => `IM-${viewport}-${n}`;
      const file = encodeGbk(
        `sku,name,price,category\n${sku(1)},亚麻衬衫,99,上衣\n${sku(2)},真丝围巾,159,配饰\n${sku(3)},多一列,10,上衣,多余\n`,
      );
      const { context, page, problems } = await ui.open(viewport, 'admin');
      await page.goto(`${ui.base}/console/imports`);
      await page.selectOption('#import-kind', 'products');
      await page.setInputFiles('#import-file', { name: '商品.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
      await page.waitForSelector('#import-preview');
      const tiles = await page.locator('#import-preview .tile').allInnerTexts();
      expect(tiles.map((tile) => tile.replace(/\s+/g, ' '))).toEqual([
        expect.stringMatching(/^文件编码 .*GB/),
        '记录 3',
        '可导入 2',
        '有问题 1',
      ]);
      // The third record has one field too many: listed by its record number, not imported.
      await page.locator('#import-problems tbody tr').first().waitFor();
      expect(await page.locator('#import-problems tbody tr').count()).toBe(1);
      expect(await page.locator('#import-problems tbody tr td').first().innerText()).toBe('3');
      expect((await ui.t.admin('GET', `/api/products`)).body).not.toMatchObject({
        products: expect.arrayContaining([expect.objectContaining({ sku: sku(1) })]),
      });
      expect(await pageProblems(page, `import-${viewport}-preview`)).toEqual([]);

      await page.click('#import-confirm');
      await page.locator('#import-result', { hasText: '已导入 2 条，未导入 1 条' }).waitFor();
      const products = await ui.t.admin('GET', '/api/products');
      expect(products.body).toMatchObject({
        products: expect.arrayContaining([
          expect.objectContaining({ sku: sku(1), name: '亚麻衬衫' }),
          expect.objectContaining({ sku: sku(2), name: '真丝围巾' }),
        ]),
      });
      expect(await pageProblems(page, `import-${viewport}-done`)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
