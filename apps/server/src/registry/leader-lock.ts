import pg from 'pg';
import type { Logger } from '../log/logger.js';

export interface LeaderLockOptions {
  readonly url: string;
  /** The pg_advisory_lock key (a bigint as a decimal string). */
  readonly key: string;
  /** What is led, for logs ("scraping"). */
  readonly what: string;
  readonly log: Logger;
  readonly onChange: (leader: boolean) => void;
  /** How often a follower tries to take the lock, and how soon a lost connection is retried. */
  readonly retryMs?: number;
}

/**
 * Leadership by a PostgreSQL session advisory lock: the instance whose dedicated connection
 * holds `pg_try_advisory_lock(key)` leads. PostgreSQL releases the lock when that session
 * ends — a stopped or crashed leader, or one cut off from the database, whose connection then
 * fails and which stops leading at once. Followers try again every `retryMs`.
 */
export class LeaderLock {
  private client: pg.Client | undefined;
  private leader = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LeaderLockOptions) {}

  start(): void {
    void this.attempt();
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    this.setLeader(false);
    // Ending the session releases the lock for the next instance at once.
    await c?.end().catch(() => undefined);
  }

  private setLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.log.info(
      leader
        ? `this instance now leads ${this.options.what}`
        : `this instance no longer leads ${this.options.what}`,
    );
    this.options.onChange(leader);
  }

  private retry(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), this.options.retryMs ?? 2000);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) {
        const c = new pg.Client({
          connectionString: this.options.url,
          connectionTimeoutMillis: 5000,
          keepAlive: true,
        });
        const lost = (): void => {
          if (this.client !== c) return;
          this.client = undefined;
          c.end().catch(() => undefined);
          this.setLeader(false);
          this.retry();
        };
        c.on('error', lost);
        c.on('end', lost);
        await c.connect();
        if (this.stopped) {
          await c.end();
          return;
        }
        this.client = c;
      }
      const r = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        this.options.key,
      ]);
      if (r.rows[0]?.ok === true) this.setLeader(true);
      else this.retry();
    } catch {
      // No connection, or it failed: drop it, and try again later.
      const c = this.client;
      this.client = undefined;
      c?.end().catch(() => undefined);
      this.setLeader(false);
      this.retry();
    }
  }
}
