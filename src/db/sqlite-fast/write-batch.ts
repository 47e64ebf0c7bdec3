// Group commit for the fast-path connection. A SQLite commit writes every page the transaction
// touched to the WAL, one system call per page; messages handled at the same time touch the same
// pages (the tail of Interaction and its indexes, ProcessedMessage, the outbox), so writes asked for
// in the same turn of the event loop run in ONE transaction and share one commit (measured: about
// half the SQLite cost of a message at eight in flight, docs/benchmarks.md). Writes run without
// savepoints; if one throws, the whole batch rolls back and every write is retried in a transaction
// of its own, so a failing write fails only its caller and the others commit as if alone. No timer:
// a lone write waits only for the end of the current turn (setImmediate), and a batch forms exactly
// when several messages are in flight.
import type Database from 'better-sqlite3';
import type { ReadWriteGate } from '../rw-lock.ts';

interface Job {
  /** Runs the write; returns what hands its result to the caller once it has committed. */
  execute: () => () => void;
  reject: (error: unknown) => void;
}

export class WriteBatch {
  private pending: Job[] = [];
  private scheduled = false;
  private readonly batchTx;
  private readonly singleTx;

  constructor(
    db: Database.Database,
    private readonly gate: ReadWriteGate,
  ) {
    this.batchTx = db.transaction((jobs: Job[]) => jobs.map((job) => job.execute()));
    this.singleTx = db.transaction((job: Job) => job.execute());
  }

  /**
   * Runs `work` (synchronous statements, no transaction of its own) inside the next shared
   * transaction; resolves with its result after the commit. `work` may run twice when another write
   * of its batch fails (the first run is rolled back), so it must depend on nothing but the database.
   */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        execute: () => {
          const value = work();
          return () => resolve(value);
        },
        reject,
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const jobs = this.pending;
    this.pending = [];
    if (jobs.length > 1) {
      const delivered = await this.gate
        .exclusiveSync(() => this.batchTx.immediate(jobs))
        .then((deliveries) => {
          for (const deliver of deliveries) deliver();
          return true;
        })
        .catch(() => false);
      if (delivered) return;
    }
    // A lone write, or the writes of a failed batch (it committed nothing): one transaction each.
    await this.gate.exclusiveSync(() => {
      for (const job of jobs) {
        try {
          this.singleTx.immediate(job)();
        } catch (error) {
          job.reject(error);
        }
      }
    });
  }
}
