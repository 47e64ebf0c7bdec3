// Ledger benchmark: generates a ledger of N entries (default 1,000,000) over C customers, then
// measures ledger writes/s (idempotent earn posts, each its own transaction), redemptions/s,
// balance reads/s (ledger sum and cached) and the full `guanxi verify` pass. SQLite by default (a
// fresh file); `--database postgresql://…` migrates that database and EMPTIES it first (every table
// truncated): give the bench a database of its own. Each line also prints the CPU time per operation
// (this process; on PostgreSQL also the backends serving it, and round trips): the figures to compare
// when other work shares the machine.
// Usage: npm run bench:loyalty -- [--entries 1000000] [--customers 10000] [--writes 1000] [--reads 5000] [--redeems 300] [--database postgresql://…]
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { startPgMeter } from './pg-meter.ts';
import { emptyPostgres } from './workload.ts';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const DATABASE = (() => {
  const at = process.argv.indexOf('--database');
  return at >= 0 ? (process.argv[at + 1] ?? 'sqlite') : 'sqlite';
})();
const POSTGRES = DATABASE !== 'sqlite';
const ENTRIES = arg('entries', 1_000_000);
const CUSTOMERS = arg('customers', 10_000);
const dir = join(import.meta.dirname, '..', 'data', 'bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `loyalty-${process.pid}.db`);

// Deterministic generator: the same arguments give the same ledger.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/**
 * Runs `work` (`count` operations) and prints its rate and, comparable on a loaded machine, the CPU
 * time per operation of this process and (PostgreSQL) of the backends serving it, with round trips.
 */
async function timed<T>(label: string, count: number, work: () => Promise<T>): Promise<T> {
  const meter = POSTGRES ? await startPgMeter(DATABASE) : undefined;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const pg = await meter?.finish(count);
  const perOperation = [
    `node CPU ${((used.user + used.system) / 1000 / count).toFixed(3)} ms/op`,
    ...(pg ? [`backend CPU ${pg.postgresCpuMsPerMessage} ms/op`, `${pg.roundTripsPerMessage} round trips/op`] : []),
  ];
  console.log(
    `${label.padEnd(34)} ${count.toLocaleString('en').padStart(10)} in ${seconds.toFixed(2)}s = ${Math.round(count / seconds).toLocaleString('en')}/s (${perOperation.join(', ')})`,
  );
  return result;
}

async function main() {
  if (POSTGRES) await emptyPostgres(DATABASE);
  const config = loadConfig({
    DATABASE_URL: POSTGRES ? DATABASE : `file:${file}`,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
  });
  const app = await createApp({ config });
  const { store, services } = app;
  const at = new Date('2026-06-01T00:00:00Z');
  try {
    console.log(
      `guanxi loyalty bench: ${ENTRIES.toLocaleString('en')} entries, ${CUSTOMERS.toLocaleString('en')} customers, ${POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${cpus().length} cores, node ${process.version}, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    // One row of each through the app fixes the stored formats; the bulk goes straight into the file
    // (the generator is not what is measured, and ORM round trips would take an hour at 1M rows).
    const probe = await store.repos.customers.create({ name: 'probe' });
    await services.loyalty.post({
      customerId: probe.id,
      amount: 1,
      kind: 'earn',
      reason: 'bench',
      idempotencyKey: 'probe',
      at,
    });
    const ids = POSTGRES ? await generatePostgres(DATABASE, probe.id) : await generateSqlite(probe.id);
    console.log(`verify after generation: ${(await services.loyalty.verify()).length} mismatches`);

    const WRITES = arg('writes', 1000);
    // The same keys twice: the second pass finds every entry already written.
    const writeAll = async () => {
      for (let i = 0; i < WRITES; i++) {
        const customerId = ids[i % ids.length] ?? 1;
        await services.loyalty.post({
          customerId,
          amount: 10,
          kind: 'earn',
          reason: 'bench',
          idempotencyKey: `w:${i}`,
          at,
        });
      }
    };
    await timed('ledger writes (earn, 1 tx each)', WRITES, writeAll);
    await timed('replayed writes (idempotent no-op)', WRITES, writeAll);
    const gift = await services.rewards.create(
      { name: 'bench gift', kind: 'gift', cost: 1, stock: 1_000_000 },
      { type: 'admin' },
    );
    const REDEEMS = arg('redeems', 300);
    await timed('redemptions (balance+stock+ledger)', REDEEMS, async () => {
      for (let i = 0; i < REDEEMS; i++) await services.rewards.redeem(ids[i % ids.length] ?? 1, gift.id, `r:${i}`);
    });
    const READS = arg('reads', 5000);
    await timed('balance reads (ledger sum)', READS, async () => {
      for (let i = 0; i < READS; i++) await store.repos.loyalty.ledgerSum(ids[Math.floor(random() * ids.length)] ?? 1);
    });
    await timed('balance reads (cached column)', READS, async () => {
      for (let i = 0; i < READS; i++)
        await store.repos.loyalty.cachedBalance(ids[Math.floor(random() * ids.length)] ?? 1);
    });
    const mismatches = await timed('verify (all balances vs ledger)', ENTRIES + WRITES + REDEEMS, () =>
      services.loyalty.verify(),
    );
    console.log(`verify mismatches: ${mismatches.length}`);
  } finally {
    await app.stop();
    if (!POSTGRES) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

async function generateSqlite(probeId: number): Promise<number[]> {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const sample = raw.prepare('SELECT "createdAt", "expiresAt" FROM "PointsEntry" LIMIT 1').get();
  const customerSample = raw.prepare('SELECT "createdAt", "updatedAt" FROM "Customer" LIMIT 1').get();
  if (!isRow(sample) || !isRow(customerSample)) throw new Error('probe rows missing');
  const ids = await timed('generate customers', CUSTOMERS, async () => {
    const insert = raw.prepare(
      'INSERT INTO "Customer" ("name", "createdAt", "updatedAt", "firstSeenAt", "lastSeenAt") VALUES (?, ?, ?, ?, ?)',
    );
    const out: number[] = [probeId];
    raw.transaction(() => {
      for (let i = 1; i < CUSTOMERS; i++) {
        const c = customerSample.createdAt;
        out.push(Number(insert.run(`c${i}`, c, customerSample.updatedAt, c, c).lastInsertRowid));
      }
    })();
    return out;
  });
  const sums = new Map<number, number>([[probeId, 1]]);
  await timed('generate ledger entries (bulk)', ENTRIES, async () => {
    const insert = raw.prepare(
      'INSERT INTO "PointsEntry" ("customerId", "amount", "kind", "reason", "idempotencyKey", "expiresAt", "remaining", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const chunk = 50_000;
    for (let done = 1; done < ENTRIES; done += chunk) {
      raw.transaction(() => {
        for (let i = done; i < Math.min(ENTRIES, done + chunk); i++) {
          const customerId = ids[Math.floor(random() * ids.length)] ?? probeId;
          const amount = 1 + Math.floor(random() * 200);
          sums.set(customerId, (sums.get(customerId) ?? 0) + amount);
          insert.run(customerId, amount, 'earn', 'bench', `bench:${i}`, sample.expiresAt, amount, sample.createdAt);
        }
      })();
    }
    const update = raw.prepare('UPDATE "Customer" SET "pointsBalance" = ? WHERE "id" = ?');
    raw.transaction(() => {
      for (const [customerId, sum] of sums) update.run(sum, customerId);
    })();
    raw.close();
  });
  return ids;
}

/** The same ledger shape on PostgreSQL, generated by the server (generate_series, seeded random). */
async function generatePostgres(url: string, probeId: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = await timed('generate customers', CUSTOMERS, async () => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO "Customer" ("name", "createdAt", "updatedAt", "firstSeenAt", "lastSeenAt")
         SELECT 'c' || g, now(), now(), now(), now() FROM generate_series(1, $1::int) AS g RETURNING "id"`,
        [CUSTOMERS - 1],
      );
      return [probeId, ...rows.map((r) => r.id)];
    });
    await timed('generate ledger entries (bulk)', ENTRIES, async () => {
      await client.query('SELECT setseed(0.42)');
      await client.query(
        `INSERT INTO "PointsEntry" ("customerId", "amount", "kind", "reason", "idempotencyKey", "expiresAt", "remaining", "createdAt")
         SELECT ($1::int[])[1 + floor(random() * $2)::int], a, 'earn', 'bench', 'bench:' || g, now() + interval '1 year', a, now()
         FROM (SELECT g, 1 + floor(random() * 200)::int AS a FROM generate_series(1, $3::int) AS g) AS s`,
        [ids, ids.length, ENTRIES - 1],
      );
      await client.query(
        `UPDATE "Customer" AS c SET "pointsBalance" = s.total
         FROM (SELECT "customerId", sum("amount") AS total FROM "PointsEntry" GROUP BY "customerId") AS s
         WHERE c."id" = s."customerId"`,
      );
      await client.query('ANALYZE');
    });
    return ids;
  } finally {
    await client.end();
  }
}

function isRow(
  value: unknown,
): value is { createdAt: string | number; updatedAt?: string | number; expiresAt?: string | number } {
  return typeof value === 'object' && value !== null && 'createdAt' in value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
