import type { Logger } from '../log/logger.js';
import type { ActivityRow } from '../registry/registry.js';

/**
 * Registry writes nobody waits for (ingest causes them: metadata, activity): a failure is
 * logged once per outage, and the recovery once.
 */
export class BackgroundWrites {
  /** A background write failed and nothing has succeeded since. */
  private failing = false;

  constructor(private readonly log: Logger) {}

  async run(write: Promise<void>, what: string): Promise<void> {
    try {
      await write;
      if (this.failing) this.log.info('registry writes work again');
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.log.error(`${what} (further failures are not logged until a write works)`, { err });
      this.failing = true;
    }
  }
}

/**
 * Jobs' last push and sample times: marked on every ingest, written to the registry once a
 * second for the jobs marked since (a push never waits for it), and at stop.
 */
export class JobActivity {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** The rows of the marked jobs that still exist. */
    private readonly rowsOf: (jobIds: string[]) => ActivityRow[],
    private readonly save: (rows: ActivityRow[]) => Promise<void>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  mark(jobId: string): void {
    this.dirty.add(jobId);
  }

  /** A job gone from the view: nothing left to write for it. */
  forget(jobId: string): void {
    this.dirty.delete(jobId);
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const rows = this.rowsOf([...this.dirty]);
    this.dirty.clear();
    await this.save(rows);
  }
}
