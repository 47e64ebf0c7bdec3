// The set-up the console's browser tests share: the app on a loopback port with the demo staff
// seeded, one Chromium for the file, and per test a browser context at a viewport's size whose
// problems are watched, logged in as a demo account when asked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { demoStaff, seedDemoStaff } from '../../src/demo/seed.ts';
import { createTestApp, type TestApp } from './app.ts';
import { launchChromium, login, type ViewportName, viewports, watch } from './browser.ts';

/** The password of a demo staff account (`seedDemoStaff`). */
export function demoPassword(username: string): string {
  return demoStaff.find((s) => s.username === username)?.password ?? '';
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Console errors, failed requests and error responses seen so far (see `watch`). */
  problems: string[];
}

export interface ConsoleUnderTest {
  readonly t: TestApp;
  readonly browser: Browser;
  /** The app's address, e.g. http://127.0.0.1:41234. */
  readonly base: string;
  /** A fresh context at the viewport's size with its problems watched; logged in as `username` if given. */
  open(viewport: ViewportName, username?: string): Promise<ConsolePage>;
}

type AppOptions = NonNullable<Parameters<typeof createTestApp>[0]>;

/**
 * Registers the file's set-up and tear-down (call it directly inside `describe`); the app, browser
 * and address are there once `beforeAll` has run. `options` may be a function, read in `beforeAll`
 * (for options that something started in an earlier `beforeAll` provides); `seed` runs after the
 * demo staff are seeded and before the app listens, with the app it may fill.
 */
export function consoleUnderTest(
  options: AppOptions | (() => AppOptions) = {},
  seed?: (t: TestApp) => Promise<void>,
): ConsoleUnderTest {
  let started: { t: TestApp; browser: Browser; base: string } | undefined;
  let app: TestApp | undefined;
  let chromium: Browser | undefined;
  beforeAll(async () => {
    app = await createTestApp(typeof options === 'function' ? options() : options);
    await seedDemoStaff(app.app.services, 'test');
    await seed?.(app);
    const base = await app.app.http.listen({ port: 0, host: '127.0.0.1' });
    chromium = await launchChromium();
    started = { t: app, browser: chromium, base };
  });
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });
  const now = () => {
    if (!started) throw new Error('the console under test has not started (use it inside a test)');
    return started;
  };
  return {
    get t() {
      return now().t;
    },
    get browser() {
      return now().browser;
    },
    get base() {
      return now().base;
    },
    async open(viewport, username) {
      const { browser, base } = now();
      const context = await browser.newContext({ viewport: viewports[viewport] });
      const page = await context.newPage();
      const problems = watch(page).list;
      if (username) await login(page, base, username, demoPassword(username));
      return { context, page, problems };
    },
  };
}
