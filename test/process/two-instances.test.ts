// Two real instances (`src/main.ts`, as `npm start` runs it) started together on one empty
// PostgreSQL database: migrations and demo seeding happen once, a new visitor's first messages
// arriving at both at once give one customer and one conversation and never a 5xx, and a reply
// handled on instance A reaches a webchat stream connected to instance B (LISTEN/NOTIFY), and a due
// job (the SLA monitor, scheduled on both every minute) and a running campaign (ticking on both)
// are carried out by exactly one of them: one breach audit row, one message per recipient.
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
      SHOP_HOURS: '00:00-23:59',
      // Both instances run every scheduled job (the SLA monitor each minute) and tick campaigns.
      JOBS_ENABLED: 'true',
      CAMPAIGN_TICK_MS: '100',
      MARKETING_CONSENT_DEFAULT: 'webchat',
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

  it('a due SLA breach is handled by exactly one instance: one audit row, one event', async () => {
    const [a] = PORTS;
    expect(await say(a, 'sla-1', '你好', 'sla-1-0')).toBe(200);
    expect(await say(a, 'sla-1', '人工', 'sla-1-1')).toBe(200);
    const [identity] = await query<{ customerId: number }>(
      `SELECT "customerId" FROM "Identity" WHERE "channel" = 'webchat' AND "externalId" = 'sla-1'`,
    );
    // The first response was due a minute ago: the next tick of the monitor (on both, each minute) breaches it.
    const due = await query<{ id: number }>(
      `UPDATE "Conversation" SET "firstResponseDueAt" = now() - interval '1 minute', "firstResponseAt" = NULL
       WHERE "customerId" = $1 AND "status" IN ('pending', 'open') RETURNING "id"`,
      [identity?.customerId],
    );
    expect(due).toHaveLength(1);
    const conversationId = due[0]?.id;
    const breaches = () =>
      query<{ n: string }>(
        `SELECT count(*) AS n FROM "AuditEntry" WHERE "action" = 'conversation.sla_breach' AND "entityId" = $1`,
        [String(conversationId)],
      );
    await until(async () => Number((await breaches())[0]?.n) > 0, 'the SLA breach');
    // Both instances ran the same minute's tick; give the slower one time to finish before counting.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(Number((await breaches())[0]?.n)).toBe(1);
    const events = await query(
      `SELECT "id" FROM "Interaction" WHERE "conversationId" = $1 AND "kind" = 'event' AND "text" = 'sla breach'`,
      [conversationId],
    );
    expect(events).toHaveLength(1);
  }, 150_000);

  it('a running campaign is sent by exactly one instance: one message per recipient, one audit row', async () => {
    const [a, b] = PORTS;
    const visitors = Array.from({ length: 30 }, (_, i) => `camp-${i}`);
    for (const [i, visitor] of visitors.entries())
      expect(await say(i % 2 ? b : a, visitor, '你好', `${visitor}-0`)).toBe(200);
    const created = await fetch(url(a, '/api/campaigns'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer two-instances-admin-token-0123' },
      body: JSON.stringify({
        name: 'two instances',
        audience: { rules: { type: 'channel', channel: 'webchat' } },
        message: { text: '双十二专享优惠' },
        channels: ['webchat'],
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    await until(async () => {
      const [campaign] = await query<{ status: string }>('SELECT "status" FROM "Campaign" WHERE "id" = $1', [id]);
      return campaign?.status === 'completed';
    }, 'the campaign to complete');
    const perRecipient = await query<{ chat: string; n: string }>(
      `SELECT "chatExternalId" AS chat, count(*) AS n FROM "OutboxMessage"
       WHERE "purpose" = 'campaign' AND "text" LIKE '%双十二专享优惠%' GROUP BY "chatExternalId"`,
    );
    const recipients = perRecipient.map((row) => row.chat);
    for (const visitor of visitors) expect(recipients).toContain(visitor);
    expect(perRecipient.filter((row) => Number(row.n) !== 1)).toEqual([]);
    const deliveries = await query<{ n: string }>(
      `SELECT count(*) AS n FROM "Delivery" WHERE "campaignId" = $1 GROUP BY "customerId" HAVING count(*) > 1`,
      [id],
    );
    expect(deliveries).toEqual([]);
    const audits = await query(`SELECT "id" FROM "AuditEntry" WHERE "entityType" = 'campaign' AND "entityId" = $1`, [
      String(id),
    ]);
    expect(audits.length).toBeGreaterThan(0);
    const actions = await query<{ action: string; n: string }>(
      `SELECT "action", count(*) AS n FROM "AuditEntry" WHERE "entityType" = 'campaign' AND "entityId" = $1 GROUP BY "action"`,
      [String(id)],
    );
    expect(actions.filter((row) => Number(row.n) !== 1)).toEqual([]);
  }, 120_000);
});
