// Two real instances (`src/main.ts`, as `npm start` runs it) started together on one empty
// PostgreSQL database: migrations and demo seeding happen once, a new visitor's first messages
// arriving at both at once give one customer and one conversation and never a 5xx, and a reply
// handled on instance A reaches a webchat stream connected to instance B (LISTEN/NOTIFY).
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFaqs } from '../../src/demo/data.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/databases.ts';

const main = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
const PORTS = [39_411, 39_412] as const;
const children: ChildProcess[] = [];
let db: TestDatabase | undefined;

function start(port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db?.database.url ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_TOKEN: 'two-instances-admin-token-0123',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'true',
      QUIET_HOURS: '00:00-00:00',
      JOBS_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function until(ready: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const url = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;
const secretOf = (visitorId: string) => `two-instances-${visitorId}`.padEnd(16, '_');

async function say(port: number, visitorId: string, text: string, messageId: string) {
  const response = await fetch(url(port, '/api/webchat/messages'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-visitor-secret': secretOf(visitorId) },
    body: JSON.stringify({ visitorId, text, messageId }),
  });
  return response.status;
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db?.database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!(await postgresAvailable()))('two instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    db = await createTestDatabase('postgresql', { empty: true });
    for (const port of PORTS) start(port);
    for (const port of PORTS) await until(async () => (await fetch(url(port, '/healthz'))).ok, `instance :${port}`);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve(),
      ),
    );
    await db?.drop();
  });

  it('starting together on an empty database: both run, the demo shop is seeded once', async () => {
    expect(children.map((child) => child.exitCode)).toEqual([null, null]);
    const [faqs] = await query<{ n: string }>('SELECT count(*) AS n FROM "Faq"');
    expect(Number(faqs?.n)).toBe(demoFaqs.length);
  });

  it("a new visitor's first messages at both instances at once: one customer, one conversation, no 5xx", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => say(PORTS[i % 2] ?? PORTS[0], 'race-1', `你好 ${i}`, `race-1-${i}`)),
    );
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const identities = await query<{ customerId: number }>(
      `SELECT "customerId" FROM "Identity" WHERE "channel" = 'webchat' AND "externalId" = 'race-1'`,
    );
    expect(identities).toHaveLength(1);
    const conversations = await query('SELECT "id" FROM "Conversation" WHERE "customerId" = $1', [
      identities[0]?.customerId,
    ]);
    expect(conversations).toHaveLength(1);
    const logged = await query(`SELECT "id" FROM "Interaction" WHERE "customerId" = $1 AND "direction" = 'in'`, [
      identities[0]?.customerId,
    ]);
    expect(logged).toHaveLength(16);
  });

  it('a reply handled on instance A reaches a webchat stream connected to instance B', async () => {
    const [a, b] = PORTS;
    // The visitor's first message binds its secret; the stream on B is opened with a ticket from B.
    expect(await say(a, 'live-1', '你好', 'live-1-first')).toBe(200);
    const issued = await fetch(url(b, '/api/webchat/live-1/stream-ticket'), {
      method: 'POST',
      headers: { 'x-visitor-secret': secretOf('live-1') },
    });
    expect(issued.status).toBe(200);
    const { ticket } = (await issued.json()) as { ticket: string };
    const after = (
      (await (
        await fetch(url(b, '/api/webchat/live-1/messages'), { headers: { 'x-visitor-secret': secretOf('live-1') } })
      ).json()) as { cursor: string }
    ).cursor;
    const received = new Promise<string>((resolve, reject) => {
      const path = `/api/webchat/live-1/stream?ticket=${ticket}&after=${encodeURIComponent(after)}`;
      const stream = request(url(b, path), (response) => {
        let buffer = '';
        response.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const data = buffer.split('\n').find((line) => line.startsWith('data: '));
          if (data) {
            resolve(data);
            stream.destroy();
          }
        });
      });
      stream.on('error', reject);
      stream.end();
    });
    // The stream is open (its first read is empty) before the message is sent.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await say(a, 'live-1', '人工', 'live-1-0')).toBe(200);
    expect(await received).toContain('"text"');
  }, 60_000);
});
