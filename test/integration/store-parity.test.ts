// Parity: the same message script through the whole pipeline (webchat over HTTP, demo shop, outbox
// sender) on SQLite and on PostgreSQL must leave the same rows, ids and times included, in every
// table the conversation touches. A difference means the dialects' implementations disagree (or a
// time came from the database's clock instead of the app's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { ManualClock, MINUTE } from '../../src/kernel/clock.ts';
import { createTestApp } from '../helpers/app.ts';
import { type Provider, postgresAvailable } from '../helpers/databases.ts';
import { type PlainRow, tableRows } from '../helpers/rows.ts';

const TABLES = [
  'Customer',
  'Identity',
  'CustomerTag',
  'Chat',
  'ChatMember',
  'Conversation',
  'Interaction',
  'ProcessedMessage',
  'OutboxMessage',
  'Case',
  'AuditEntry',
  'PointsEntry',
] as const;

/** Per visitor, in order: what a shop's chat looks like (menus, questions, orders, points, a hand-off). */
const SCRIPT: Array<[visitor: string, text: string, action?: string]> = [
  ['v1', '/start'],
  ['v2', '你好'],
  ['v1', '包邮吗'],
  ['v1', '纯棉圆领T恤有M码吗'],
  ['v2', '牛仔裤多少钱'],
  ['v2', '菜单'],
  ['v2', '📦 我的订单', 'orders'],
  ['v1', '积分'],
  ['v2', '怎么退货'],
  ['v1', 'English'],
  ['v1', 'help'],
  ['v2', '✏️ 修改姓名', 'profile:name'],
  ['v2', '王小明'],
  ['v1', 'asdkjh qwe'],
  ['v1', '人工'],
  ['v1', 'still there?'],
];

/**
 * What may differ: the claim token is random per claim (whether a row was claimed is what matters);
 * Customer.updatedAt is stamped by the ORM's @updatedAt from the wall clock on service updates,
 * the same code on both dialects.
 */
function comparable(row: PlainRow): PlainRow {
  const copy = { ...row };
  if ('claimedBy' in copy) copy.claimedBy = copy.claimedBy === null ? null : 'claimed';
  if ('pointsBalance' in copy && 'updatedAt' in copy) copy.updatedAt = 'wall clock';
  return copy;
}

/** Runs the script on a fresh database of `provider`; returns every touched table's rows. */
async function run(provider: Provider): Promise<Record<string, PlainRow[]>> {
  const clock = new ManualClock('2026-03-02T04:00:00Z');
  const t = await createTestApp({
    provider,
    clock,
    beforeStart: async (app) => {
      await seedDemo(app.services, app.clock);
    },
  });
  try {
    for (const [n, [visitorId, text, action]] of SCRIPT.entries()) {
      clock.advance(MINUTE);
      const response = await t.app.http.inject({
        method: 'POST',
        url: '/api/webchat/messages',
        payload: { visitorId, text, messageId: `m${n}`, ...(action ? { action } : {}) },
        headers: { 'x-visitor-secret': `parity-secret-${visitorId}`.padEnd(16, '_') },
      });
      expect(response.statusCode).toBe(200);
    }
    await t.app.sender.drainChannel('webchat');
    const tables: Record<string, PlainRow[]> = {};
    for (const table of TABLES) {
      const rows = await tableRows(t.database.database, table, '1');
      tables[table] = rows.map(comparable).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    return tables;
  } finally {
    await t.close();
  }
}

describe.skipIf(!(await postgresAvailable()))('store parity: SQLite and PostgreSQL', () => {
  let sqlite: Record<string, PlainRow[]>;
  let postgres: Record<string, PlainRow[]>;

  beforeAll(async () => {
    sqlite = await run('sqlite');
    postgres = await run('postgresql');
  }, 120_000);
  afterAll(() => {});

  it('the script touched every kind of row it should (the comparison is not vacuous)', () => {
    for (const table of ['Customer', 'Conversation', 'Interaction', 'OutboxMessage', 'CustomerTag', 'ProcessedMessage'])
      expect(sqlite[table]?.length, table).toBeGreaterThan(0);
  });

  for (const table of TABLES) {
    it(`${table}: the same rows on both`, () => {
      expect(postgres[table]).toEqual(sqlite[table]);
    });
  }
});
