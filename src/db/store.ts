// The data layer's public face: repositories bound to the client or to a transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import BetterSqlite from 'better-sqlite3';
import type { Config } from '../config.ts';
import type { ConsentDefault } from '../domain/consent.ts';
import { type Database, openDatabase } from './client.ts';
import { type HotReads, RepositoryHotReads } from './hot-reads.ts';
import { migrate } from './migrate.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import { type PipelineStore, RepositoryPipelineStore } from './pipeline-store.ts';
import { createRepositories, type Repositories } from './repositories.ts';
import type { ReadWriteGate } from './rw-lock.ts';
import { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES } from './sqlite-fast/checkpointer.ts';
import { SqliteHotReads } from './sqlite-fast/hot-reads.ts';
import { SqliteOutboxQueue } from './sqlite-fast/outbox-queue.ts';
import { SqlitePipelineStore } from './sqlite-fast/pipeline-store.ts';

export type { Repositories };

export interface Store {
  readonly provider: Database['provider'];
  /** The repositories of the transaction in progress (if this code runs inside one), else the plain ones. */
  readonly repos: Repositories;
  /** The per-message writes of the pipeline (a fast path on SQLite). */
  readonly pipeline: PipelineStore;
  /** The outbox sender's claim/mark cycle (a fast path on SQLite). */
  readonly outbox: OutboxQueue;
  /** Reads most chat turns make (a fast path on SQLite outside transactions). */
  readonly reads: HotReads;
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
  const fast =
    database.provider === 'sqlite' && db.gate
      ? openFastPath(database.file, db.gate, repositoryOptions.marketingConsentDefault)
      : undefined;
  const repositoryReads = new RepositoryHotReads(reposNow);
  return {
    provider: db.provider,
    get repos() {
      return reposNow();
    },
    pipeline: fast?.pipeline ?? new RepositoryPipelineStore(reposNow, transaction),
    outbox: fast?.outbox ?? base.outbox,
    get reads() {
      return current.getStore() || !fast ? repositoryReads : fast.reads;
    },
    transaction,
    afterCommit(effect) {
      const scope = current.getStore();
      if (scope) scope.afterCommit.push(effect);
      else current.exit(effect);
    },
    async close() {
      await fast?.checkpointer.stop();
      fast?.connection.close();
      await db.close();
    },
  };
}

/**
 * SQLite's hot paths (pipeline writes, outbox claims) as prepared statements on a second connection
 * to the same WAL file, kept in step with the ORM's connection by the shared gate.
 */
function openFastPath(file: string, gate: ReadWriteGate, consentDefault: ConsentDefault) {
  const connection = new BetterSqlite(file, { timeout: 10_000 });
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  return {
    connection,
    checkpointer: new Checkpointer(file),
    pipeline: new SqlitePipelineStore(connection, gate, consentDefault),
    outbox: new SqliteOutboxQueue(connection, gate),
    reads: new SqliteHotReads(connection, gate),
  };
}
