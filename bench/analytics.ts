// Analytics benchmark: generates 100,000 customers and 1,000,000 orders in a fresh SQLite file,
// then times a full recompute (cold: every row written) and a second one (incremental: only changes).
// npm run bench:analytics [-- --customers 100000 --orders 1000000]
import { rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ManualClock } from '../src/kernel/clock.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 100_000);
const ORDERS = arg('orders', 1_000_000);
const DAY = 86_400_000;

const file = join(tmpdir(), `guanxi-bench-analytics-${process.pid}.db`);
const clock = new ManualClock('2026-11-20T00:00:00Z');
const config = loadConfig({ DATABASE_URL: `file:${file}`, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
const app = await createApp({ config, clock });
try {
  let t = Date.now();
  await app.store.transaction((repos) =>
    repos.bulk.generateSqlite({ customers: CUSTOMERS, orders: ORDERS, now: clock.now(), days: 720 }),
  );
  await app.store.transaction((repos) => repos.bulk.fillTotalsSqlite());
  console.log(`generated ${CUSTOMERS} customers, ${ORDERS} orders in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const full = await app.services.analytics.recompute({ full: true });
  console.log(
    `full rebuild (every order re-aggregated, every row written): ${full.customers} customers, ${full.changed} written, ${Date.now() - t} ms`,
    full.phases,
  );
  // A day later: 1% of orders changed (refunds); the order service would have refreshed those
  // customers' cached totals as each change arrived (done here in bulk, untimed).
  clock.advance(DAY);
  const touched = await app.store.transaction(async (repos) => {
    const n = await repos.bulk.touchOrdersSqlite(100, new Date());
    await repos.bulk.fillTotalsSqlite();
    return n;
  });
  t = Date.now();
  const nightly = await app.services.analytics.recompute();
  console.log(
    `nightly (incremental, ${touched} orders changed): ${nightly.customers} customers scored, ${nightly.changed} written, ${Date.now() - t} ms`,
    nightly.phases,
  );
  const summary = await app.services.analytics.dashboard();
  console.log('stages', summary.stages.map((s) => `${s.stage}=${s.customers}`).join(' '));
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
} finally {
  await app.stop();
  if (!process.argv.includes('--keep'))
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  else console.log(`kept ${file}`);
}
