import {
  StorageClosedError,
  StorageError,
  type Appender,
  type Matcher,
  type Querier,
  type Storage,
  type StorageStats,
} from '@tally/storage';
import { RemoteAppender } from './remote-appender.js';
import {
  deleteUrlFor,
  engineProfile,
  flushUrlFor,
  type EngineProfile,
  type RemoteEngine,
} from './remote-engine.js';
import { RemoteHttpClient, type RemoteHttpOptions } from './remote-http-client.js';
import { RemoteQuerier } from './remote-querier.js';
import { RemoteWriteQueue, type RemoteLog, type RemoteWriteQueueStats } from './remote-write-queue.js';
import { apiTime, formatSelector, RemoteQueryError } from './prometheus-api.js';
import { SeriesTable } from './series-table.js';

export interface RemoteStorageOptions {
  /** The engine's remote-write endpoint, e.g. `http://vm:8428/api/v1/write`. */
  readonly writeUrl: string;
  /** The base of its Prometheus HTTP API, e.g. `http://vm:8428` or `http://mimir/prometheus`. */
  readonly queryUrl: string;
  readonly engine: RemoteEngine;
  /** Where the durable remote-write queue lives. */
  readonly queueDir: string;
  readonly http?: RemoteHttpOptions;
  readonly shards?: number;
  readonly maxSamplesPerSend?: number;
  readonly segmentSizeBytes?: number;
  readonly maxQueueBytes?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Longest a read waits for what was committed before it to reach the engine (default 2 s; 0: never wait). */
  readonly readAfterWriteTimeoutMs?: number;
  /** Longest a deletion waits for queued samples to reach the engine before deleting (default 30 s). */
  readonly deleteTimeoutMs?: number;
  /** On close, how long to keep sending what is queued (default 5 s); the rest is sent after the next start. */
  readonly drainOnCloseMs?: number;
  readonly log?: RemoteLog;
}

/** A pass-through answer from the engine's query API. */
export interface ForwardedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Storage on an existing engine (VictoriaMetrics, Prometheus, Mimir, Cortex, Thanos Receive):
 * writes through the durable remote-write queue, reads through the engine's Prometheus HTTP
 * API, whole PromQL queries forwarded by {@link forwardQuery}. Deletion uses the engine's
 * delete-series API where it has one (see {@link engineProfile}).
 */
export class RemoteStorage implements Storage {
  readonly queue: RemoteWriteQueue;
  readonly client: RemoteHttpClient;
  private readonly profile: EngineProfile;
  private readonly table: SeriesTable;
  private readonly log: RemoteLog;
  /** `sentRequests` when the engine was last flushed (−1: not since this process started). */
  private flushedAtRequests = -1;
  private closed = false;

  constructor(private readonly opts: RemoteStorageOptions) {
    for (const [what, url] of [
      ['remote write URL', opts.writeUrl],
      ['remote query URL', opts.queryUrl],
    ] as const) {
      if (!/^https?:\/\/[^/]/.test(url))
        throw new Error(`${what} must be an http(s) URL, got ${JSON.stringify(url)}`);
    }
    this.log = opts.log ?? (() => undefined);
    this.profile = engineProfile(opts.engine);
    this.client = new RemoteHttpClient(opts.http);
    this.queue = new RemoteWriteQueue({
      dir: opts.queueDir,
      writeUrl: opts.writeUrl,
      client: this.client,
      log: this.log,
      ...pick(opts, [
        'shards',
        'maxSamplesPerSend',
        'segmentSizeBytes',
        'maxQueueBytes',
        'minBackoffMs',
        'maxBackoffMs',
      ]),
    });
    this.table = new SeriesTable((key) => this.queue.shardOf(key));
  }

  appender(): Appender {
    this.checkOpen();
    return new RemoteAppender(this.table, this.queue.shardCount, (perShard) => this.queue.enqueue(perShard));
  }

  querier(minTimeMs: number, maxTimeMs: number): Querier {
    this.checkOpen();
    return new RemoteQuerier(
      { client: this.client, queryUrl: this.opts.queryUrl, beforeRead: () => this.beforeRead() },
      minTimeMs,
      maxTimeMs,
    );
  }

  /**
   * Read-after-write: waits (bounded) until the queue has delivered what was committed, then,
   * on engines that buffer fresh rows, asks them to make it searchable — only if something was
   * sent since the last time.
   */
  private async beforeRead(): Promise<void> {
    const timeoutMs = this.opts.readAfterWriteTimeoutMs ?? 2000;
    if (timeoutMs <= 0) return;
    await this.queue.barrier(timeoutMs);
    if (this.queue.stats().sentRequests !== this.flushedAtRequests) await this.flushEngine();
  }

  /** Makes what the engine has received searchable, where it buffers fresh rows (VictoriaMetrics). */
  private async flushEngine(): Promise<void> {
    const url = flushUrlFor(this.opts.engine, this.opts.queryUrl);
    if (!url) return;
    this.flushedAtRequests = this.queue.stats().sentRequests;
    try {
      await this.client.request('GET', url);
    } catch (err) {
      this.log('warn', 'remote engine flush failed', { err: (err as Error).message });
    }
  }

  async deleteSeries(matchers: readonly Matcher[], minTimeMs?: number, maxTimeMs?: number): Promise<void> {
    this.checkOpen();
    const ranged = minTimeMs !== undefined || maxTimeMs !== undefined;
    if (!this.profile.deletePath) {
      this.log(
        'warn',
        `${this.opts.engine} has no delete-series API: the series stay until its retention removes them`,
        {
          matchers: formatSelector(matchers),
        },
      );
      if (!ranged) this.table.forget(matchers);
      return;
    }
    if (ranged && !this.profile.rangedDelete) {
      throw new StorageError(
        `${this.opts.engine} deletes whole series only: its delete_series API takes no time range`,
      );
    }
    // Queued samples of these series would bring them back after the deletion: send them first.
    if (!(await this.queue.barrier(this.opts.deleteTimeoutMs ?? 30_000))) {
      throw new StorageError(
        'the remote engine has not taken the queued samples yet, so deleting now would not last: retry once it is reachable',
      );
    }
    // VictoriaMetrics deletes what its index knows: buffered rows must be in it first.
    await this.flushEngine();
    const url = deleteUrlFor(this.opts.engine, this.opts.queryUrl)!;
    url.searchParams.set('match[]', formatSelector(matchers));
    if (minTimeMs !== undefined) url.searchParams.set('start', apiTime(Math.max(minTimeMs, 0)));
    if (maxTimeMs !== undefined) url.searchParams.set('end', apiTime(Math.min(maxTimeMs, 8.64e15)));
    let res;
    try {
      res = await this.client.request('POST', url);
    } catch (err) {
      throw new RemoteQueryError(`remote engine unreachable for deletion: ${(err as Error).message}`, 0);
    }
    if (res.status !== 204 && res.status !== 200) {
      throw new RemoteQueryError(
        `remote engine refused the deletion: HTTP ${res.status}: ${res.body.toString('utf8', 0, 300).trim()}`,
        res.status,
      );
    }
    if (!ranged) this.table.forget(matchers);
  }

  /**
   * Forwards a whole PromQL query (`/api/v1/query` or `/api/v1/query_range` with its form
   * parameters) to the engine and returns its answer as is, so nothing is evaluated twice.
   */
  async forwardQuery(
    path: '/api/v1/query' | '/api/v1/query_range',
    params: URLSearchParams,
  ): Promise<ForwardedResponse> {
    this.checkOpen();
    await this.beforeRead();
    const url = new URL(this.opts.queryUrl.replace(/\/+$/, '') + path);
    let res;
    try {
      res = await this.client.request('POST', url, Buffer.from(params.toString()), {
        'content-type': 'application/x-www-form-urlencoded',
      });
    } catch (err) {
      throw new RemoteQueryError(`remote engine unreachable at ${url.origin}: ${(err as Error).message}`, 0);
    }
    return {
      status: res.status,
      contentType: res.headers['content-type'] ?? 'application/json',
      body: res.body,
    };
  }

  queueStats(): RemoteWriteQueueStats {
    return this.queue.stats();
  }

  stats(): StorageStats {
    const q = this.queue.stats();
    let dropped = 0;
    for (const n of q.droppedSamples.values()) dropped += n;
    return {
      numSeries: this.table.size,
      numSamples: q.sentSamples,
      minTimeMs: NaN,
      maxTimeMs: NaN,
      sizeBytes: q.pendingBytes,
      queuePendingSamples: q.pendingSamples,
      queuePendingBytes: q.pendingBytes,
      queueLagSeconds: q.lagSeconds,
      queueShards: q.shards,
      sentSamples: q.sentSamples,
      sentRequests: q.sentRequests,
      sendRetries: q.retries,
      droppedSamples: dropped,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close(this.opts.drainOnCloseMs ?? 5000);
    this.client.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageClosedError('the remote storage is closed');
  }
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
