// The data layer's public face: repositories bound to the client or to a transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import BetterSqlite from 'better-sqlite3';
import type { Config } from '../config.ts';
import type { ConsentDefault } from '../domain/consent.ts';
import { type Database, openDatabase } from './client.ts';
import { type HotReads, RepositoryHotReads } from './hot-reads.ts';
import { type Ledger, RepositoryLedger } from './ledger.ts';
import { migrate } from './migrate.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { PgHotReads } from './pg-fast/hot-reads.ts';
import { PgLedger } from './pg-fast/ledger.ts';
import { PgOutboxQueue } from './pg-fast/outbox-queue.ts';
import { PgPipelineStore } from './pg-fast/pipeline-store.ts';
import { openPool } from './pg-fast/pool.ts';
import type { PipelineStore } from './pipeline-store.ts';
import { createRepositories, type Repositories } from './repositories.ts';
import type { ReadWriteGate } from './rw-lock.ts';
import { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES } from './sqlite-fast/checkpointer.ts';
import { SqliteHotReads } from './sqlite-fast/hot-reads.ts';
import { SqliteLedger } from './sqlite-fast/ledger.ts';
import { SqliteOutboxQueue } from './sqlite-fast/outbox-queue.ts';
import { SqlitePipelineStore } from './sqlite-fast/pipeline-store.ts';
import { WriteBatch } from './sqlite-fast/write-batch.ts';

export type { Repositories };

export interface Store {
  readonly provider: Database['provider'];
  /** The repositories of the transaction in progress (if this code runs inside one), else the plain ones. */
  readonly repos: Repositories;
  /** The per-message writes of the pipeline (prepared statements: sqlite-fast/ or pg-fast/). */
  readonly pipeline: PipelineStore;
  /** The outbox sender's claim/mark cycle (prepared statements, as the pipeline). */
  readonly outbox: OutboxQueue;
  /** Reads most chat turns make (prepared statements outside transactions, the repositories inside). */
  readonly reads: HotReads;
  /**
   * The loyalty ledger's post and redemption: prepared statements on SQLite outside a transaction,
   * named statements on PostgreSQL's pool for a redemption outside one, else the repositories.
   */
  readonly ledger: Ledger;
  /**
   * Runs `work` atomically; the repositories it receives are bound to the transaction. Called inside
   * another transaction it joins that one, so services compose without nesting locks.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `effect` once the transaction in progress commits (never, if it rolls back), or at once when
   * no transaction is in progress. Either way it runs outside any transaction, so what it starts
   * opens its own unit of work instead of using one that has already closed.
   */
  afterCommit(effect: () => void): void;
  /**
   * Runs `work` while holding a lock named `key` that every instance on the same database respects
   * (a PostgreSQL advisory lock; SQLite runs one instance, so there it simply runs). For start-up
   * work that must happen once, such as seeding the demo shop.
   */
  exclusively<T>(key: number, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A transaction in progress: its repositories and the effects waiting for its commit. */
interface Scope {
  repos: Repositories;
  afterCommit: Array<() => void>;
}

export async function openStore(
  database: Config['database'],
  options: { migrate?: boolean; marketingConsentDefault?: ConsentDefault } = {},
): Promise<Store> {
  if (options.migrate !== false) await migrate(database);
  const db = await openDatabase(database);
  const current = new AsyncLocalStorage<Scope>();
  const repositoryOptions = { marketingConsentDefault: options.marketingConsentDefault ?? false };
  const base = createRepositories(db.prisma, db.provider, repositoryOptions);
  const reposNow = () => current.getStore()?.repos ?? base;
  const transaction = async <T>(work: (repos: Repositories) => Promise<T>): Promise<T> => {
    const outer = current.getStore();
    if (outer) return work(outer.repos);
    const effects: Array<() => void> = [];
    const result = await db.transaction((tx) => {
      const repos = createRepositories(tx, db.provider, repositoryOptions);
      return current.run({ repos, afterCommit: effects }, () => work(repos));
    });
    current.exit(() => {
      for (const effect of effects) effect();
    });
    return result;
  };
  const consentDefault = repositoryOptions.marketingConsentDefault;
  const fast =
    database.provider === 'sqlite' && db.gate ? openSqliteFastPath(database.file, db.gate, consentDefault) : undefined;
  const pool = database.provider === 'postgresql' ? openPool(database.url, database.poolSize) : undefined;
  // Inside a transaction the reads must see its uncommitted writes: they go through its repositories.
  const repositoryReads = new RepositoryHotReads(reposNow);
  const repositoryLedger = new RepositoryLedger(transaction);
  const pgPipeline = pool && new PgPipelineStore(pool, consentDefault);
  const hot =
    fast ??
    (pool &&
      pgPipeline && {
        pipeline: pgPipeline,
        // Sent-marks ride the turn commits in flight (see PgPipelineStore.carrySent).
        outbox: new PgOutboxQueue(pool, pgPipeline),
        reads: new PgHotReads(pool),
        ledger: new PgLedger(pool, repositoryLedger),
      });
  if (!hot) throw new Error('no hot path for this database');
  return {
    provider: db.provider,
    get repos() {
      return reposNow();
    },
    pipeline: hot.pipeline,
    outbox: hot.outbox,
    get reads() {
      return current.getStore() ? repositoryReads : hot.reads;
    },
    get ledger() {
      return current.getStore() ? repositoryLedger : hot.ledger;
    },
    transaction,
    afterCommit(effect) {
      const scope = current.getStore();
      if (scope) scope.afterCommit.push(effect);
      else current.exit(effect);
    },
    async exclusively(key, work) {
      if (!pool) return work();
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
        client.release();
      }
    },
    async close() {
      await fast?.checkpointer.stop();
      fast?.connection.close();
      await pool?.end();
      await db.close();
    },
  };
}

/**
 * SQLite's hot paths (pipeline writes, outbox claims) as prepared statements on a second connection
 * to the same WAL file, kept in step with the ORM's connection by the shared gate.
 */
function openSqliteFastPath(file: string, gate: ReadWriteGate, consentDefault: ConsentDefault) {
  const connection = new BetterSqlite(file, { timeout: 10_000 });
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const batch = new WriteBatch(connection, gate);
  return {
    connection,
    checkpointer: new Checkpointer(file),
    pipeline: new SqlitePipelineStore(connection, gate, batch, consentDefault),
    outbox: new SqliteOutboxQueue(connection, gate, batch),
    reads: new SqliteHotReads(connection, gate),
    ledger: new SqliteLedger(connection, gate),
  };
}
