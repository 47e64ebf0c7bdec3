// Prisma client factory for both providers. The only module that constructs a Prisma client.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Config } from '../config.ts';
import { PrismaClient as PgClient } from '../generated/pg/client.ts';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { translateDbError } from './repositories/errors.ts';
import { ReadWriteGate } from './rw-lock.ts';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './sqlite-fast/checkpointer.ts';

function openSqlite(file: string) {
  const base = new SqliteClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 }),
  });
  const gate = new ReadWriteGate();
  const inTransaction = new AsyncLocalStorage<true>();
  const client = base.$extends({
    query: {
      $allOperations({ args, query }) {
        return translatingErrors(inTransaction.getStore() ? query(args) : gate.shared(() => query(args)));
      },
    },
  });
  return { client, gate, inTransaction };
}

/** Every query's failure passes through here: ORM errors with a domain meaning become domain errors. */
async function translatingErrors<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (error) {
    throw translateDbError(error);
  }
}

/** The client type every repository is written against (the SQLite one; see `openDatabase`). */
export type PrismaDb = ReturnType<typeof openSqlite>['client'];
export type PrismaTx = Parameters<Parameters<PrismaDb['$transaction']>[0]>[0];

export interface Database {
  readonly provider: 'sqlite' | 'postgresql';
  /** SQLite only: the gate every query and transaction passes, for code with its own connection. */
  readonly gate: ReadWriteGate | undefined;
  readonly prisma: PrismaDb;
  /** Runs `work` in one database transaction; on SQLite it also holds off every other query. */
  transaction<T>(work: (tx: PrismaTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

export async function openDatabase(database: Config['database']): Promise<Database> {
  if (database.provider === 'sqlite') {
    const { client, gate, inTransaction } = openSqlite(database.file);
    // synchronous=NORMAL is safe in WAL mode (no corruption; at most the last commits lost on power
    // failure) and avoids one fsync per statement.
    await client.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await client.$queryRawUnsafe('PRAGMA foreign_keys = ON');
    // Checkpoints run in a worker (sqlite-fast/checkpointer.ts); this is only the fallback.
    await client.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    return {
      provider: 'sqlite',
      gate,
      prisma: client,
      transaction: (work) => gate.exclusive(() => inTransaction.run(true, () => client.$transaction(work, TX_OPTIONS))),
      close: () => client.$disconnect(),
    };
  }
  const pgClient = new PgClient({ adapter: new PrismaPg({ connectionString: database.url, max: database.poolSize }) });
  // The one documented type boundary: the PostgreSQL client is generated from the same models as the
  // SQLite one, so the two have the same shape, but Prisma generates distinct nominal types per provider.
  const client = pgClient.$extends({
    query: {
      $allOperations({ args, query }) {
        return translatingErrors(query(args));
      },
    },
  }) as unknown as PrismaDb;
  return {
    provider: 'postgresql',
    gate: undefined,
    prisma: client,
    transaction: (work) => client.$transaction(work, TX_OPTIONS),
    close: () => client.$disconnect(),
  };
}
