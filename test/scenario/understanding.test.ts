// The understanding evaluation set (test/fixtures/understanding): a fixed 50-item slice runs through
// the same runner as `npm run bench:understanding` (which runs all of it) and must meet the same
// targets; and the set itself keeps the shape the issue asks for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalItem, evalSlice, loadEvalSet, loadShop } from '../../bench/understanding/eval-set.ts';
import {
  formatReport,
  type ItemResult,
  missedTargets,
  runItem,
  seedShop,
  summarize,
} from '../../bench/understanding/runner.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const intents =
  /^(price|stock|size|color|spec|product|faq:[a-z_]+|orders|aftersale|human|complaint|loyalty|menu|language|unsubscribe|smalltalk|unknown)$/;

describe('understanding evaluation set', () => {
  const items = loadEvalSet();
  const shop = loadShop();

  it('has at least 400 labelled utterances, about 60 % Chinese, over its own fixture shop', () => {
    expect(items.length).toBeGreaterThanOrEqual(400);
    const chinese = items.filter((i) => i.lang === 'zh').length / items.length;
    expect(chinese).toBeGreaterThan(0.55);
    expect(chinese).toBeLessThan(0.65);
    const skus = new Set(shop.products.map((p) => p.sku));
    const faqs = new Set(shop.faqs.map((f) => `faq:${f.category}`));
    const orders = new Set(shop.orders.map((o) => o.key));
    const problems = (item: EvalItem) => [
      ...item.intents.filter((i) => !intents.test(i) || (i.startsWith('faq:') && !faqs.has(i))),
      ...(item.entities?.products ?? []).filter((sku) => !skus.has(sku)),
      ...(item.orders ?? []).filter((key) => !orders.has(key)),
    ];
    expect(items.filter((item) => problems(item).length > 0).map((item) => item.id)).toEqual([]);
  });
});

describe('understanding evaluation slice [sqlite]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { JOBS_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a fixed 50-item slice within the targets (intent ≥ 95 %, language ≥ 99 %, answer ≥ 90 %, confident-wrong ≤ 1 %)', async () => {
    const shop = loadShop();
    await seedShop(t.app, shop);
    const slice = evalSlice(loadEvalSet(), 50);
    expect(slice).toHaveLength(50);
    const results: ItemResult[] = [];
    for (const item of slice) results.push(await runItem(t.app, shop, item));
    const report = summarize(results);
    const missed = missedTargets(report);
    if (missed.length > 0) console.log(formatReport(report, { failures: true }));
    expect(missed).toEqual([]);
  }, 300_000);
});

describe('the shop threshold ANSWER_MIN_CONFIDENCE [sqlite]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { JOBS_ENABLED: 'false', ANSWER_MIN_CONFIDENCE: '0.8' } });
    await seedShop(t.app, loadShop());
  });
  afterAll(async () => {
    await t.close();
  });

  it('makes the bot say it is not sure (with a person to ask) below it, and still answer what is certain', async () => {
    // Answered at the default 0.5 (see the evaluation set), not at 0.8.
    const loose = await t.say('th-1', '下单以后还能改收货地址吗');
    expect(loose.text).toContain('不太确定');
    expect(loose.replies[0]?.buttons?.map((b) => b.data)).toContain('human');
    const exact = await t.say('th-2', '包邮吗');
    expect(exact.text).toContain('满99元包邮');
  });
});
