// npm run bench:pipeline [-- --database sqlite|postgresql://… --customers 200 --messages 10000 --concurrency 8 --cpu-prof]
//   [--pool-size N (DATABASE_POOL_SIZE)] [--statements (PostgreSQL: the statements sent per message)]
// N synthetic customers send messages through the full pipeline: webchat adapter in-process, logging
// on (to a file), flow routing on, outbox sender running; the run ends when every reply is sent.
// Prints one JSON object: messages/s (received and answered), p50/p99 (of receiving a message),
// the machine's load, and a bare better-sqlite3 insert loop measured in the same run as the
// physical reference. `--database sqlite` (default) uses a fresh file under bench/.data; a PostgreSQL
// URL is migrated and EMPTIED first (every table truncated): give the bench a database of its own.
// It also prints the process CPU time per message over the measured run (user + system), the figure
// to compare A/B on a shared machine; `--cpu-prof` writes a V8 CPU profile of the measured run to
// bench/.data/profiles/ (summarise it with `npx tsx bench/profile-summary.ts <file>`).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
// On PostgreSQL it also prints round trips, commits and backend CPU per message (bench/pg-meter.ts).
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { createLogger } from '../src/kernel/logger.ts';
import { startPgMeter } from './pg-meter.ts';
import { chatTurn, emptyPostgres } from './workload.ts';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200' },
    messages: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '8' },
    database: { type: 'string', default: 'sqlite' },
    'cpu-prof': { type: 'boolean', default: false },
    statements: { type: 'boolean', default: false },
    'pool-size': { type: 'string' },
  },
});
const customers = Number(values.customers);
const total = Number(values.messages);
const concurrency = Number(values.concurrency);

const dir = join(import.meta.dirname, '.data');
const profiles = join(dir, 'profiles');
// A fresh data directory for every run; CPU profiles of earlier runs are kept.
mkdirSync(dir, { recursive: true });
for (const entry of readdirSync(dir))
  if (entry !== 'profiles') rmSync(join(dir, entry), { recursive: true, force: true });

/** Starts a V8 CPU profile of this process when `--cpu-prof` is given; the returned stop writes it. */
async function startProfile(): Promise<() => Promise<string | undefined>> {
  if (!values['cpu-prof']) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(profiles, { recursive: true });
    const file = join(profiles, `pipeline-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function bareInsertReference(count: number) {
  const db = new Database(join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE interaction (id INTEGER PRIMARY KEY, customer_id INTEGER, channel TEXT, direction TEXT, text TEXT, payload TEXT, created_at TEXT)',
  );
  const insert = db.prepare(
    'INSERT INTO interaction (customer_id, channel, direction, text, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    insert.run(i % customers, 'webchat', 'in', `message ${i}`, '{"messageId":"x"}', new Date().toISOString());
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

function messageFor(i: number, visitorId: string) {
  return { visitorId, ...chatTurn(i) };
}

async function main() {
  const postgres = values.database !== 'sqlite';
  if (postgres) await emptyPostgres(values.database);
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: postgres ? values.database : `file:${join(dir, 'pipeline.db')}`,
    ...(values['pool-size'] && { DATABASE_POOL_SIZE: values['pool-size'] }),
    ADMIN_TOKEN: 'bench-admin-token-000000',
    SEED_DEMO: 'false',
    QUIET_HOURS: '00:00-00:00',
  });
  // Logging on, as in production, written to a file so the terminal stays readable.
  const log = createLogger('info', pino.destination({ dest: join(dir, 'bench.log'), sync: false }));
  const app = await createApp({ config, log });
  await seedDemo(app.services, app.clock);
  await app.start();

  // Warm-up: every customer's first message creates its profile, chat and conversation.
  for (let c = 0; c < customers; c++)
    await app.webchat.receive({ visitorId: `bench-${c}`, text: '/start' }, new Date());

  const latencies: number[] = [];
  let next = 0;
  const stopProfile = await startProfile();
  // On PostgreSQL: round trips, commits and CPU (this process and its backends) per message.
  const meter = postgres ? await startPgMeter(values.database) : undefined;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const visitorId = `bench-${i % customers}`;
      const body = messageFor(i, visitorId);
      const t0 = performance.now();
      await app.webchat.receive(body, new Date());
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // The run ends when every reply has been sent, not when the last message was received: a pipeline
  // that commits faster by leaving its replies queued has not done the work.
  const receivedSeconds = (performance.now() - started) / 1000;
  await app.sender.drainChannel('webchat');
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const profileFile = await stopProfile();
  const perMessage = await meter?.finish(total);
  const counts = await app.store.repos.outbox.countByStatus('webchat');
  await app.stop();

  latencies.sort((a, b) => a - b);
  const reference = await bareInsertReference(total * 4);
  const result = {
    database: postgres ? 'postgresql' : 'sqlite',
    messages: total,
    customers,
    concurrency,
    messagesPerSecond: Math.round(total / seconds),
    // Replies still queued when the last message was received wait for the drain (above).
    receivedPerSecond: Math.round(total / receivedSeconds),
    p50ms: Number(percentile(latencies, 50).toFixed(2)),
    p99ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number((latencies.at(-1) ?? 0).toFixed(2)),
    cpuMsPerMessage: Number(((cpu.user + cpu.system) / 1000 / total).toFixed(3)),
    outbox: Object.fromEntries(counts.map((c) => [c.status, c.count])),
    nodeSystemCpuMsPerMessage: Number((cpu.system / 1000 / total).toFixed(2)),
    ...(perMessage && {
      postgresPerMessage: {
        roundTrips: perMessage.roundTripsPerMessage,
        commits: perMessage.commitsPerMessage,
        postgresCpuMs: perMessage.postgresCpuMsPerMessage,
        ...(values.statements && { statements: perMessage.statements }),
      },
    }),
    bareSqliteInsertsPerSecond: Math.round(reference),
    machine: { cpus: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) },
  };
  console.log(JSON.stringify({ ...result, ...(profileFile ? { cpuProfile: profileFile } : {}) }, null, 2));
  for (const entry of readdirSync(dir))
    if (entry !== 'profiles') rmSync(join(dir, entry), { recursive: true, force: true });
}

await main();
