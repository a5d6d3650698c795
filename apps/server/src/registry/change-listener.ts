import pg from 'pg';
import type { Logger } from '../log/logger.js';

export interface ChangeListenerOptions {
  readonly url: string;
  readonly channel: string;
  readonly log: Logger;
  readonly onPayload: (payload: string) => void;
  /** Called after a lost connection is back (not after the first connection). */
  readonly onReconnect: () => void;
  /** First and largest delay between reconnection attempts (defaults 250 ms and 30 s). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * A dedicated connection that LISTENs on the registry's channel (a pooled one cannot: LISTEN
 * belongs to a session). When it breaks it reconnects with exponential backoff, logging the
 * outage once and the recovery once, and then asks for a full refresh, since notifications sent
 * while it was away are lost (PostgreSQL queues them only for connected listeners).
 */
export class ChangeListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly options: ChangeListenerOptions) {}

  /** Connects for the first time; rejects when the database cannot be reached now. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, connectionTimeoutMillis: 5000 });
    let lost = false;
    const onLost = (err?: Error): void => {
      if (lost || this.stopped) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      this.options.log.warn('registry change notifications interrupted; reconnecting', {
        err: err ?? 'connection ended',
      });
      this.schedule();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => {
      if (n.channel === this.options.channel && n.payload !== undefined) this.options.onPayload(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (err) {
      lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private schedule(): void {
    if (this.stopped) return;
    const min = this.options.minBackoffMs ?? 250;
    const delay = Math.min(this.options.maxBackoffMs ?? 30_000, min * 2 ** Math.min(this.failures, 20));
    this.failures++;
    this.timer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.options.log.info('registry change notifications restored', { attempts: this.failures });
          this.failures = 0;
          this.options.onReconnect();
        },
        (err: unknown) => {
          if (this.failures === 1 || this.failures % 10 === 0)
            this.options.log.warn('registry database still unreachable', { err, attempts: this.failures });
          this.schedule();
        },
      );
    }, delay);
    this.timer.unref();
  }
}
