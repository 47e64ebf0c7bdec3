// What the benchmarks share: the support-desk message mix, typed and pressed (bench:pipeline,
// bench:telegram), and a PostgreSQL database emptied to a known start (bench:pipeline, bench:loyalty).
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';

// A support-desk mix, weighted like a shop's chat traffic (per 100 messages, as measured over 10,000):
// 30 menus and commands (2 of them button presses), 29 pre-sale questions answered from the
// catalogue, 21 order look-ups (13 by button), 8 loyalty, 8 after-sale, 2 language switches and
// 2 profile edits (a transaction with an audit entry each).
const chatMix = [
  ...Array<string>(10).fill('菜单'),
  ...Array<string>(9).fill('/start'),
  ...Array<string>(9).fill('help'),
  ...Array<string>(10).fill('包邮吗'),
  ...Array<string>(10).fill('多久能到'),
  ...Array<string>(10).fill('纯棉T恤有M码吗'),
  ...Array<string>(8).fill('我的订单'),
  ...Array<string>(8).fill('积分'),
  ...Array<string>(8).fill('怎么退货'),
  'English',
  '中文',
];

/** The i-th message of the mix: a typed text, or a pressed button (its label and data). */
export function chatTurn(i: number): { text: string; action?: string } {
  const slot = i % 100;
  if (slot === 3) return { text: '✏️ 修改姓名', action: 'profile:name' };
  if (slot === 4) return { text: `测试用户${i}` };
  if (slot === 5 || slot === 55) return { text: '🏠 菜单', action: 'menu' };
  if (slot % 8 === 1) return { text: '📦 我的订单', action: 'orders' };
  return { text: chatMix[(i * 37) % chatMix.length] ?? '菜单' };
}

/** Migrates the PostgreSQL database and empties every table (the bench needs a known start). */
export async function emptyPostgres(url: string): Promise<void> {
  await migrate({ provider: 'postgresql', url, poolSize: 1 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND left(tablename, 1) <> '_'`,
    );
    if (rows.length > 0)
      await client.query(`TRUNCATE ${rows.map((r) => `"${r.name}"`).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}
