import { labelsEqual, labelsKey, type Labels } from '@tally/model';
import {
  matchLabels,
  UnknownSeriesRefError,
  type Appender,
  type Matcher,
  type Querier,
  type SeriesRef,
  type Storage,
  type StorageStats,
} from '@tally/storage';
import { formatSelector } from './prometheus-api.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import type { RemoteLog, RemoteWriteQueue, RemoteWriteQueueStats } from './remote-write-queue.js';
import { SampleBuffer } from './float-bits.js';
import type { OutgoingSeries } from './write-request-encoder.js';

/** How the forwarded copy is deleted: through the queue, on an engine with a delete-series API. */
export interface ForwardDeletion {
  /** Whether that API takes a time range (Prometheus) or deletes whole series only (VictoriaMetrics). */
  readonly ranged: boolean;
}

/**
 * Forwarding mode: the embedded store stays the store of record (reads, deletion) and a copy of
 * every committed sample goes to an external engine through the durable remote-write queue —
 * long-term storage beside a local one. A commit resolves once both the embedded store and the
 * queue have it on disk. A deletion deletes locally and, where the engine has a delete-series
 * API (`deletion`), is queued behind the samples already queued: the engine deletes once they
 * have reached it, even after an outage or a restart. Without that API the copy is left to the
 * engine's retention.
 */
export class TeeStorage implements Storage {
  /** The primary's series refs (handed out by any appender) to labels, for the copy. */
  private readonly refs = new Map<SeriesRef, { labels: Labels; key: string }>();

  constructor(
    private readonly primary: Storage,
    readonly queue: RemoteWriteQueue,
    private readonly client: RemoteHttpClient,
    private readonly log: RemoteLog = () => undefined,
    private readonly deletion?: ForwardDeletion,
  ) {}

  appender(): Appender {
    return new TeeAppender(this.primary.appender(), this.queue, this.refs);
  }

  querier(minTimeMs: number, maxTimeMs: number): Querier {
    return this.primary.querier(minTimeMs, maxTimeMs);
  }

  async deleteSeries(matchers: readonly Matcher[], minTimeMs?: number, maxTimeMs?: number): Promise<void> {
    await this.primary.deleteSeries(matchers, minTimeMs, maxTimeMs);
    if (minTimeMs === undefined && maxTimeMs === undefined) {
      for (const [ref, s] of this.refs) if (matchLabels(matchers, s.labels)) this.refs.delete(ref);
    }
    const selector = formatSelector(matchers);
    const ranged = minTimeMs !== undefined || maxTimeMs !== undefined;
    if (!this.deletion || (ranged && !this.deletion.ranged)) {
      this.log(
        'warn',
        this.deletion
          ? 'series deleted locally; the external engine deletes whole series only, so this time range stays in the forwarded copy'
          : 'series deleted locally; the external engine has no delete-series API: the forwarded copy stays until its retention',
        { match: selector },
      );
      return;
    }
    const queued = await this.queue.enqueueDeletion(selector, {
      ...(minTimeMs !== undefined ? { startMs: minTimeMs } : {}),
      ...(maxTimeMs !== undefined ? { endMs: maxTimeMs } : {}),
    });
    this.log(
      'info',
      'series deleted locally; their deletion on the external engine is queued behind the samples sent before it',
      {
        match: selector,
        id: queued.id,
      },
    );
  }

  queueStats(): RemoteWriteQueueStats {
    return this.queue.stats();
  }

  stats(): StorageStats {
    const q = this.queue.stats();
    return {
      ...this.primary.stats(),
      queuePendingSamples: q.pendingSamples,
      queuePendingBytes: q.pendingBytes,
      queueLagSeconds: q.lagSeconds,
      sentSamples: q.sentSamples,
    };
  }

  async close(): Promise<void> {
    await this.queue.close(5000);
    this.client.close();
    await this.primary.close();
  }
}

/** Appends to the primary; remembers what it accepted (by series) for the queue. */
class TeeAppender implements Appender {
  private pending = new Map<string, { labels: Labels; samples: SampleBuffer }>();

  constructor(
    private readonly primary: Appender,
    private readonly queue: RemoteWriteQueue,
    private readonly refs: Map<SeriesRef, { labels: Labels; key: string }>,
  ) {}

  append(labels: Labels, timestampMs: number, value: number): SeriesRef {
    const ref = this.primary.append(labels, timestampMs, value); // throws: nothing copied
    let known = this.refs.get(ref);
    // The series key is built once per series, not per sample (refs of uncommitted series can
    // repeat across appenders of some stores, so a cached entry must be for these labels).
    if (!known || (known.labels !== labels && !labelsEqual(known.labels, labels))) {
      known = { labels, key: labelsKey(labels) };
      this.refs.set(ref, known);
    }
    this.copy(known.labels, known.key, timestampMs, value);
    return ref;
  }

  appendByRef(ref: SeriesRef, timestampMs: number, value: number): void {
    const known = this.refs.get(ref);
    // Without its labels the copy could not be made: make the caller append by labels.
    if (!known) throw new UnknownSeriesRefError(`series ref ${ref} is not known to the forwarding copy`);
    this.primary.appendByRef(ref, timestampMs, value);
    this.copy(known.labels, known.key, timestampMs, value);
  }

  private copy(labels: Labels, key: string, t: number, v: number): void {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { labels, samples: new SampleBuffer() }));
    p.samples.push(t, v);
  }

  async commit(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const perShard: OutgoingSeries[][] = Array.from({ length: this.queue.shardCount }, () => []);
    for (const [key, p] of batch) {
      perShard[this.queue.shardOf(key)]!.push({
        labels: p.labels,
        timestampsMs: p.samples.timestampsMs.subarray(0, p.samples.length),
        values: p.samples.values.subarray(0, p.samples.length),
      });
    }
    await Promise.all([this.primary.commit(), batch.size > 0 ? this.queue.enqueue(perShard) : undefined]);
  }

  rollback(): void {
    this.pending = new Map();
    this.primary.rollback();
  }
}
