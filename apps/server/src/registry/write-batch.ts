/**
 * Group commit for a synchronous database: writes queued in one turn of the event loop are run
 * together in one transaction at `setImmediate`, and each caller's promise settles only once
 * that transaction has committed (or failed) — an acknowledged write is as durable as with one
 * transaction per write, and concurrent pushes share a commit instead of paying one each (about
 * half the cost per group in SQLite's WAL mode).
 *
 * Anything else that touches the same rows must call {@link flush} first, so queued writes land
 * before it and the order of operations is the order they were asked for.
 */
export class WriteBatch<T> {
  private queue: { item: T; resolve: () => void; reject: (err: Error) => void }[] = [];
  private scheduled = false;

  /**
   * `writeOne` writes one item (it may throw); `inTransaction(fn)` runs `fn` in one transaction
   * that commits when `fn` returns and rolls back when it throws.
   */
  constructor(
    private readonly writeOne: (item: T) => void,
    private readonly inTransaction: (fn: () => void) => void,
  ) {}

  /** Queues `item`; resolves once it is committed. */
  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  /** Writes everything queued now (synchronously) and settles its promises. */
  flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    try {
      this.inTransaction(() => {
        for (const q of queue) this.writeOne(q.item);
      });
    } catch {
      // One bad item must not fail the others: write each on its own, so each caller gets its
      // own write's outcome, as without batching.
      for (const q of queue) {
        try {
          this.inTransaction(() => {
            this.writeOne(q.item);
          });
        } catch (err) {
          q.reject(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        q.resolve();
      }
      return;
    }
    for (const q of queue) q.resolve();
  }
}
