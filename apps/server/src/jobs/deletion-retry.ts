/**
 * Job deletions whose storage step failed (a remote engine down, a disk error): each is tried
 * again with backoff until it succeeds, so a deletion the API accepted always completes — without
 * waiting for a restart, and without a start-up that fails because an engine is unreachable.
 */
export class DeletionRetry {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private stopped = false;

  constructor(
    private readonly attempt: (jobId: string) => Promise<void>,
    private readonly onFailure: (jobId: string, err: unknown) => void,
    private readonly minDelayMs = 1000,
    private readonly maxDelayMs = 60_000,
  ) {
    this.delayMs = minDelayMs;
  }

  /** Tries now; on failure keeps the job for the next round. Resolves to the error, if any. */
  async run(jobId: string): Promise<Error | undefined> {
    try {
      await this.attempt(jobId);
      this.pending.delete(jobId);
      return undefined;
    } catch (err) {
      this.onFailure(jobId, err);
      this.pending.add(jobId);
      this.schedule();
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  get size(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => void this.round(), this.delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    this.timer = undefined;
    let failed = false;
    for (const id of [...this.pending]) {
      if (this.stopped) return;
      try {
        await this.attempt(id);
        this.pending.delete(id);
      } catch (err) {
        failed = true;
        this.onFailure(id, err);
      }
    }
    this.delayMs = failed ? Math.min(this.delayMs * 2, this.maxDelayMs) : this.minDelayMs;
    if (this.pending.size > 0) this.schedule();
  }
}
