// The HTTP contract table of docs/architecture.md (§7) against the routes the app really serves: every
// served route has a row and every row a route, and the "who" column holds — a row for staff or
// admins refuses a request without a token, an admin row refuses an agent. Routes do not depend on the
// database provider, so this runs on SQLite only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomCallbackEndpoint } from '../../adapters/wecom/endpoint.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { addStaff } from '../helpers/staff.ts';

const DOC = 'docs/architecture.md';
const docPath = join(import.meta.dirname, '../..', DOC);

/** Who may call a route, as the table's third column says it. */
const whoValues = ['anyone', 'visitor', 'platform', 'staff', 'staff account', 'admin'] as const;
type Who = (typeof whoValues)[number];
const isWho = (value: string): value is Who => (whoValues as readonly string[]).includes(value);

/** The Telegram webhook's path comes from TELEGRAM_WEBHOOK_URL; the table names it by this placeholder. */
const WEBHOOK_PLACEHOLDER = '<TELEGRAM_WEBHOOK_URL path>';
const WEBHOOK_PATH = '/telegram/webhook';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof methods)[number];
const isMethod = (value: string): value is Method => (methods as readonly string[]).includes(value);

interface Row {
  method: Method;
  path: string;
  who: string;
  /** The answer is a server-sent event stream (it never ends, so the who check stops at the door). */
  stream: boolean;
}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** The rows of the contract table: `| \`METHOD\` | \`path\` | who | body | answer |` (`\\|` inside a cell). */
function documentedRoutes(markdown: string): Row[] {
  const section = /\n## 7\. HTTP contract[^\n]*\n([\s\S]*?)(?=\n## )/.exec(markdown)?.[1] ?? '';
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const method = /^`([A-Z]+)`$/.exec(cells[1] ?? '')?.[1];
    const path = /^`([^`]+)`$/.exec(cells[2] ?? '')?.[1];
    if (cells.length !== 7 || !method || !isMethod(method) || !path) continue;
    rows.push({
      method,
      path: path === WEBHOOK_PLACEHOLDER ? WEBHOOK_PATH : path,
      who: cells[3] ?? '',
      stream: (cells[5] ?? '').startsWith('SSE'),
    });
  }
  return rows;
}

/**
 * Every method + path Fastify serves, read from `printRoutes()`: the router's radix tree, one node a
 * line (`<indent>├── <segment> (<METHODS>)`, methods only where a route ends), each segment continuing
 * its parent's path. HEAD is left out (Fastify adds it to every GET).
 */
function servedRoutes(tree: string): Set<string> {
  const served = new Set<string>();
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match || match[1] === undefined || match[2] === undefined) continue;
    const depth = match[1].length / 4;
    // With routes that do not start with "/" (a CORS plugin's `OPTIONS *`) the tree gets an empty root.
    const segment = match[2] === '(empty root node)' ? '' : match[2];
    const path = (depth > 0 ? (paths[depth - 1] ?? '') : '') + segment;
    paths[depth] = path;
    paths.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD') served.add(`${method} ${path}`);
    }
  }
  return served;
}

/** A concrete URL for a route pattern: every parameter and wildcard becomes a harmless value. */
const sampleUrl = (path: string) => path.replace(/:[A-Za-z]+/g, '1').replace(/\*/g, 'x');

describe('HTTP contract table (docs/architecture.md §7)', () => {
  let t: TestApp;
  let rows: Row[];
  beforeAll(async () => {
    t = await createTestApp({
      beforeStart: async (app) => {
        // What main.ts mounts when TELEGRAM_WEBHOOK_URL is set, through the same port.
        app.ports.adapter.webhooks.mount({
          path: WEBHOOK_PATH,
          secretHeader: { name: 'X-Telegram-Bot-Api-Secret-Token', value: 'contract-test-secret' },
          receive: async () => undefined,
        });
        // What main.ts mounts when WECOM_CORP_ID is set (no receiver here: every request is refused).
        app.ports.adapter.webhooks.mountSigned(new WecomCallbackEndpoint('/wecom/callback'));
      },
    });
    rows = documentedRoutes(readFileSync(docPath, 'utf8'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every served route, and only those', () => {
    const served = servedRoutes(t.app.http.printRoutes());
    expect(served.size, 'no routes read from printRoutes: has its format changed?').toBeGreaterThan(50);
    const documented = new Set(rows.map(key));
    const missing = [...served].filter((route) => !documented.has(route)).sort();
    const stale = [...documented].filter((route) => !served.has(route)).sort();
    const problems = [
      ...(missing.length
        ? [
            `Served but not in ${DOC} §7 — add these rows (fill in who/body/answer):`,
            ...missing.map((route) => {
              const [method, path] = route.split(' ');
              return `| \`${method}\` | \`${path}\` | <${whoValues.join(' / ')}> | <body> | <answer> |`;
            }),
          ]
        : []),
      ...(stale.length ? [`In ${DOC} §7 but not served — remove or correct these rows:`, ...stale] : []),
    ];
    expect(problems.join('\n'), problems.join('\n')).toBe('');
  });

  it('has one row per route, each saying who may call it', () => {
    const seen = new Set<string>();
    const duplicated = rows.filter((row) => seen.size === seen.add(key(row)).size).map(key);
    expect(duplicated, 'rows listed twice').toEqual([]);
    const unknownWho = rows.filter((row) => !isWho(row.who)).map((row) => `${key(row)}: "${row.who}"`);
    expect(unknownWho, `who must be one of: ${whoValues.join(', ')}`).toEqual([]);
  });

  it('refuses a request without credentials on every staff, admin and webhook route', async () => {
    const guarded = rows.filter((row) => ['staff', 'staff account', 'admin', 'platform'].includes(row.who));
    expect(guarded.length).toBeGreaterThan(40);
    const answers = await Promise.all(
      guarded.map(async (row) => {
        const response = await t.app.http.inject({
          method: row.method,
          url: sampleUrl(row.path),
        });
        return `${key(row)} → ${response.statusCode}`;
      }),
    );
    expect(answers).toEqual(guarded.map((row) => `${key(row)} → 401`));
  });

  it('refuses an agent on every admin route and lets one through on every staff route', async () => {
    await addStaff(t, 'contract-agent');
    const login = await t.app.http.inject({
      method: 'POST',
      url: '/api/console/login',
      payload: { username: 'contract-agent', password: 'contract-agent-password' },
    });
    const { token } = login.json<{ token: string }>();
    // Past the door an agent meets the route's own answer for a made-up record or body (404, 400…).
    const checked = rows.filter((row) => row.who === 'admin' || (row.who === 'staff' && !row.stream));
    const answers = await Promise.all(
      checked.map(async (row) => {
        const response = await t.app.http.inject({
          method: row.method,
          url: sampleUrl(row.path),
          headers: { authorization: `Bearer ${token}` },
        });
        const refused = response.statusCode === 401 || response.statusCode === 403;
        return `${key(row)} → ${refused ? response.statusCode : 'let through'}`;
      }),
    );
    expect(answers).toEqual(checked.map((row) => `${key(row)} → ${row.who === 'admin' ? 403 : 'let through'}`));
  });
});
