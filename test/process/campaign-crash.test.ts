// kill -9 in the middle of a 10,000-recipient campaign, restart, and check that nobody got the
// message twice and everyone not marked `unknown` got it exactly once. Real processes, real SQLite.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { createTestDatabase } from '../helpers/databases.ts';

const RECIPIENTS = 10_000;
const script = join(import.meta.dirname, '..', 'fixtures', 'campaign-process.ts');
const db = await createTestDatabase('sqlite');
const sink = `${db.database.provider === 'sqlite' ? db.database.file : ''}.sink`;

const children: ChildProcess[] = [];
afterAll(async () => {
  // A failed assertion must not leave a child process behind.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await db.drop();
  rmSync(sink, { force: true });
});

function run(mode: 'seed' | 'resume'): { child: ChildProcess; exited: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, sink, String(RECIPIENTS)], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.database.url,
      ADMIN_TOKEN: 'crash-test-admin-token-0123',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      QUIET_HOURS: '00:00-00:00',
      CAMPAIGN_TICK_MS: '200',
      CAMPAIGN_WINDOW: '400',
      OUTBOX_LEASE_MS: '1000',
      MARKETING_WEEKLY_CAP: '5',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
  return { child, exited };
}

const sunk = () => (existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean) : []);

it('kill -9 mid-campaign, restart: no duplicates, every recipient not marked unknown got exactly one', async () => {
  const first = run('seed');
  for (let i = 0; i < 6000 && sunk().length < 1000; i++) await new Promise((r) => setTimeout(r, 50));
  const before = sunk().length;
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(RECIPIENTS);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = run('resume');
  const { code, out } = await second.exited;
  expect(code).toBe(0);

  const lines = sunk();
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  expect([...counts.values()].filter((n) => n > 1)).toEqual([]);

  const store = await openStore(db.database, { migrate: false });
  try {
    const deliveries = [];
    for (let after = 0; ; ) {
      const page = await store.repos.campaigns.deliveries(1, { take: 5000, afterId: after });
      if (page.length === 0) break;
      deliveries.push(...page);
      after = page[page.length - 1]?.id ?? after;
    }
    expect(deliveries).toHaveLength(RECIPIENTS);
    const byStatus = new Map<string, number>();
    for (const d of deliveries) {
      byStatus.set(d.status, (byStatus.get(d.status) ?? 0) + 1);
      const received = counts.get(d.target) ?? 0;
      if (d.status === 'sent') expect(received, d.target).toBe(1);
      else if (d.status === 'unknown') expect(received).toBeLessThanOrEqual(1);
      else expect.fail(`delivery ${d.id} ended ${d.status}`);
    }
    // The crash can leave at most what the sender held: the tail of one batch (8), the sends in
    // flight (8) and the next batch claimed ahead (25). Those are unknown, never re-sent.
    expect(byStatus.get('unknown') ?? 0).toBeLessThanOrEqual(8 + 8 + 25);
    expect(JSON.parse(out.trim())).toMatchObject({ status: 'completed', total: RECIPIENTS, queued: 0, sending: 0 });
  } finally {
    await store.close();
  }
}, 400_000);
