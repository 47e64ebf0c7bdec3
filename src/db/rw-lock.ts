// A readers-writer gate for the SQLite driver adapter. better-sqlite3 gives Prisma ONE connection;
// while an interactive transaction is open on it, any other query would silently run inside that
// transaction (and vanish on rollback). Plain queries share the gate; a transaction takes it alone.
type Waiter = { exclusive: boolean; wake: () => void };

export class ReadWriteGate {
  private active = 0;
  private writing = false;
  private readonly queue: Waiter[] = [];

  async shared<T>(work: () => Promise<T>): Promise<T> {
    // A waiting writer goes first, or a stream of plain queries could starve transactions.
    if (this.writing || this.queue.length > 0) await this.wait(false);
    else this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.next();
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.writing || this.active > 0 || this.queue.length > 0) await this.wait(true);
    else this.writing = true;
    try {
      return await work();
    } finally {
      this.writing = false;
      this.next();
    }
  }

  /**
   * `shared` for synchronous work (a prepared statement on the fast-path connection): run at once when
   * no transaction holds or awaits the gate, since nothing can interleave with synchronous code; else
   * queued as `shared` would. Saves the promise hops of the async form on every message.
   */
  sharedSync<T>(work: () => T): Promise<T> {
    if (this.writing || this.queue.length > 0) return this.shared(async () => work());
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `exclusive` for synchronous work: run at once when nothing holds or awaits the gate (see `sharedSync`). */
  exclusiveSync<T>(work: () => T): Promise<T> {
    if (this.writing || this.active > 0 || this.queue.length > 0) return this.exclusive(async () => work());
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Queues the caller; `next` reserves its slot (active++ or writing) before waking it. */
  private wait(exclusive: boolean): Promise<void> {
    return new Promise<void>((wake) => this.queue.push({ exclusive, wake }));
  }

  private next(): void {
    if (this.writing) return;
    const first = this.queue[0];
    if (!first) return;
    if (first.exclusive) {
      if (this.active > 0) return;
      this.queue.shift();
      this.writing = true;
      first.wake();
      return;
    }
    while (this.queue[0] && !this.queue[0].exclusive) {
      const reader = this.queue.shift();
      this.active++;
      reader?.wake();
    }
  }
}
