import { formatLabels, type Labels } from '@tally/model';
import {
  DuplicateSampleError,
  OutOfOrderSampleError,
  UnknownSeriesRefError,
  validateLabels,
  type Appender,
  type SeriesRef,
} from '@tally/storage';
import { SampleBuffer } from './float-bits.js';
import type { SeriesEntry, SeriesTable } from './series-table.js';
import type { OutgoingSeries } from './write-request-encoder.js';

/** What an appender hands its storage on commit: samples by shard. */
export type EnqueueFn = (perShard: OutgoingSeries[][]) => Promise<void>;

/**
 * Buffers samples until `commit()`, which resolves once they are fsynced in the remote-write
 * queue (durable; delivered to the engine soon after). Out-of-order and conflicting duplicate
 * samples are refused here, per series, against the newest sample this process wrote — the
 * same rule as Prometheus' head — so the caller learns at once rather than the engine dropping
 * them later. An identical duplicate is accepted and not sent again.
 */
export class RemoteAppender implements Appender {
  private pending = new Map<SeriesEntry, SampleBuffer>();

  constructor(
    private readonly table: SeriesTable,
    private readonly shardCount: number,
    private readonly enqueue: EnqueueFn,
  ) {}

  append(labels: Labels, timestampMs: number, value: number): SeriesRef {
    let entry = this.table.cached(labels); // validated when it was first seen
    if (!entry) {
      validateLabels(labels);
      entry = this.table.getOrCreate(labels);
    }
    this.add(entry, timestampMs, value);
    return entry.ref;
  }

  appendByRef(ref: SeriesRef, timestampMs: number, value: number): void {
    const entry = this.table.byRef(ref);
    if (!entry) throw new UnknownSeriesRefError(`series ref ${ref} is unknown (deleted?): append by labels`);
    this.add(entry, timestampMs, value);
  }

  private add(entry: SeriesEntry, t: number, v: number): void {
    const p = this.pending.get(entry);
    const lastT = p ? p.lastTimestampMs() : entry.lastTimestampMs;
    const lastV = p ? p.lastValue() : entry.lastValue;
    if (t < lastT) throw new OutOfOrderSampleError(formatLabels(entry.labels), t, lastT);
    if (t === lastT) {
      if (sameBits(v, lastV)) return;
      throw new DuplicateSampleError(formatLabels(entry.labels), t);
    }
    if (p) p.push(t, v);
    else {
      const buf = new SampleBuffer();
      buf.push(t, v);
      this.pending.set(entry, buf);
    }
  }

  async commit(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size === 0) return;
    const perShard: OutgoingSeries[][] = Array.from({ length: this.shardCount }, () => []);
    for (const [entry, p] of batch) {
      perShard[entry.shard]!.push({
        labels: entry.labels,
        timestampsMs: p.timestampsMs.subarray(0, p.length),
        values: p.values.subarray(0, p.length),
      });
    }
    await this.enqueue(perShard);
    for (const [entry, p] of batch) {
      if (p.lastTimestampMs() > entry.lastTimestampMs) {
        entry.lastTimestampMs = p.lastTimestampMs();
        entry.lastValue = p.lastValue();
      }
    }
  }

  rollback(): void {
    this.pending = new Map();
  }
}

const bits = new Float64Array(2);
const words = new BigUint64Array(bits.buffer);

/** Equal as IEEE-754 bit patterns (a stale marker is not the same as another NaN). */
function sameBits(a: number, b: number): boolean {
  bits[0] = a;
  bits[1] = b;
  return words[0] === words[1];
}
