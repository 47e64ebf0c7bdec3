// Group commit: calls that arrive while a previous batch is in flight are gathered and run as ONE
// batch (one statement, one round trip, one transaction and WAL flush on PostgreSQL); each caller
// gets its own result. No timer: a lone call runs at once, and a batch only forms while the
// database is busy with the one before, so the per-statement and per-commit costs are shared
// exactly when there is load to share them over.

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
  private flushing = false;

  constructor(
    private readonly steps: GroupCommitSteps<I, O>,
    private readonly maxBatch: number,
  ) {}

  /** Whether a batch is in flight (another call now would go in the next one). */
  get busy(): boolean {
    return this.flushing;
  }

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, keys: this.steps.keys(item), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const members = this.take();
        await this.runBatch(members);
      }
    } finally {
      this.flushing = false;
      this.steps.idle?.();
    }
  }

  /** The next batch: queued items in order, up to maxBatch, skipping (and blocking behind) any
   * item whose keys an earlier queued item also has. */
  private take(): Pending<I, O>[] {
    const taken: Pending<I, O>[] = [];
    const left: Pending<I, O>[] = [];
    const seen = new Set<string>();
    for (const pending of this.queue) {
      const clashes = pending.keys.some((key) => seen.has(key));
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
