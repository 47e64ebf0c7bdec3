// Hostile input against every route Fastify knows (collected from its route table, so a new route is
// attacked without being listed here): valid bodies with one field replaced by something nasty,
// random JSON, prototype keys, deep nesting, NUL bytes and lone surrogates in bodies and paths, each
// with the admin token and without. Nothing may answer ≥ 500, and a rejected request writes nothing.
// The random choices come from a fixed seed, so a failure repeats.
import BetterSqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { routeTable } from '../../src/http/route-table.ts';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachProvider, type TestDatabase } from '../helpers/databases.ts';

/** mulberry32: small, fast and the same on every machine. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Random = ReturnType<typeof seeded>;

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { deeper: value };
  return value;
}

/** Values that have broken servers before: wrong types, extremes, NUL, broken Unicode, deep trees. */
const hostile: readonly unknown[] = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'tail\udc00',
  'x'.repeat(100_000),
  '',
  '   ',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '１２３',
  '9'.repeat(40),
  '2026-13-45T99:99:99Z',
  '😀'.repeat(50),
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  null,
  [],
  {},
  ['a\u0000'],
  { a: 'b\u0000' },
  nested(40),
  nested(6),
  Array.from({ length: 2000 }, (_, i) => i),
];

/** Bodies that the routes accept, so one bad field gets past the first checks. */
const validBodies: Record<string, unknown> = {
  'POST /api/webchat/messages': { visitorId: 'fz-visitor', text: '你好', messageId: 'fz-m1' },
  'POST /api/console/login': { username: 'fz-admin', password: 'fz-admin-password' },
  'PUT /api/products/:sku': { name: '乌龙茶', price: 3900, stock: 12, category: '茶', attributes: { 产地: '福建' } },
  'POST /api/orders': {
    orderNo: 'FZ-1',
    customer: { channel: 'webchat', externalId: 'fz-visitor', name: '王芳', phone: '13800138000' },
    items: [{ sku: 'FZ-TEA', name: '乌龙茶', qty: 1, price: 3900 }],
    total: 3900,
    status: 'paid',
  },
  'PATCH /api/orders/:orderNo': { status: 'shipped', carrier: 'SF', trackingNo: 'SF123' },
  'POST /api/faqs': { question: '多久发货？', answer: '48小时内', keywords: ['发货'] },
  'POST /api/segments': { name: 'fz-segment', rules: { type: 'tag', tag: 'vip' } },
  'PUT /api/segments/:id': { name: 'fz-segment-2', rules: { type: 'and', rules: [{ type: 'tag', tag: 'vip' }] } },
  'POST /api/segments/preview': { rules: { type: 'not', rule: { type: 'tier', in: ['gold'] } }, sample: 3 },
  'POST /api/campaigns': {
    name: 'fz-campaign',
    audience: { rules: { type: 'consent', optIn: true } },
    message: { text: 'hello {name}' },
    channels: ['webchat'],
    draft: true,
  },
  'PUT /api/campaigns/:id': {
    name: 'fz-campaign-2',
    audience: { rules: { type: 'consent', optIn: true } },
    message: { text: 'hello again {name}', buttons: [{ label: 'menu', action: 'menu' }] },
    channels: ['webchat'],
    draft: true,
  },
  'POST /api/rewards': { name: 'fz-reward', kind: 'coupon', cost: 100, stock: 5 },
  'PATCH /api/rewards/:id': { cost: 200 },
  'POST /api/rewards/:id/codes': { codes: ['FZ-CODE-1', 'FZ-CODE-2'] },
  'POST /api/console/staff': { username: 'fz-agent', name: 'FZ', password: 'fz-agent-password', role: 'agent' },
  'PATCH /api/console/staff/:id': { name: 'FZ 2' },
  'PATCH /api/customers/:id': { name: '李雷', phone: '13900139000' },
  'POST /api/customers/:id/tags': { tag: 'vip' },
  'POST /api/customers/:id/notes': { text: '喜欢乌龙' },
  'POST /api/customers/:id/merge': { mergeId: 2 },
  'POST /api/customers/:id/points/adjust': { amount: 10, reason: '补偿积分' },
  'POST /api/console/conversations/:id/reply': { text: '您好' },
  'POST /api/console/conversations/:id/notes': { text: 'note' },
  'PUT /api/console/canned/:shortcut': { text: '您好，请稍等' },
  'PATCH /api/cases/:caseNo': { status: 'resolved' },
  'POST /api/cases/:caseNo/notes': { text: 'checked' },
  'PUT /api/synonyms/:term': { synonyms: ['乌龙'] },
  'POST /api/analytics/win-back': { customerIds: [1], text: '回来看看', channels: ['webchat'] },
};

const paramValues: Record<string, readonly string[]> = {
  id: ['1', '2'],
  sku: ['FZ-TEA'],
  orderNo: ['FZ-1'],
  visitorId: ['fz-visitor'],
  caseNo: ['AS-1'],
  term: ['乌龙'],
  shortcut: ['hi'],
  key: ['welcome'],
  tag: ['vip'],
  '*': ['index.html'],
};
const hostileParams = [
  'a%00b',
  '%ED%A0%80',
  '%F0%9F',
  '%uD800',
  '-1',
  '0',
  '1.5',
  '99999999999999999999999',
  'x'.repeat(3000),
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
  '%27%20OR%201%3D1',
];

/** Fills `:name` and `*` with known or hostile values. */
function urlFor(pattern: string, random: Random, hostileChance: number): string {
  return pattern.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
    const known = paramValues[name ?? whole] ?? ['x'];
    return random.next() < hostileChance ? random.pick(hostileParams) : encodeURIComponent(random.pick(known));
  });
}

/** A copy of `body` with one randomly chosen member (at any depth) replaced by a hostile value. */
function mutate(body: unknown, random: Random): unknown {
  if (typeof body !== 'object' || body === null) return random.pick(hostile);
  const copy: unknown = structuredClone(body);
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        slots.push({ parent: value, key: index });
        walk(item);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        slots.push({ parent: value as Record<string, unknown>, key });
        walk(item);
      }
    }
  };
  walk(copy);
  const slot = random.pick(slots);
  if (Array.isArray(slot.parent)) slot.parent[Number(slot.key)] = random.pick(hostile);
  else slot.parent[String(slot.key)] = random.pick(hostile);
  return copy;
}

/** Random JSON of modest size. */
function randomJson(random: Random, depth = 0): unknown {
  const roll = random.int(depth > 3 ? 5 : 8);
  if (roll === 0) return random.pick(hostile);
  if (roll === 1) return random.int(1_000_000) - 500_000;
  if (roll === 2) return random.next().toString(36);
  if (roll === 3) return random.next() < 0.5;
  if (roll === 4) return null;
  if (roll === 5) return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
  const keys = ['name', 'text', 'id', 'rules', 'type', 'status', 'amount', 'visitorId', random.next().toString(36)];
  return Object.fromEntries(
    Array.from({ length: random.int(5) }, () => [random.pick(keys), randomJson(random, depth + 1)]),
  );
}

/** Raw JSON texts that no object literal can express. */
const rawBodies = [
  '{"__proto__":{"isAdmin":true},"name":"x"}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"text":"a\\u0000b","visitorId":"fz-visitor"}',
  '{"visitorId":"fz-visitor","text":"\\ud800"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '{"name":',
  '[]',
  '"just a string"',
  '12',
  'null',
];

/** Tables a rejected request must leave alone. */
const keyTables = [
  'Customer',
  'Identity',
  'CustomerTag',
  'CustomerNote',
  'Product',
  'Faq',
  'Synonym',
  'Order',
  'OrderItem',
  'Case',
  'CaseNote',
  'PointsEntry',
  'Reward',
  'RewardCode',
  'Segment',
  'Campaign',
  'Staff',
  'CannedReply',
  'AuditEntry',
];
const countSql = `SELECT ${keyTables.map((table) => `(SELECT count(*) FROM "${table}") AS "${table}"`).join(', ')}`;

async function rowCounter(database: TestDatabase['database']) {
  if (database.provider === 'sqlite') {
    const db = new BetterSqlite(database.file, { readonly: true });
    const statement = db.prepare(countSql);
    return { count: async () => JSON.stringify(statement.get()), close: async () => db.close() };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    count: async () => JSON.stringify((await client.query(countSql)).rows[0]),
    close: () => client.end(),
  };
}

/** Refusals that are recorded on purpose: a failed login is audited (and counted for the lockout). */
const recordsRefusals = new Set(['POST /api/console/login']);

/** Streams never end on their own: only requests refused before streaming are sent to them. */
const streams = /\/(events|stream)$/;

describeEachProvider('fuzz: hostile input to every route', (provider) => {
  let t: TestApp;
  let counter: Awaited<ReturnType<typeof rowCounter>>;

  beforeAll(async () => {
    t = await createTestApp({ provider });
    counter = await rowCounter(t.database.database);
    // Something for the known ids, SKUs and order numbers to point at.
    await t.app.services.staff.create(
      { username: 'fz-admin', name: 'FZ Admin', role: 'admin', password: 'fz-admin-password' },
      { type: 'system' },
    );
    await t.say('fz-visitor', '你好');
    await t.say('fz-other', '转人工');
    for (const [key, body] of Object.entries(validBodies)) {
      if (!key.startsWith('P') || key.includes(':id') || key.includes('login') || key.includes('webchat')) continue;
      const [method, pattern] = key.split(' ') as ['POST' | 'PUT' | 'PATCH', string];
      await t.admin(method, urlFor(pattern, seeded(1), 0), body);
    }
  }, 120_000);
  afterAll(async () => {
    await counter?.close();
    await t?.close();
  });

  it('no route answers ≥ 500 and no rejected request writes', { timeout: 180_000 }, async () => {
    const random = seeded(20261207);
    const routes = routeTable(t.app.http).filter((route) => route.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(60);
    const failures: string[] = [];
    let sent = 0;
    const started = Date.now();

    let route = { method: '', url: '' };
    // Row counts after the last request that may have written; refreshed lazily, so a refused request
    // costs one count query (PostgreSQL runs are dominated by these).
    let known = await counter.count();
    let stale = false;
    const send = async (method: string, url: string, payload: string | undefined, auth: boolean, what: string) => {
      if (process.env.FUZZ_TRACE) console.error(method, url.slice(0, 100), what.slice(0, 60));
      const checked = method !== 'GET' && method !== 'HEAD' && !recordsRefusals.has(`${route.method} ${route.url}`);
      if (checked && stale) {
        known = await counter.count();
        stale = false;
      }
      const response = await t.app.http.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(auth ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload }),
      });
      sent++;
      const where = `${method} ${url.slice(0, 120)} [${auth ? 'admin' : 'anonymous'}] ${what}`;
      if (response.statusCode >= 500) failures.push(`${where} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (!checked || response.statusCode < 400) stale = true;
      else if ((await counter.count()) !== known) {
        failures.push(`${where} → ${response.statusCode} but rows changed`);
        stale = true;
      }
    };

    for (route of routes) {
      const key = `${route.method} ${route.url}`;
      const template = validBodies[key] ?? validBodies[`POST ${route.url}`];
      const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
      if (streams.test(route.url)) {
        if (!route.url.includes(':')) await send(route.method, route.url, undefined, false, 'stream');
        else
          for (const auth of [true, false])
            await send(route.method, route.url.replace(/:(\w+)/g, 'a%00b'), undefined, auth, 'stream');
        continue;
      }
      const cases: { payload: string | undefined; what: string; hostileChance: number }[] = [];
      for (let i = 0; i < 3; i++) cases.push({ payload: undefined, what: 'params', hostileChance: 0.7 });
      if (hasBody) {
        if (template) {
          cases.push({ payload: JSON.stringify(template), what: 'valid', hostileChance: 0 });
          cases.push({ payload: JSON.stringify(template), what: 'valid again', hostileChance: 0 });
          for (let i = 0; i < 8; i++) {
            const body = mutate(template, random);
            cases.push({
              payload: JSON.stringify(body),
              what: `mutated ${JSON.stringify(body).slice(0, 80)}`,
              hostileChance: 0.1,
            });
          }
        }
        for (let i = 0; i < 3; i++) {
          const body = randomJson(random);
          cases.push({
            payload: JSON.stringify(body),
            what: `random ${JSON.stringify(body)?.slice(0, 80)}`,
            hostileChance: 0.2,
          });
        }
        for (let i = 0; i < 2; i++) {
          const raw = random.pick(rawBodies);
          cases.push({ payload: raw, what: `raw ${raw.slice(0, 40)}`, hostileChance: 0 });
        }
      } else {
        // Query strings get the same treatment as bodies.
        for (let i = 0; i < 3; i++) {
          const value = random.pick(hostileParams);
          cases.push({ payload: undefined, what: `query ${value}`, hostileChance: 0 });
        }
      }
      for (const test of cases) {
        let url = urlFor(route.url, random, test.hostileChance);
        if (test.what.startsWith('query')) {
          const value = test.what.slice('query '.length);
          url += `?q=${value}&after=${value}&take=${value}&status=${value}&from=${value}`;
        }
        await send(route.method, url, test.payload, true, test.what);
      }
      // Without credentials: every body once more, and the valid one (refused unless public).
      await send(
        route.method,
        urlFor(route.url, random, 0),
        hasBody ? JSON.stringify(template ?? {}) : undefined,
        false,
        'valid',
      );
      await send(
        route.method,
        urlFor(route.url, random, 0.5),
        hasBody ? random.pick(rawBodies) : undefined,
        false,
        'raw',
      );
    }
    if (process.env.FUZZ_TRACE) console.error(`${sent} requests in ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  });
});
