// The browser tests' page checks can fail: the accessibility check (axe-core run in the page) finds
// what AxeBuilder finds — serious and critical violations, also after a client-side change of the
// page — and says nothing on a clean page; a covered control is reported.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coveredControls, hasChromium, launchChromium, seriousViolations } from '../helpers/browser.ts';

const clean =
  '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Hello</h1><button>Save</button></main></body></html>';

describe.skipIf(!hasChromium)('the page checks of the browser tests', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a clean page has no serious accessibility violation', async () => {
    await page.setContent(clean);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('finds an image without alt text and a nameless button, also added after the first check', async () => {
    await page.setContent(clean);
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(() => {
      const main = document.querySelector('main');
      main?.insertAdjacentHTML('beforeend', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>');
    });
    const found = await seriousViolations(page);
    expect(found.map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['image-alt', 'button-name']));
  });

  it('reports a control covered by something on top of it', async () => {
    await page.setContent(
      `${clean.replace('</main>', '</main><div style="position:fixed;inset:0;background:#fff"></div>')}`,
    );
    expect(await coveredControls(page)).toEqual([expect.stringContaining('button "Save" is under div')]);
  });
});
