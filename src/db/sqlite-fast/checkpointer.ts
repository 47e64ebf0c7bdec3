// Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies the write-ahead log back
// into the database file and syncs it; left to the default (every 1,000 pages, on whichever commit
// crosses the line) it blocks a message mid-pipeline for milliseconds and, at this write rate, every
// few dozen messages. A worker thread with its own connection runs a PASSIVE checkpoint on a timer
// instead: it never blocks our writers, and it runs on the other core.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages the main connections may let the log grow to before checkpointing themselves (a safety net). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 50_000;

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 1000 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, everyMs = 1000) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, { eval: true, workerData: { file, everyMs, driver } });
    // A checkpointer that dies only costs speed: the connections' own fallback keeps the log bounded.
    this.worker.on('error', () => {});
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await this.worker.terminate();
  }
}
