// npm run bench:telegram [-- --users 1000 --updates 10000 --concurrency 32 --rate <updates/s> --profile <dir> --app <checkout>]
// The Telegram webhook at full load: the app runs as a real server (`src/main.ts` in its own process,
// SQLite, demo shop, info logging to a file, a webhook configured) against the fake Bot API
// (bench/fake-bot-api.ts, a third process) on 127.0.0.1. This process POSTs realistic updates to the
// webhook, `--concurrency` at a time, in bench:pipeline's mix (menus and commands, button presses as
// callback_query, pre-sale questions, orders, loyalty, after-sale, language switches, profile edits).
// Prints one JSON object: updates/s handled, ack p50/p99 (the webhook answers after the commit), the
// server's CPU ms per update, and checks that every update was logged (interactions) and every queued
// reply reached the fake API. A Bot API method in the webhook's answer (a button press answered there)
// is performed against the fake API, as Telegram does. `--profile <dir>` runs the server with `--cpu-prof` into <dir>; `--app`
// runs `src/main.ts` of another checkout (A/B against a commit in the same minutes: the machine is shared).
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { chatTurn } from './workload.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    updates: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    // A fixed arrival rate (updates/s, still at most `concurrency` in flight): A/B pairs then do the
    // same work per second, so their CPU per update compares without the batching a faster run gets.
    rate: { type: 'string' },
    profile: { type: 'string' },
    app: { type: 'string' },
  },
});
const users = Number(values.users);
const total = Number(values.updates);
const concurrency = Number(values.concurrency);
const rate = values.rate ? Number(values.rate) : undefined;

const root = join(import.meta.dirname, '..');
const dir = join(import.meta.dirname, '.data-telegram');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const dbFile = join(dir, 'telegram.db');
const SECRET = 'bench_webhook_secret';
const TOKEN = '123456:BENCH';
const BOT_ID = 999;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free port on 127.0.0.1 (bound and released). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** User and system CPU time of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

let updateId = 1;
let messageId = 1;

function from(user: number) {
  return { id: 1_000_000_000 + user, is_bot: false, first_name: `用户${user}` };
}

function message(user: number, text: string) {
  return {
    update_id: updateId++,
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 1_000_000_000 + user, type: 'private' },
      from: from(user),
      text,
    },
  };
}

function press(user: number, label: string, data: string) {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cq${updateId}`,
      from: from(user),
      data,
      message: {
        message_id: messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 1_000_000_000 + user, type: 'private' },
        from: { id: BOT_ID, is_bot: true, first_name: 'Guanxi' },
        text: '…',
        reply_markup: { inline_keyboard: [[{ text: label, callback_data: data }]] },
      },
    },
  };
}

function updateFor(i: number, user: number) {
  const turn = chatTurn(i);
  return turn.action ? press(user, turn.text, turn.action) : message(user, turn.text);
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function main() {
  const fake = fork(join(import.meta.dirname, 'fake-bot-api.ts'), [], { execArgv: ['--import', 'tsx'] });
  const fakePort = await new Promise<number>((resolve) =>
    fake.once('message', (m: unknown) =>
      resolve(typeof m === 'object' && m !== null && 'port' in m ? Number(m.port) : 0),
    ),
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = openSync(join(dir, 'server.log'), 'w');
  const server: ChildProcess = spawn(
    process.execPath,
    [
      ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
      '--import',
      'tsx',
      join(values.app ?? root, 'src', 'main.ts'),
    ],
    {
      cwd: dir,
      stdio: ['ignore', log, log],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${dbFile}`,
        ADMIN_TOKEN: 'bench-admin-token-000000',
        SEED_DEMO: 'true',
        QUIET_HOURS: '00:00-00:00',
        LOG_LEVEL: 'info',
        JOBS_ENABLED: 'false',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: `http://127.0.0.1:${fakePort}`,
        TELEGRAM_WEBHOOK_URL: `https://bench.example/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        // Fast enough that the replies drain in seconds; Telegram bills paid broadcasts above 30/s.
        TELEGRAM_MAX_PER_SECOND: '1000',
      },
    },
  );
  const serverPid = server.pid ?? 0;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await waitFor(
      'the server',
      async () => {
        if (server.exitCode !== null) throw new Error('the server exited; see bench/.data-telegram/server.log');
        return fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      120_000,
    );

    // Telegram's side of the webhook, kept cheap: one kept-alive node:http connection per concurrent
    // request (fetch cost the bench about half a millisecond of the shared CPU per update).
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const call = (url: string, headers: Record<string, string>, body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const outgoing = request(url, { method: 'POST', agent, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('error', reject);
          response.once('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
        });
        outgoing.once('error', reject);
        outgoing.end(body);
      });
    const post = async (update: object): Promise<number> => {
      const t0 = performance.now();
      const response = await call(
        `${base}/telegram/webhook`,
        { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        JSON.stringify(update),
      );
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      const answer: unknown = JSON.parse(response.text);
      const acked = performance.now() - t0;
      // As Telegram does: a Bot API method in the webhook's answer (a button press answered) is performed.
      if (typeof answer === 'object' && answer !== null && 'method' in answer && typeof answer.method === 'string') {
        await call(
          `http://127.0.0.1:${fakePort}/bot${TOKEN}/${answer.method}`,
          { 'content-type': 'application/json' },
          JSON.stringify(answer),
        );
      }
      return acked;
    };
    const run = async (count: number, make: (i: number) => object, latencies: number[], perSecond?: number) => {
      let next = 0;
      const start = performance.now();
      const worker = async () => {
        for (;;) {
          const i = next++;
          if (i >= count) return;
          if (perSecond) {
            const due = start + (i * 1000) / perSecond - performance.now();
            if (due > 0) await sleep(due);
          }
          latencies.push(await post(make(i)));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };

    // Warm-up: every user's /start creates the profile, chat and conversation (not measured).
    await run(users, (u) => message(u, '/start'), []);
    const latencies: number[] = [];
    const fakePid = fake.pid ?? 0;
    const before = { server: cpuOf(serverPid), fake: cpuOf(fakePid), bench: process.cpuUsage() };
    const started = performance.now();
    await run(total, (i) => updateFor(i, i % users), latencies, rate);
    const seconds = (performance.now() - started) / 1000;
    const after = { server: cpuOf(serverPid), fake: cpuOf(fakePid), bench: process.cpuUsage(before.bench) };
    const perUpdate = (ms: number) => Number((ms / total).toFixed(3));
    const serverUser = after.server.user - before.server.user;
    const serverSystem = after.server.system - before.server.system;
    const load = loadavg().map((l) => Number(l.toFixed(2)));
    agent.destroy();

    // Every update logged, every queued reply delivered (the outbox paces at TELEGRAM_MAX_PER_SECOND, 1/s per chat).
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const count = (sql: string) => Number(Object.values(db.prepare(sql).get() ?? {})[0] ?? 0);
    await waitFor(
      'the outbox to drain',
      () =>
        count(`SELECT count(*) FROM OutboxMessage WHERE channel = 'telegram' AND status IN ('queued', 'sending')`) ===
        0,
      300_000,
    );
    // The sends the load caused may finish after its last ack (the outbox paces): CPU through the drain too.
    const drained = cpuOf(serverPid);
    const logged = count(`SELECT count(*) FROM Interaction WHERE channel = 'telegram' AND direction = 'in'`);
    const sent = count(`SELECT count(*) FROM OutboxMessage WHERE channel = 'telegram' AND status = 'sent'`);
    const notSent = count(`SELECT count(*) FROM OutboxMessage WHERE channel = 'telegram' AND status <> 'sent'`);
    db.close();
    const stats: unknown = await (await fetch(`http://127.0.0.1:${fakePort}/stats`)).json();
    const methods =
      typeof stats === 'object' && stats !== null && 'methods' in stats && typeof stats.methods === 'object'
        ? Object.fromEntries(Object.entries(stats.methods ?? {}).map(([k, v]) => [k, Number(v)]))
        : {};
    const received = (methods.sendMessage ?? 0) + (methods.editMessageText ?? 0);

    latencies.sort((a, b) => a - b);
    const result = {
      database: 'sqlite',
      users,
      updates: total,
      concurrency,
      ...(rate ? { rate } : {}),
      updatesPerSecond: Math.round(total / seconds),
      ackP50ms: Number(percentile(latencies, 50).toFixed(2)),
      ackP99ms: Number(percentile(latencies, 99).toFixed(2)),
      ackMaxMs: Number((latencies.at(-1) ?? 0).toFixed(2)),
      serverCpuMsPerUpdate: perUpdate(serverUser + serverSystem),
      serverCpuMsPerUpdateThroughDrain: perUpdate(
        drained.user + drained.system - before.server.user - before.server.system,
      ),
      // Where the two cores went: the server (user/system), the fake Bot API and this client.
      cpuMsPerUpdate: {
        serverUser: perUpdate(serverUser),
        serverSystem: perUpdate(serverSystem),
        fakeBotApi: perUpdate(after.fake.user + after.fake.system - before.fake.user - before.fake.system),
        benchClient: perUpdate((after.bench.user + after.bench.system) / 1000),
      },
      interactionsLogged: { expected: users + total, logged, ok: logged === users + total },
      replies: {
        outboxSent: sent,
        outboxNotSent: notSent,
        receivedByFakeApi: received,
        ok: received >= sent && notSent === 0,
      },
      botApiCalls: methods,
      machine: { cpus: cpus().length, loadAverage: load },
    };
    console.log(JSON.stringify(result, null, 2));
    if (!result.interactionsLogged.ok || !result.replies.ok) process.exitCode = 1;
  } finally {
    server.kill('SIGINT');
    await exited;
    fake.disconnect();
  }
  if (!values.profile) rmSync(dir, { recursive: true, force: true });
}

await main();
