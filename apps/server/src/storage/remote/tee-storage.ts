import { labelsKey, type Labels } from '@tally/model';
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
import type { RemoteHttpClient } from './remote-http-client.js';
import type { RemoteLog, RemoteWriteQueue, RemoteWriteQueueStats } from './remote-write-queue.js';
import { SampleBuffer } from './float-bits.js';
import type { OutgoingSeries } from './write-request-encoder.js';

/**
 * Forwarding mode: the embedded store stays the store of record (reads, deletion) and a copy of
 * every committed sample goes to an external engine through the durable remote-write queue —
 * long-term storage beside a local one. A commit resolves once both the embedded store and the
 * queue have it on disk. Deleting a job deletes locally; the copy is left to the engine's
 * retention (documented: the external engine is an archive).
 */
export class TeeStorage implements Storage {
  /** The primary's series refs (handed out by any appender) to labels, for the copy. */
  private readonly refs = new Map<SeriesRef, { labels: Labels; key: string }>();

  constructor(
    private readonly primary: Storage,
    readonly queue: RemoteWriteQueue,
    private readonly client: RemoteHttpClient,
    private readonly log: RemoteLog = () => undefined,
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
    this.log(
      'info',
      'series deleted locally; the forwarded copy stays in the external engine until its retention',
      {
        matchers: matchers.map(String).join(','),
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
    const key = labelsKey(labels);
    this.refs.set(ref, { labels, key });
    this.copy(labels, key, timestampMs, value);
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
