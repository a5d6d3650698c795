import { compareLabels, formatLabels, labelsKey, METRIC_NAME, type Labels } from '@tally/model';
import {
  DuplicateSampleError,
  InvalidLabelsError,
  OutOfOrderSampleError,
  StorageClosedError,
  UnknownSeriesRefError,
} from './errors.js';
import { matchLabels, type Matcher } from './matcher.js';
import type {
  Appender,
  Querier,
  SampleIterator,
  Series,
  SeriesRef,
  Storage,
  StorageStats,
} from './storage.js';

interface MemSeries {
  readonly ref: SeriesRef;
  readonly labels: Labels;
  timestamps: number[];
  // Float64Array-backed values would be faster; plain arrays keep the reference simple.
  // Values are kept in a Float64Array copy on read so NaN bit patterns survive.
  values: Float64Array;
  length: number;
}

/**
 * The reference implementation of {@link Storage}: everything in memory, no durability.
 * It is the model the embedded TSDB's property tests compare against, the store of the
 * PromQL conformance tests, and the simplest correct reading of the contract.
 */
export class MemoryStorage implements Storage {
  private readonly byKey = new Map<string, MemSeries>();
  private readonly byRef = new Map<SeriesRef, MemSeries>();
  private nextRef = 1;
  private closed = false;

  appender(): Appender {
    this.checkOpen();
    return new MemoryAppender(this);
  }

  querier(minTimeMs: number, maxTimeMs: number): Querier {
    this.checkOpen();
    // A snapshot by reference: appends only write past `length`, and deletion swaps in new
    // arrays, so the arrays captured here never change under the querier. Nothing is copied
    // until a series is selected.
    const snapshot = [...this.byKey.values()].map((s) => ({
      labels: s.labels,
      timestamps: s.timestamps,
      values: s.values,
      length: s.length,
    }));
    return new MemoryQuerier(snapshot, minTimeMs, maxTimeMs);
  }

  deleteSeries(matchers: readonly Matcher[], minTimeMs = -Infinity, maxTimeMs = Infinity): Promise<void> {
    this.checkOpen();
    for (const [key, s] of this.byKey) {
      if (!matchLabels(matchers, s.labels)) continue;
      const keepT: number[] = [];
      const keepV: number[] = [];
      for (let i = 0; i < s.length; i++) {
        const t = s.timestamps[i]!;
        if (t < minTimeMs || t > maxTimeMs) {
          keepT.push(t);
          keepV.push(i);
        }
      }
      if (keepT.length === 0) {
        this.byKey.delete(key);
        this.byRef.delete(s.ref);
        continue;
      }
      const values = new Float64Array(Math.max(16, keepT.length));
      keepV.forEach((i, j) => (values[j] = s.values[i]!));
      s.timestamps = keepT;
      s.values = values;
      s.length = keepT.length;
    }
    return Promise.resolve();
  }

  stats(): StorageStats {
    let numSamples = 0;
    let minTimeMs = Infinity;
    let maxTimeMs = -Infinity;
    for (const s of this.byKey.values()) {
      numSamples += s.length;
      if (s.length > 0) {
        minTimeMs = Math.min(minTimeMs, s.timestamps[0]!);
        maxTimeMs = Math.max(maxTimeMs, s.timestamps[s.length - 1]!);
      }
    }
    return { numSeries: this.byKey.size, numSamples, minTimeMs, maxTimeMs, sizeBytes: numSamples * 16 };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** @internal Applies a committed batch; validation happened at append time. */
  applyBatch(batch: readonly PendingSample[]): void {
    for (const p of batch) {
      let s = this.byKey.get(p.key);
      if (!s) {
        s = {
          ref: this.nextRef++,
          labels: p.labels,
          timestamps: [],
          values: new Float64Array(16),
          length: 0,
        };
        this.byKey.set(p.key, s);
        this.byRef.set(s.ref, s);
      }
      const last = s.length > 0 ? s.timestamps[s.length - 1]! : -Infinity;
      if (p.timestampMs === last) continue; // idempotent duplicate (checked at append)
      if (p.timestampMs < last) continue; // lost a race with another appender's commit
      if (s.length === s.values.length) {
        const grown = new Float64Array(s.values.length * 2);
        grown.set(s.values);
        s.values = grown;
      }
      s.timestamps.push(p.timestampMs);
      s.values[s.length++] = p.value;
    }
  }

  /** @internal */
  lookupKey(key: string): MemSeries | undefined {
    return this.byKey.get(key);
  }

  /** @internal */
  lookupRef(ref: SeriesRef): MemSeries | undefined {
    return this.byRef.get(ref);
  }

  /** @internal */
  checkOpen(): void {
    if (this.closed) throw new StorageClosedError('storage is closed');
  }
}

interface PendingSample {
  readonly key: string;
  readonly labels: Labels;
  readonly timestampMs: number;
  readonly value: number;
}

const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function sameBits(a: number, b: number): boolean {
  scratch[0] = a;
  const lo = scratchBits[0];
  const hi = scratchBits[1];
  scratch[0] = b;
  return lo === scratchBits[0] && hi === scratchBits[1];
}

class MemoryAppender implements Appender {
  private batch: PendingSample[] = [];
  // The newest timestamp (and value) per series within this batch, for ordering checks.
  private readonly newest = new Map<string, { t: number; v: number }>();
  private readonly refs = new Map<SeriesRef, { key: string; labels: Labels }>();
  private pseudoRef = -1;

  constructor(private readonly store: MemoryStorage) {}

  append(labels: Labels, timestampMs: number, value: number): SeriesRef {
    validateLabels(labels);
    const key = labelsKey(labels);
    this.check(key, labels, timestampMs, value);
    const existing = this.store.lookupKey(key);
    const ref = existing ? existing.ref : this.pseudoRef--;
    this.refs.set(ref, { key, labels });
    this.batch.push({ key, labels, timestampMs, value });
    return ref;
  }

  appendByRef(ref: SeriesRef, timestampMs: number, value: number): void {
    const known = this.refs.get(ref) ?? this.fromStore(ref);
    if (!known) throw new UnknownSeriesRefError(`unknown series ref ${ref}`);
    this.check(known.key, known.labels, timestampMs, value);
    this.batch.push({ key: known.key, labels: known.labels, timestampMs, value });
  }

  commit(): Promise<void> {
    this.store.checkOpen();
    this.store.applyBatch(this.batch);
    this.batch = [];
    this.newest.clear();
    return Promise.resolve();
  }

  rollback(): void {
    this.batch = [];
    this.newest.clear();
  }

  private fromStore(ref: SeriesRef): { key: string; labels: Labels } | undefined {
    const s = this.store.lookupRef(ref);
    return s ? { key: labelsKey(s.labels), labels: s.labels } : undefined;
  }

  private check(key: string, labels: Labels, t: number, v: number): void {
    let newest = this.newest.get(key);
    if (!newest) {
      const s = this.store.lookupKey(key);
      if (s && s.length > 0) newest = { t: s.timestamps[s.length - 1]!, v: s.values[s.length - 1]! };
    }
    if (newest) {
      if (t < newest.t) throw new OutOfOrderSampleError(formatLabels(labels), t, newest.t);
      if (t === newest.t && !sameBits(v, newest.v)) throw new DuplicateSampleError(formatLabels(labels), t);
    }
    this.newest.set(key, { t, v });
  }
}

/** Throws {@link InvalidLabelsError} unless labels are sorted, unique, non-empty and named. */
export function validateLabels(labels: Labels): void {
  let hasName = false;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l.name === '') throw new InvalidLabelsError('label with an empty name');
    if (l.value === '') throw new InvalidLabelsError(`label ${l.name} has an empty value`);
    if (i > 0 && labels[i - 1]!.name >= l.name)
      throw new InvalidLabelsError(`labels not sorted or duplicated at ${l.name}`);
    if (l.name === METRIC_NAME) hasName = true;
  }
  if (!hasName) throw new InvalidLabelsError(`series ${formatLabels(labels)} has no metric name (__name__)`);
}

interface SnapshotSeries {
  readonly labels: Labels;
  readonly timestamps: readonly number[];
  readonly values: Float64Array;
  readonly length: number;
}

class MemoryQuerier implements Querier {
  constructor(
    private readonly series: SnapshotSeries[],
    readonly minTimeMs: number,
    readonly maxTimeMs: number,
  ) {}

  select(matchers: readonly Matcher[]): Promise<Series[]> {
    const out: Series[] = [];
    for (const s of this.series) {
      if (!matchLabels(matchers, s.labels)) continue;
      const lo = lowerBound(s.timestamps, s.length, this.minTimeMs);
      const hi = lowerBound(s.timestamps, s.length, this.maxTimeMs + 1);
      if (hi <= lo) continue;
      const ts = s.timestamps.slice(lo, hi);
      const vs = s.values.slice(lo, hi);
      out.push({ labels: s.labels, iterator: () => new ArrayIterator(ts, vs) });
    }
    return Promise.resolve(out.sort((a, b) => compareLabels(a.labels, b.labels)));
  }

  async labelNames(matchers?: readonly Matcher[]): Promise<string[]> {
    const names = new Set<string>();
    for (const s of await this.matching(matchers)) for (const l of s.labels) names.add(l.name);
    return [...names].sort();
  }

  async labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]> {
    const values = new Set<string>();
    for (const s of await this.matching(matchers))
      for (const l of s.labels) if (l.name === name) values.add(l.value);
    return [...values].sort();
  }

  close(): void {
    // nothing pinned
  }

  private async matching(matchers?: readonly Matcher[]): Promise<readonly { labels: Labels }[]> {
    return matchers && matchers.length > 0 ? this.select(matchers) : this.series.filter((s) => s.length > 0);
  }
}

function lowerBound(ts: readonly number[], length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A {@link SampleIterator} over parallel arrays; also handy for other implementations' decoded chunks. */
export class ArrayIterator implements SampleIterator {
  private i = -1;
  t = 0;
  v = 0;

  constructor(
    private readonly timestamps: ArrayLike<number>,
    private readonly values: ArrayLike<number>,
  ) {}

  next(): boolean {
    if (++this.i >= this.timestamps.length) return false;
    this.t = this.timestamps[this.i]!;
    this.v = this.values[this.i]!;
    return true;
  }

  seek(timestampMs: number): boolean {
    if (this.i >= 0 && this.i < this.timestamps.length && this.t >= timestampMs) return true;
    while (this.next()) if (this.t >= timestampMs) return true;
    return false;
  }
}
