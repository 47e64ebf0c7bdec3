// Broadcast benchmark: a campaign to N Telegram recipients through the real runner, outbox and
// pacer, against a local fake Bot API (sendMessage over HTTP). Reports achieved vs configured rate
// and duplicates. This channel makes the grammY adapter's HTTP call shape with Telegram's pacing
// policy; `--rate` sets the global limit (Telegram's real one is 30/s: 100,000 recipients take 56
// minutes; the default 400/s takes about 4.5).
// npm run bench:broadcast [-- --recipients 100000 --rate 400]

import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Channel, SendError } from '../src/core/channel.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const RECIPIENTS = arg('recipients', 100_000);
const RATE = arg('rate', 400);

// The fake Bot API runs in its own process (bench/fake-bot-api.ts): it sees arrivals as a platform would.
const fake = fork(join(import.meta.dirname, 'fake-bot-api.ts'), [], { execArgv: ['--import', 'tsx'] });
const port = await new Promise<number>((resolve) =>
  fake.once('message', (message: unknown) =>
    resolve(typeof message === 'object' && message !== null && 'port' in message ? Number(message.port) : 0),
  ),
);
const sendCalls: number[] = [];
const endpoint = `http://127.0.0.1:${port}/botTEST/sendMessage`;

const telegramLike: Channel = {
  name: 'telegram',
  // Telegram's limits (~30 messages/s overall, 1/s per chat) with the global rate raised for the bench.
  pacing: { globalPerSecond: RATE, privateChatIntervalMs: 1000, groupIntervalMs: 3000 },
  async start() {},
  async stop() {},
  async send(message) {
    sendCalls.push(Date.now());
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: message.chatId, text: message.text }),
    });
    if (!response.ok)
      throw new SendError(`HTTP ${response.status}`, response.status >= 500 ? 'retryable' : 'permanent');
    const json: unknown = await response.json();
    const id =
      typeof json === 'object' && json !== null && 'result' in json && typeof json.result === 'object' && json.result
        ? String('message_id' in json.result ? json.result.message_id : '')
        : '';
    return { externalId: id };
  },
};

const file = join(tmpdir(), `guanxi-bench-broadcast-${process.pid}.db`);
const config = loadConfig({
  DATABASE_URL: `file:${file}`,
  LOG_LEVEL: 'warn',
  SEED_DEMO: 'false',
  QUIET_HOURS: '00:00-00:00',
  CAMPAIGN_WINDOW: String(Math.max(200, RATE * 2)),
  CAMPAIGN_TICK_MS: '250',
  MARKETING_WEEKLY_CAP: '5',
});
const app = await createApp({ config });
try {
  await app.addChannel(telegramLike);
  const at = new Date();
  await app.store.transaction(async (repos) => {
    const ids = Array.from({ length: RECIPIENTS }, (_, i) => i + 1);
    await repos.bulk.customers(ids.map((id) => ({ id, name: `客户${id}`, createdAt: at })));
    await repos.bulk.identities(
      ids.map((id) => ({ customerId: id, channel: 'telegram', externalId: String(1e9 + id), at })),
    );
  });
  const started = Date.now();
  // Twice the ideal duration plus set-up time, so a stuck run fails instead of hanging.
  const deadlineMs = (RECIPIENTS / RATE) * 2000 + 5 * 60_000;
  const campaign = await app.services.campaigns.create(
    {
      name: 'bench',
      audience: { rules: { type: 'channel', channel: 'telegram' } },
      message: { text: '{name}，双十一专享 {tier} 优惠', buttons: [{ label: '去看看', action: 'menu' }] },
      channels: ['telegram'],
    },
    { type: 'system' },
  );
  await app.start();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const progress = await app.services.campaigns.progress(campaign.id);
    if (progress.status === 'completed') break;
    if (Date.now() - started > deadlineMs) throw new Error(`timed out: ${JSON.stringify(progress)}`);
  }
  const progress = await app.services.campaigns.progress(campaign.id);
  const stats: unknown = await (await fetch(`http://127.0.0.1:${port}/stats`)).json();
  const arrivals =
    typeof stats === 'object' && stats !== null && 'arrivals' in stats && Array.isArray(stats.arrivals)
      ? stats.arrivals.map(Number)
      : [];
  const duplicates =
    typeof stats === 'object' && stats !== null && 'duplicates' in stats ? Number(stats.duplicates) : -1;
  const total = arrivals.length;
  const seconds = ((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / 1000;
  const achieved = (total - 1) / seconds;
  console.log(
    `recipients ${RECIPIENTS}, delivered ${total}, duplicates ${duplicates}, progress ${JSON.stringify(progress)}`,
  );
  console.log(
    `configured ${RATE}/s, achieved ${achieved.toFixed(0)}/s (${((achieved / RATE) * 100).toFixed(1)}%) over ${seconds.toFixed(1)} s of sending; ${((Date.now() - started) / 1000).toFixed(1)} s including audience build`,
  );
  // The limit is per second: the most messages in any one-second window, as the sender called the
  // platform and as the fake platform received them.
  console.log(
    `most messages in any one-second window (limit ${RATE}): ${busiestSecond(sendCalls)} sent, ${busiestSecond(arrivals)} received`,
  );
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}`);
} finally {
  await app.stop();
  fake.disconnect();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

function busiestSecond(times: number[]): number {
  let busiest = 0;
  for (let head = 0, tail = 0; head < times.length; head++) {
    while ((times[tail] ?? 0) <= (times[head] ?? 0) - 1000) tail++;
    busiest = Math.max(busiest, head - tail + 1);
  }
  return busiest;
}
