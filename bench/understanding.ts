// npm run bench:understanding [-- --database <file:path | postgresql://…>] [--failures] [--only <id prefix>]
//   [--dir test/fixtures/understanding/holdout]  (another set with its own shop.json)
// Runs the evaluation set (test/fixtures/understanding/*.jsonl) through the real app — fixture shop in
// through the admin API, every utterance through the webchat API, no LLM — and prints intent
// accuracy, language accuracy, answer correctness and the confident-wrong rate per category and
// overall. Exits non-zero below the targets (intent ≥ 95 %, language ≥ 99 %, answer ≥ 90 %,
// confident-wrong ≤ 1 %). Give --database its own database: the bench migrates it and writes to it.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ManualClock } from '../src/kernel/clock.ts';
import { loadEvalSet, loadShop } from './understanding/eval-set.ts';
import { formatReport, type ItemResult, missedTargets, runItem, seedShop, summarize } from './understanding/runner.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    failures: { type: 'boolean', default: false },
    only: { type: 'string' },
    dir: { type: 'string' },
  },
});

const dir = join(import.meta.dirname, '.data');
const defaultFile = join(dir, 'understanding.db');
if (!values.database) {
  mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${defaultFile}${suffix}`, { force: true });
}
const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: values.database ?? `file:${defaultFile}`,
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'false',
  JOBS_ENABLED: 'false',
  CAMPAIGN_TICK_MS: '0',
  ADMIN_TOKEN: 'understanding-bench-admin-token',
  // Every utterance comes from one address under a frozen clock: the per-address webchat limit would
  // refuse all after the first minute's worth (429), so the bench turns it off.
  RATE_LIMIT_WEBCHAT_PER_MINUTE: '0',
  // The set was written when first contact consented to marketing; the judge reads a customer without
  // consent as one who unsubscribed (as the test app does, test/helpers/app.ts).
  MARKETING_CONSENT_DEFAULT: 'true',
  ...(process.env.ANSWER_MIN_CONFIDENCE ? { ANSWER_MIN_CONFIDENCE: process.env.ANSWER_MIN_CONFIDENCE } : {}),
});
// Noon in Shanghai on a weekday: inside shop hours, so hand-offs queue for staff.
const app = await createApp({ config, clock: new ManualClock('2026-03-02T04:00:00Z') });
await app.start();
await app.http.ready();
const started = performance.now();
try {
  const shop = loadShop(values.dir);
  await seedShop(app, shop);
  const items = loadEvalSet(values.dir).filter((item) => !values.only || item.id.startsWith(values.only));
  const results: ItemResult[] = [];
  for (const item of items) results.push(await runItem(app, shop, item));
  const report = summarize(results);
  const zh = items.filter((i) => i.lang === 'zh').length;
  console.log(
    `understanding benchmark — ${items.length} utterances (${zh} Chinese, ${items.length - zh} English), ` +
      `${shop.products.length} products, ${shop.faqs.length} FAQs, ANSWER_MIN_CONFIDENCE=${config.understanding.answerMinConfidence}, no LLM`,
  );
  console.log(formatReport(report, { failures: values.failures }));
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const missed = missedTargets(report);
  if (missed.length > 0) {
    console.log(`FAIL: ${missed.join('; ')}`);
    process.exitCode = 1;
  } else console.log('PASS: all targets met');
} finally {
  await app.stop();
}
