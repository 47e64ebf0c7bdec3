// Group commit: calls that arrive while a previous batch is in flight are gathered and run as ONE
// batch (one statement, one round trip, one transaction and WAL flush on PostgreSQL); each caller
// gets its own result. No timer: a lone call runs at once, and a batch only forms while the
// database is busy with the one before, so the per-statement and per-commit costs are shared
// exactly when there is load to share them over. Up to maxInFlight batches may be in flight at once
// (the receive allows two, so a second batch is on its way while the first commits); an item whose
// keys an item in flight has waits for a later batch.

interface Pending<I, O> {
  item: I;
  keys: readonly string[];
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitSteps<I, O> {
  /** Runs several items as one all-or-nothing batch; returns their results in the same order. */
  batch(items: I[]): Promise<O[]>;
  /** Runs one item on its own: after a failed batch, so one bad item cannot fail the others. */
  single(item: I): Promise<O>;
  /**
   * What an item writes that another one may also write (a conversation, a customer): two items
   * sharing a key never go in the same batch, and keep their order (the later one waits for the
   * next batch, as does everything after it with the same key).
   */
  keys(item: I): readonly string[];
  /** Called when the last queued item is done and nothing is in flight (optional). */
  idle?(): void;
}

export class GroupCommit<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  /** Batches in flight, and the keys of their items (a queued item with one of them waits). */
  private inFlight = 0;
  private readonly busyKeys = new Map<string, number>();

  constructor(
    private readonly steps: GroupCommitSteps<I, O>,
    private readonly maxBatch: number,
    /** How many batches may be in flight at once (never two sharing a key). */
    private readonly maxInFlight = 1,
  ) {}

  /** Whether a batch is in flight (another call now would go in a later one). */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, keys: this.steps.keys(item), resolve, reject });
      this.pump();
    });
  }

  /** Starts batches while there is room and something to take; calls idle once all is done. */
  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const members = this.take();
      if (members.length === 0) break;
      this.inFlight++;
      for (const member of members)
        for (const key of member.keys) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
      void this.runBatch(members).finally(() => {
        for (const member of members)
          for (const key of member.keys) {
            const left = (this.busyKeys.get(key) ?? 1) - 1;
            if (left > 0) this.busyKeys.set(key, left);
            else this.busyKeys.delete(key);
          }
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) this.steps.idle?.();
      });
    }
  }

  /** The next batch: queued items in order, up to maxBatch, skipping (and blocking behind) any
   * item whose keys an earlier queued item or an item in flight also has. */
  private take(): Pending<I, O>[] {
    const taken: Pending<I, O>[] = [];
    const left: Pending<I, O>[] = [];
    const seen = new Set<string>();
    for (const pending of this.queue) {
      const clashes = pending.keys.some((key) => seen.has(key) || this.busyKeys.has(key));
      for (const key of pending.keys) seen.add(key);
      if (clashes || taken.length >= this.maxBatch) left.push(pending);
      else taken.push(pending);
    }
    this.queue.splice(0, this.queue.length, ...left);
    return taken;
  }

  private async runBatch(members: Pending<I, O>[]): Promise<void> {
    if (members.length > 1) {
      const results = await this.steps.batch(members.map((member) => member.item)).then(
        (values) => values,
        () => null,
      );
      if (results && results.length === members.length) {
        for (const [index, result] of results.entries()) members[index]?.resolve(result);
        return;
      }
    }
    // One at a time, in arrival order (a lone item, or the members of a failed batch: it committed
    // nothing), so a retried batch writes its rows in the order the batch would have.
    for (const member of members) {
      await this.steps.single(member.item).then(member.resolve, member.reject);
    }
  }
}
