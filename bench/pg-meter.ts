// What a PostgreSQL run costs per message, for bench/pipeline.ts: round trips (every query any `pg`
// client of this process sends, the hot path's pool and Prisma's adapter alike; BEGIN and COMMIT
// count), commits, and the CPU time of the PostgreSQL backends serving this process.
// Counting wraps `pg.Client.prototype.query` while a measurement runs; nothing else changes.
import { readFileSync } from 'node:fs';
import pg from 'pg';

interface Tally {
  queries: number;
  commits: number;
  byText: Map<string, number>;
}

const tally: Tally = { queries: 0, commits: 0, byText: new Map() };
let counting = false;

function textOf(config: unknown): string {
  if (typeof config === 'string') return config;
  if (typeof config === 'object' && config !== null && 'text' in config) return String(config.text);
  return '';
}

/** Each statement's key (its first 120 characters, blanks folded), worked out once per text: folding
 * the blanks of a long statement on every run cost the bench more CPU than some of the statements. */
const keys = new Map<string, string>();

function keyOf(text: string): string {
  let key = keys.get(text);
  if (key === undefined) {
    key = text.replace(/\s+/g, ' ').trim().slice(0, 120);
    if (keys.size < 10_000) keys.set(text, key);
  }
  return key;
}

const original = pg.Client.prototype.query;
const counted = function (this: pg.Client, ...args: Parameters<typeof original>) {
  if (counting) {
    const key = keyOf(textOf(args[0]));
    tally.queries++;
    if (/^COMMIT\b/i.test(key)) tally.commits++;
    tally.byText.set(key, (tally.byText.get(key) ?? 0) + 1);
  }
  return Reflect.apply(original, this, args);
};
Reflect.set(pg.Client.prototype, 'query', counted);

/** CPU seconds (user + system) of a process, from /proc; 0 when it cannot be read. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function backendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

export interface PgMeasurement {
  roundTripsPerMessage: number;
  commitsPerMessage: number;
  postgresCpuMsPerMessage: number;
  /** The most frequent statements, per message (printed with --statements). */
  statements: Array<{ perMessage: number; text: string }>;
}

/** Starts counting; `finish(messages)` stops and reports per message. */
export async function startPgMeter(url: string) {
  const pidsBefore = await backendPids(url);
  const backendStart = new Map(pidsBefore.map((pid) => [pid, processCpuSeconds(pid)]));
  tally.queries = 0;
  tally.commits = 0;
  tally.byText.clear();
  counting = true;
  return {
    async finish(messages: number): Promise<PgMeasurement> {
      counting = false;
      const pids = await backendPids(url);
      // A backend that started during the run counts from zero; one that ended is lost (pools keep theirs).
      const postgresSeconds = pids.reduce((sum, pid) => sum + processCpuSeconds(pid) - (backendStart.get(pid) ?? 0), 0);
      const per = (n: number) => Number((n / messages).toFixed(2));
      return {
        roundTripsPerMessage: per(tally.queries),
        commitsPerMessage: per(tally.commits),
        postgresCpuMsPerMessage: per(postgresSeconds * 1000),
        statements: [...tally.byText.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 40)
          .map(([text, count]) => ({ perMessage: per(count), text })),
      };
    },
  };
}
