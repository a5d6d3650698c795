import { formatLabels, labelsKey, type Labels } from '@tally/model';
import {
  DuplicateSampleError,
  OutOfBoundsSampleError,
  OutOfOrderSampleError,
  UnknownSeriesRefError,
  validateLabels,
  type Appender,
  type SeriesRef,
} from '@tally/storage';
import { FutureSampleError, InvalidTimestampError } from './errors.js';
import type { MemSeries } from './head/mem-series.js';
import type { Tsdb } from './tsdb.js';

const MAX_ABS_TIME = 2 ** 50;
const NO_SAMPLES = new Float64Array(0);
/** Batch arrays kept for reuse (about as many as concurrent commits). */
const MAX_POOLED_BATCHES = 8;
const f64 = new Float64Array(2);
const u32 = new Uint32Array(f64.buffer);

function sameBits(a: number, b: number): boolean {
  f64[0] = a;
  f64[1] = b;
  return u32[0] === u32[2] && u32[1] === u32[3];
}

/**
 * Buffers a batch in typed arrays; `commit()` applies it to the head and logs it to the WAL in
 * the same synchronous step (so WAL order is apply order), then waits for the group fsync.
 * Ordering is checked at append time against the newest sample of the series in this batch,
 * or the committed one (as MemoryStorage does); a sample that loses a race with another
 * appender's commit is skipped at commit and counted in `stats().samplesDroppedAtCommit`.
 */
export class TsdbAppender implements Appender {
  private series: MemSeries[] = [];
  private ts: Float64Array<ArrayBuffer> = NO_SAMPLES;
  private vs: Float64Array<ArrayBuffer> = NO_SAMPLES;
  private refs: Float64Array<ArrayBuffer> = NO_SAMPLES;
  private n = 0;
  private touched: MemSeries[] = [];
  private others: Map<MemSeries, { t: number; v: number }> | null = null;
  /**
   * Series this appender handed refs out for. A head cut or a deletion may garbage-collect an
   * empty series; its ref then keeps working here by re-creating the series from its labels
   * (as MemoryStorage's appender does), so a scrape loop's cached refs survive head cuts.
   */
  private readonly known = new Map<SeriesRef, MemSeries>();
  private lastRef: SeriesRef = 0;
  private lastSeries: MemSeries | null = null;
  /** Oldest timestamp in the uncommitted batch: a head cut never goes past it. */
  minPendingT = Infinity;

  /** Appends up to here need no clock read (the clock only moves forward from when it was set). */
  private maxT: number;

  constructor(private readonly db: Tsdb) {
    this.maxT = db.options.nowMs() + db.options.maxFutureMs;
  }

  /**
   * `key`, when given, must be `labelsKey(labels)`: a caller that already computed it (the
   * server's ingest path keys every series for its own bookkeeping) saves the head computing it
   * again for a new series. Additive to {@link Appender}: callers through the interface omit it.
   */
  append(labels: Labels, timestampMs: number, value: number, key?: string): SeriesRef {
    this.db.checkOpen();
    validateLabels(labels);
    const s = this.db.head.getOrCreate(labels, key ?? labelsKey(labels));
    this.add(s, timestampMs, value);
    if (this.known.get(s.ref) !== s) this.known.set(s.ref, s);
    return s.ref;
  }

  appendByRef(ref: SeriesRef, timestampMs: number, value: number): void {
    this.db.checkOpen();
    this.add(this.seriesOf(ref), timestampMs, value);
  }

  /**
   * Appends samples `[from, to)` of one series, in the order given — what calling
   * {@link appendByRef} for each would do, in one loop over typed arrays (no call and no boxed
   * number per sample: remote write's whole path). It stops before the first sample that is
   * not plainly newer and in bounds and returns how many it appended; the caller appends that
   * one alone, which applies the full rules (a duplicate, a refusal with its error). Additive
   * to {@link Appender}, like the keyed `append`.
   */
  appendRunByRef(ref: SeriesRef, ts: Float64Array, vs: Float64Array, from: number, to: number): number {
    this.db.checkOpen();
    const s = this.seriesOf(ref);
    const owner = s.batchOwner;
    if (owner !== this && owner !== null) return 0;
    const minValid = this.db.head.minValidTimeMs;
    const maxT = this.maxT;
    let newestT = owner === this ? s.batchT : s.lastT;
    while (this.n + (to - from) > this.ts.length) this.grow();
    const bts = this.ts;
    const bvs = this.vs;
    const series = this.series;
    let n = this.n;
    let i = from;
    for (; i < to; i++) {
      const t = ts[i]!;
      // Anything else (out of order, a duplicate, out of bounds, too far ahead, not an integer
      // millisecond within ±2^50; NaN fails the first test) goes through add() alone.
      if (!(t > newestT) || t < minValid || t > maxT || Math.abs(t) > MAX_ABS_TIME || !Number.isInteger(t))
        break;
      series[n] = s;
      bts[n] = t;
      bvs[n++] = vs[i]!;
      newestT = t;
    }
    const appended = i - from;
    if (appended === 0) return 0;
    if (this.n === 0) this.db.pendingAppenders.add(this);
    this.n = n;
    if (owner === null) {
      s.pending++;
      this.touched.push(s);
      s.batchOwner = this;
    }
    s.batchT = newestT;
    s.batchV = vs[i - 1]!;
    if (ts[from]! < this.minPendingT) this.minPendingT = ts[from]!;
    return appended;
  }

  /** The live series behind `ref` (re-created from its labels if a head cut collected it). */
  private seriesOf(ref: SeriesRef): MemSeries {
    // Callers append a series' samples in a run: the previous ref is the likely one.
    const last = this.lastSeries;
    if (last !== null && ref === this.lastRef && !last.removed) return last;
    let s = this.known.get(ref);
    if (s?.removed) {
      s = this.db.head.getOrCreate(s.labels, s.key);
      this.known.set(ref, s);
    }
    s ??= this.db.head.byRef.get(ref);
    if (!s || s.removed) throw new UnknownSeriesRefError(`unknown series ref ${ref}`);
    this.lastRef = ref;
    this.lastSeries = s;
    return s;
  }

  private add(s: MemSeries, t: number, v: number): void {
    if (!Number.isSafeInteger(t) || Math.abs(t) > MAX_ABS_TIME)
      throw new InvalidTimestampError(
        `timestamp ${t} for ${formatLabels(s.labels)} is not an integer millisecond within ±2^50`,
      );
    const minValid = this.db.head.minValidTimeMs;
    const owner = s.batchOwner === this;
    const mine = owner ? undefined : this.others?.get(s);
    // The newest sample of this series in the batch, else the committed one. Only accepted
    // samples count, as in MemoryStorage: a refused one leaves no trace.
    const newestT = owner ? s.batchT : mine ? mine.t : s.lastT;
    const newestV = owner ? s.batchV : mine ? mine.v : s.lastV;
    if (t < newestT) throw new OutOfOrderSampleError(formatLabels(s.labels), t, newestT);
    if (t === newestT && !sameBits(v, newestV)) throw new DuplicateSampleError(formatLabels(s.labels), t);
    if (t < minValid) throw new OutOfBoundsSampleError(formatLabels(s.labels), t, minValid);
    if (t > this.maxT) this.checkFuture(s, t);
    if (owner) {
      s.batchT = t;
      s.batchV = v;
    } else if (mine) {
      mine.t = t;
      mine.v = v;
    } else {
      // First sample of this series in the batch: pin the series until commit or rollback.
      s.pending++;
      this.touched.push(s);
      if (s.batchOwner === null) {
        s.batchOwner = this;
        s.batchT = t;
        s.batchV = v;
      } else (this.others ??= new Map()).set(s, { t, v });
    }
    if (this.n === 0) this.db.pendingAppenders.add(this);
    if (t < this.minPendingT) this.minPendingT = t;
    if (this.n === this.ts.length) this.grow();
    this.series[this.n] = s;
    this.ts[this.n] = t;
    this.vs[this.n++] = v;
  }

  /** Refuses `t` if it is too far ahead of the clock now (`maxT` is a cached lower bound). */
  private checkFuture(s: MemSeries, t: number): void {
    const { maxFutureMs, nowMs } = this.db.options;
    const now = nowMs();
    this.maxT = now + maxFutureMs;
    if (t > this.maxT) throw new FutureSampleError(formatLabels(s.labels), t, now, maxFutureMs);
  }

  private grow(): void {
    if (this.n === 0 && this.ts.length === 0) {
      // Arrays a committed appender gave back: a request-sized batch without regrowing.
      const pooled = this.db.batchArrays.pop();
      if (pooled) {
        [this.ts, this.vs, this.refs, this.series] = pooled;
        return;
      }
    }
    const grow = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(Math.max(256, a.length * 2));
      b.set(a);
      return b;
    };
    this.ts = grow(this.ts);
    this.vs = grow(this.vs);
    this.refs = grow(this.refs);
  }

  commit(): Promise<void> {
    this.db.checkOpen();
    if (this.n === 0 && this.touched.length === 0) return Promise.resolve();
    const accepted = this.db.applyBatch(this.touched, this.series, this.ts, this.vs, this.refs, this.n);
    this.release();
    return accepted;
  }

  rollback(): void {
    this.release();
  }

  private release(): void {
    for (const s of this.touched) {
      s.pending--;
      if (s.batchOwner === this) s.batchOwner = null;
    }
    this.touched = [];
    this.others = null;
    this.n = 0;
    // applyBatch is done with the arrays (it copies into the head and the WAL synchronously).
    // The series array goes back whole, not truncated: refilling it from empty was most of
    // what a commit allocated. It only ever holds series that are in the head or were.
    if (this.ts.length > 0 && this.db.batchArrays.length < MAX_POOLED_BATCHES)
      this.db.batchArrays.push([this.ts, this.vs, this.refs, this.series]);
    this.series = [];
    this.ts = this.vs = this.refs = NO_SAMPLES;
    this.minPendingT = Infinity;
    this.db.pendingAppenders.delete(this);
  }
}
