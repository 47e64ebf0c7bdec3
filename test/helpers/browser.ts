// Real Chromium for the console's end-to-end tests: what a page must never do (console errors,
// failed requests, controls covered by something else, serious accessibility violations), and
// screenshots for review when SCREENSHOTS=1 (written to test/.artifacts, never committed).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { z } from 'zod';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`\n⚠ ${CHROMIUM} not found: the console browser tests are SKIPPED.\n`);

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof viewports;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** Everything that went wrong on a page: console errors, uncaught errors, failed requests. */
export interface Problems {
  list: string[];
}

/**
 * Watches a page. A live stream cut off by navigation or logout is not a failure (the browser
 * aborts it on purpose); every other failed request, 4xx/5xx response or console error is.
 */
export function watch(page: Page, allow: (url: string, status: number) => boolean = () => false): Problems {
  const problems: Problems = { list: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.list.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.list.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A page left while its reads are in flight cancels them (ERR_ABORTED): the person moved on, the
    // server did not fail (its errors show as status codes below). Aborted writes still count.
    const aborted = request.failure()?.errorText === 'net::ERR_ABORTED';
    if (aborted && request.method() === 'GET') return;
    problems.list.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !allow(response.url(), response.status())) {
      problems.list.push(`http ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  return problems;
}

export async function login(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/console/`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('.shell');
  await page.waitForSelector('body[data-live="true"]');
}

/**
 * Every action control that is displayed must be the element a click at its centre reaches (or
 * contain it): nothing — a faded toast, an overlay, a sticky bar — may sit on top of it. Controls
 * are scrolled into view first. Returns the ones that are covered, with what covers them.
 */
export function coveredControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="tab"], [role="option"]';
    const describe = (el: Element | null) =>
      el
        ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`
        : 'nothing';
    const covered: string[] = [];
    for (const el of Array.from(document.querySelectorAll(selector))) {
      if (!(el instanceof HTMLElement)) continue;
      const box = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2) continue; // not displayed (closed menu, closed dialog, collapsed)
      // Hidden by the page (closed <details>, visibility): not a control staff can reach now.
      if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) continue;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const r = el.getBoundingClientRect();
      const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
      const top = document.elementFromPoint(x, y);
      if (top && (top === el || el.contains(top))) continue;
      covered.push(`${describe(el)} is under ${describe(top)}`);
    }
    window.scrollTo(0, 0);
    return covered;
  });
}

/** Controls of the widget that the point at their centre does not reach (something covers them). */
export function coveredInWidget(page: Page, selectors: string[]): Promise<string[]> {
  return page.evaluate((list) => {
    const shadow = document.getElementById('guanxi-webchat')?.shadowRoot;
    if (!shadow) return ['no widget'];
    const covered: string[] = [];
    for (const selector of list) {
      const el = shadow.querySelector(selector);
      if (!el) {
        covered.push(`${selector} missing`);
        continue;
      }
      const r = el.getBoundingClientRect();
      const top = shadow.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!(top && (top === el || el.contains(top)))) covered.push(`${selector} under ${top?.outerHTML.slice(0, 60)}`);
    }
    return covered;
  }, selectors);
}

/** The axe-core that @axe-core/playwright runs (its own dependency), as the source a page evaluates. */
const axeSource = (() => {
  const fromPlaywright = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
  return readFileSync(fromPlaywright.resolve('axe-core/axe.min.js'), 'utf8');
})();

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const AxeViolations = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullish(),
      help: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()) })),
    }),
  ),
});

/** axe-core's violations on the page, axe loaded into it once (a client-side navigation keeps it). */
async function runAxeInPage(page: Page): Promise<unknown> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const options = { runOnly: { type: 'tag', values: axeTags }, resultTypes: ['violations'] };
  return page.evaluate(`axe.run(document, ${JSON.stringify(options)})`);
}

/**
 * Serious and critical accessibility violations (axe-core, WCAG 2 A/AA rules and best practices).
 * The same axe-core and rules as `AxeBuilder`, run in the page itself: the builder injects axe
 * into every frame on each call and finishes in a new blank page, which took 1.5–3 s a check on
 * 2 vCPU where the rules take 0.2–0.5 s. A page with frames still goes through the builder.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const raw =
    page.frames().length > 1 ? await new AxeBuilder({ page }).withTags(axeTags).analyze() : await runAxeInPage(page);
  return AxeViolations.parse(raw)
    .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
}

/** Words that must never reach staff: raw nulls, undefined values, NaN, stringified objects. */
export async function leakedValues(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return ['null', 'undefined', 'NaN', '[object Object]'].filter((word) =>
    new RegExp(`(^|[^A-Za-z])${word.replace(/[[\]]/g, '\\$&')}([^A-Za-z]|$)`).test(text),
  );
}

const artifacts = resolve(import.meta.dirname, '../.artifacts');
const docImages = resolve(import.meta.dirname, '../../docs/images/staff');

/** A screenshot for review, only when SCREENSHOTS=1. */
export async function snap(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: resolve(artifacts, `${name}.png`), fullPage: true });
}

/**
 * A screenshot docs/staff.md shows. With DOC_SCREENSHOTS=1 it is written to docs/images/staff as a
 * small JPEG (quality 70; the visible part of the page, at most 1600 px tall, so the doc stays light)
 * and committed; otherwise, like every page, only to test/.artifacts with SCREENSHOTS=1.
 */
export async function docShot(page: Page, name: string): Promise<void> {
  if (process.env.DOC_SCREENSHOTS !== '1') return snap(page, `doc-${name}`);
  mkdirSync(docImages, { recursive: true });
  const { width, height } = page.viewportSize() ?? viewports.desktop;
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({
    path: resolve(docImages, `${name}.jpg`),
    type: 'jpeg',
    quality: 70,
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(Math.max(full, height), 1600) },
  });
}

/**
 * What a console page must satisfy once it has rendered, as one list of problems (empty when fine):
 * no toast left on screen, every control reachable, no raw values, no serious accessibility issue.
 * Takes the review screenshot on the way (SCREENSHOTS=1).
 */
export async function pageProblems(page: Page, name: string): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('.toast'));
  await snap(page, name);
  return [
    ...(await coveredControls(page)).map((p) => `${name}: covered control ${p}`),
    ...(await leakedValues(page)).map((p) => `${name}: raw value ${p} on screen`),
    ...(await seriousViolations(page)).map((p) => `${name}: accessibility ${p}`),
  ];
}
