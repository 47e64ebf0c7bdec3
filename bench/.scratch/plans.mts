import { PgPipelineStore } from '../../src/db/pg-fast/pipeline-store.ts';
import { openPool } from '../../src/db/pg-fast/pool.ts';

const pool = openPool('postgresql://postgres@127.0.0.1:5432/bench_pgfast', 1);
const store = new PgPipelineStore(pool);
const t0 = Date.now();
for (let i = 0; i < 2000; i++) {
  const r = await store.receive({
    channel: 'webchat',
    messageId: `plan-${t0}-${i}`,
    at: new Date(),
    sender: { externalId: `bench-${i % 200}` },
    chat: { externalId: `bench-${i % 200}`, kind: 'private' },
    addressed: true,
    interaction: { kind: 'message', text: 'hi', payload: { messageId: 'x' } },
  } as never);
  if (i === 0) console.log(r === undefined ? 'undef' : r === null ? 'null' : 'ok');
}
console.log('ms/receive', (Date.now() - t0) / 2000);
const { rows } = await pool.query('select name, generic_plans, custom_plans from pg_prepared_statements');
console.log(rows);
await pool.end();
