import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '@tally/storage';
import { DeletionCoordinator, type DeletionAttempt } from './deletion-coordinator.js';
import { encodeQueueBody } from './queue-body.js';
import { decodeDeletionBody, encodeDeletionBody, type QueuedDeletion } from './queued-deletion.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import { SegmentQueue } from './segment-queue.js';
import { ShardSender } from './shard-sender.js';
import type { OutgoingSeries } from './write-request-encoder.js';

export interface RemoteWriteQueueOptions {
  /** Directory of the queue (one sub-directory per shard). */
  readonly dir: string;
  readonly writeUrl: string;
  readonly client: RemoteHttpClient;
  /** Parallel senders (default 4); fixed for a queue directory once created. */
  readonly shards?: number;
  readonly maxSamplesPerSend?: number;
  readonly segmentSizeBytes?: number;
  /** Commits are refused once this much is waiting on disk (default 1 GiB). */
  readonly maxQueueBytes?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly log?: RemoteLog;
  /**
   * Carries a queued deletion out on the engine (once per call); needed by
   * {@link RemoteWriteQueue.enqueueDeletion}.
   */
  readonly deleteSeries?: (deletion: QueuedDeletion) => Promise<DeletionAttempt>;
}

export type RemoteLog = (
  level: 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/** The queue's figures, for `/metrics` (names and meanings in the README). */
export interface RemoteWriteQueueStats {
  readonly shards: number;
  readonly pendingSamples: number;
  readonly pendingBytes: number;
  /** Age of the oldest sample being sent (0 when the queue is empty). */
  readonly lagSeconds: number;
  readonly sentSamples: number;
  readonly sentRequests: number;
  readonly retries: number;
  readonly droppedSamples: ReadonlyMap<string, number>;
  /** Deletions queued and not carried out on the engine yet. */
  readonly pendingDeletions: number;
  /** Deletions the engine refused for good (4xx). */
  readonly refusedDeletions: number;
}

/** The queue is over `maxQueueBytes`: the engine has been unreachable too long. Retry later. */
export class RemoteQueueFullError extends StorageError {
  override readonly name = 'RemoteQueueFullError';
}

/**
 * Durable, sharded remote-write: `enqueue` puts each shard's samples in that shard's on-disk
 * queue and resolves once they are fsynced; a sender per shard delivers them in order.
 * Memory use is bounded by the batch each sender holds (`maxSamplesPerSend`), whatever the
 * queue's length on disk.
 */
export class RemoteWriteQueue {
  readonly shardCount: number;
  private readonly queues: SegmentQueue[] = [];
  private readonly senders: ShardSender[] = [];
  private readonly maxQueueBytes: number;
  private readonly dropped = new Map<string, number>();
  private retries = 0;
  private readonly deletions: DeletionCoordinator;
  /** The id of the newest deletion enqueued (or found pending at start). */
  private lastDeletionId: number;
  private refusedDeletions = 0;

  constructor(private readonly opts: RemoteWriteQueueOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.shardCount = fixedShardCount(opts.dir, opts.shards ?? 4);
    this.maxQueueBytes = opts.maxQueueBytes ?? 1 << 30;
    const log = opts.log ?? (() => undefined);
    const writeUrl = new URL(opts.writeUrl);
    const backoff = { minBackoffMs: opts.minBackoffMs ?? 100, maxBackoffMs: opts.maxBackoffMs ?? 30_000 };
    const execute = opts.deleteSeries;
    this.deletions = new DeletionCoordinator({
      dir: opts.dir,
      shardCount: this.shardCount,
      ...backoff,
      execute: execute
        ? execute
        : () => Promise.resolve({ outcome: 'refused', detail: 'no delete-series API configured' }),
      onRetry: (d, detail) =>
        log('warn', 'remote deletion failed, retrying', { id: d.id, match: d.selector, detail }),
      onRefused: (d, detail) => {
        this.refusedDeletions++;
        log('error', 'remote engine refused a deletion for good: the series stay there', {
          id: d.id,
          match: d.selector,
          detail,
        });
      },
    });
    this.lastDeletionId = this.deletions.lastDone;
    /** Per deletion id pending at start, the shards holding its record. */
    const pendingIn = new Map<number, number>();
    for (let i = 0; i < this.shardCount; i++) {
      const queue = new SegmentQueue(join(opts.dir, `shard-${i}`), {
        onPendingControl: (body) => {
          try {
            const id = decodeDeletionBody(body).id;
            this.lastDeletionId = Math.max(this.lastDeletionId, id);
            pendingIn.set(id, (pendingIn.get(id) ?? 0) + 1);
          } catch {
            // unreadable: the sender drops it as corrupt_record
          }
        },
        ...(opts.segmentSizeBytes !== undefined ? { segmentSizeBytes: opts.segmentSizeBytes } : {}),
        onRecovery: (what, segment, offset) =>
          log(
            what === 'torn_tail' ? 'info' : 'error',
            `remote-write queue: ${what.replace('_', ' ')} cut off`,
            {
              shard: i,
              segment,
              offset,
            },
          ),
      });
      const sender = new ShardSender(queue, opts.client, {
        writeUrl,
        maxSamplesPerSend: opts.maxSamplesPerSend ?? 2000,
        ...backoff,
        onDeletion: (deletion) => this.deletions.arrive(i, deletion),
        onDrop: (reason, samples, detail) => {
          this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + samples);
          log('warn', 'remote engine refused a batch for good: dropped', {
            shard: i,
            reason,
            samples,
            detail,
          });
        },
        onRetry: (detail) => {
          if (this.retries++ % 100 === 0) log('warn', 'remote write failed, retrying', { shard: i, detail });
        },
      });
      this.queues.push(queue);
      this.senders.push(sender);
    }
    // A deletion whose record is in some shards only was cut short before it was on disk
    // everywhere (a crash or power loss inside enqueueDeletion, which therefore never resolved):
    // nobody was told it was queued, and the shards without it would never reach it. Skip it.
    for (const [id, shards] of pendingIn) {
      if (shards < this.shardCount && id > this.deletions.lastDone) {
        this.deletions.abandon(id);
        log('warn', 'remote-write queue: a deletion never fully queued before a crash is skipped', { id });
      }
    }
    for (const sender of this.senders) sender.start();
  }

  /** The shard of a series (by its canonical key), stable for the queue's life. */
  shardOf(seriesKey: string): number {
    // FNV-1a, 32 bit.
    let h = 0x811c9dc5;
    for (let i = 0; i < seriesKey.length; i++) {
      h ^= seriesKey.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0) % this.shardCount;
  }

  /** Appends each shard's series (index = shard) and resolves once all of it is on disk. */
  async enqueue(perShard: readonly (readonly OutgoingSeries[])[], nowMs = Date.now()): Promise<void> {
    let pending = 0;
    for (const q of this.queues) pending += q.pendingBytes;
    if (pending > this.maxQueueBytes) {
      throw new RemoteQueueFullError(
        `the remote-write queue holds ${pending} bytes, more than --remote-queue-max-bytes (${this.maxQueueBytes}): the remote engine is not keeping up or unreachable`,
      );
    }
    const syncs: Promise<void>[] = [];
    const maxPerRecord = this.opts.maxSamplesPerSend ?? 2000;
    perShard.forEach((series, shard) => {
      if (series.length === 0) return;
      const queue = this.queues[shard]!;
      for (const chunk of chunkSeries(series, maxPerRecord)) {
        let samples = 0;
        for (const s of chunk) samples += s.values.length;
        queue.append(encodeQueueBody(chunk), samples, nowMs);
      }
      syncs.push(queue.sync());
    });
    await Promise.all(syncs);
  }

  /**
   * Queues the deletion of the series `selector` matches, behind every sample enqueued so far
   * and ahead of every sample enqueued later, in every shard; resolves once that is on disk.
   * The engine is asked to delete once every shard's sender has reached it (see
   * {@link DeletionCoordinator}), after any outage and across restarts.
   */
  async enqueueDeletion(
    selector: string,
    range: { startMs?: number; endMs?: number } = {},
    nowMs = Date.now(),
  ): Promise<QueuedDeletion> {
    if (!this.opts.deleteSeries)
      throw new StorageError('this remote-write queue has no delete-series API to call');
    const deletion: QueuedDeletion = { id: ++this.lastDeletionId, selector, ...range };
    const body = encodeDeletionBody(deletion);
    // Appended to every shard in one synchronous run: no commit can slip in between.
    for (const q of this.queues) q.append(body, 0, nowMs);
    await Promise.all(this.queues.map((q) => q.sync()));
    return deletion;
  }

  /**
   * Waits until everything enqueued before the call has been sent (or dropped), at most
   * `timeoutMs`; true if it was.
   */
  async barrier(timeoutMs: number): Promise<boolean> {
    const targets = this.queues.map((q) => q.appendedBytesTotal);
    const deadline = Date.now() + timeoutMs;
    for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
      if (this.queues.every((q, i) => q.ackedBytesTotal >= targets[i]!)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }

  stats(nowMs = Date.now()): RemoteWriteQueueStats {
    let pendingSamples = 0;
    let pendingBytes = 0;
    let oldest = Infinity;
    let sentSamples = 0;
    let sentRequests = 0;
    for (const q of this.queues) {
      pendingSamples += q.pendingSamples;
      pendingBytes += q.pendingBytes;
    }
    for (const s of this.senders) {
      if (s.inflightSinceMs !== undefined) oldest = Math.min(oldest, s.inflightSinceMs);
      sentSamples += s.sentSamples;
      sentRequests += s.sentRequests;
    }
    return {
      shards: this.shardCount,
      pendingSamples,
      pendingBytes,
      lagSeconds: oldest === Infinity ? 0 : Math.max(0, (nowMs - oldest) / 1000),
      sentSamples,
      sentRequests,
      retries: this.retries,
      droppedSamples: new Map(this.dropped),
      pendingDeletions: Math.max(
        0,
        this.lastDeletionId - this.deletions.lastDone - this.deletions.abandonedAhead,
      ),
      refusedDeletions: this.refusedDeletions,
    };
  }

  /** Tries to send what is queued for up to `drainTimeoutMs`, then stops; the rest stays on disk. */
  async close(drainTimeoutMs = 0): Promise<void> {
    if (drainTimeoutMs > 0) await this.barrier(drainTimeoutMs);
    this.deletions.close();
    await Promise.all(this.senders.map((s) => s.stop()));
  }
}

/** Splits series into groups of at most `max` samples (a series longer than that is split too). */
function* chunkSeries(series: readonly OutgoingSeries[], max: number): Generator<OutgoingSeries[]> {
  let chunk: OutgoingSeries[] = [];
  let n = 0;
  for (const s of series) {
    for (let start = 0; start < s.values.length;) {
      const take = Math.min(s.values.length - start, max - n);
      chunk.push(
        start === 0 && take === s.values.length
          ? s
          : {
              labels: s.labels,
              timestampsMs: Float64Array.from({ length: take }, (_, i) => s.timestampsMs[start + i]!),
              values: copyValues(s.values, start, take),
            },
      );
      n += take;
      start += take;
      if (n >= max) {
        yield chunk;
        chunk = [];
        n = 0;
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** A copy of `take` values from `start` that keeps each value's bit pattern. */
function copyValues(values: ArrayLike<number>, start: number, take: number): Float64Array {
  if (values instanceof Float64Array) return values.slice(start, start + take);
  const out = new Float64Array(take);
  for (let i = 0; i < take; i++) out[i] = values[start + i]!;
  return out;
}

/** The shard count is part of the on-disk layout: a queue keeps the count it was created with. */
function fixedShardCount(dir: string, wanted: number): number {
  const file = join(dir, 'shards');
  if (existsSync(file)) {
    const n = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(n) && n > 0) return n;
  }
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > 256)
    throw new Error(`remote-write shards must be an integer from 1 to 256, got ${wanted}`);
  writeFileSync(file, `${wanted}\n`);
  return wanted;
}
