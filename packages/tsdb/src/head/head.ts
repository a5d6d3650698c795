import type { Labels } from '@tally/model';
import { matchLabels, type Matcher } from '@tally/storage';
import { ONE_T, ONE_V } from '../chunk/xor-chunk.js';
import { MemSeries } from './mem-series.js';
import { PostingsIndex } from './postings-index.js';
import { ChunkSampleIterator } from '../query/series-iterator.js';

/**
 * The in-memory head: every series that received samples since the last block cut, indexed
 * by label set (for `append`), by ref (the fast path) and by inverted postings (for queries).
 */
export class Head {
  readonly byKey = new Map<string, MemSeries>();
  readonly byRef = new Map<number, MemSeries>();
  readonly postings = new PostingsIndex<MemSeries>();
  nextRef = 1;
  /** Samples older than this belong to a block already (Prometheus' head minValidTime). */
  minValidTimeMs = -Infinity;
  maxTimeMs = -Infinity;
  numSamples = 0;

  constructor(readonly chunkRangeMs: number) {
    // V8 treats a field as constant until its second write, and optimized code may rely on that;
    // the first head cut raising minValidTimeMs then threw away the optimized commit path. Two
    // writes here make it an ordinary mutable field from the start.
    this.minValidTimeMs = 0;
    this.minValidTimeMs = -Infinity;
  }

  /** The series for `labels`, created (with a fresh ref, or `ref` on WAL replay) if new. */
  getOrCreate(labels: Labels, key: string, ref = 0): MemSeries {
    let s = this.byKey.get(key);
    if (s) {
      if (ref !== 0 && ref !== s.ref) {
        // Replay: the same labels were logged again under a later ref (the series had been
        // garbage-collected and re-created); both refs name this series.
        this.byRef.set(ref, s);
        if (ref >= this.nextRef) this.nextRef = ref + 1;
      }
      return s;
    }
    s = new MemSeries(ref !== 0 ? ref : this.nextRef, labels, key);
    if (s.ref >= this.nextRef) this.nextRef = s.ref + 1;
    this.byKey.set(key, s);
    this.byRef.set(s.ref, s);
    this.postings.add(s);
    return s;
  }

  /**
   * Appends a committed sample unless it lost a race with another appender's commit (then it is
   * older than the series' newest, or a duplicate); returns whether it was applied.
   */
  appendSample(s: MemSeries, t: number, v: number): boolean {
    ONE_T[0] = t;
    ONE_V[0] = v;
    return this.appendSampleAt(s, ONE_T, ONE_V, 0);
  }

  /** {@link appendSample} of sample `i` of parallel arrays (the commit path: no boxed numbers). */
  appendSampleAt(s: MemSeries, ts: Float64Array, vs: Float64Array, i: number): boolean {
    const t = ts[i]!;
    if (t <= s.lastT || t < this.minValidTimeMs) return false;
    s.appendAt(ts, vs, i, this.chunkRangeMs);
    this.numSamples++;
    if (t > this.maxTimeMs) this.maxTimeMs = t;
    return true;
  }

  /** Series matching all matchers (unsorted), including ones with no samples. */
  select(matchers: readonly Matcher[]): MemSeries[] {
    const candidates = this.postings.candidates(matchers) ?? this.byKey.values();
    const out: MemSeries[] = [];
    for (const s of candidates) if (!s.removed && matchLabels(matchers, s.labels)) out.push(s);
    return out;
  }

  /** Removes the samples of `s` within [minT, maxT] by re-encoding what remains. */
  deleteRange(s: MemSeries, minT: number, maxT: number): void {
    if (s.numSamples === 0 || maxT < s.minT || minT > s.lastT) return;
    const it = new ChunkSampleIterator(s.snapshot(), -Infinity, Infinity, null);
    const ts: number[] = [];
    const vs = new Float64Array(s.numSamples);
    while (it.next()) {
      if (it.t >= minT && it.t <= maxT) continue;
      vs[ts.length] = it.v;
      ts.push(it.t);
    }
    this.numSamples -= s.numSamples;
    s.clearChunks();
    s.numSamples = 0;
    s.lastT = -Infinity;
    s.lastV = 0;
    for (let i = 0; i < ts.length; i++) s.append(ts[i]!, vs[i]!, this.chunkRangeMs);
    this.numSamples += s.numSamples;
  }

  /** Drops series with no samples that no appender holds (after deletions and head cuts). */
  collectGarbage(): number {
    const gone: MemSeries[] = [];
    for (const s of this.byKey.values()) {
      if (s.numSamples > 0 || s.pending > 0) continue;
      s.removed = true;
      gone.push(s);
      this.byKey.delete(s.key);
    }
    if (gone.length === 0) return 0;
    for (const [ref, s] of this.byRef) if (s.removed) this.byRef.delete(ref);
    this.postings.removeFlagged(gone);
    return gone.length;
  }

  /** Forgets every sample older than `t` (they were written to a block) and raises minValidTime. */
  truncateBefore(t: number): void {
    if (t > this.minValidTimeMs) this.minValidTimeMs = t;
    for (const s of this.byKey.values()) {
      if (s.numSamples === 0 || s.minT >= t) continue;
      if (s.lastT < t) {
        this.numSamples -= s.numSamples;
        s.clearChunks();
        s.numSamples = 0;
        continue;
      }
      // Chunks never straddle a block boundary, where maintenance cuts: drop whole chunks and
      // re-encode only when a cut at an arbitrary time (cutHead(t)) falls inside one.
      let k = 0;
      let dropped = 0;
      while (k < s.chunks.length && s.chunks[k]!.maxT < t) dropped += s.chunks[k++]!.numSamples;
      const next = s.chunks[k];
      if (next ? next.minT >= t : s.openMinT >= t) {
        s.chunks = s.chunks.slice(k);
        s.numSamples -= dropped;
        this.numSamples -= dropped;
        continue;
      }
      this.deleteRange(s, -Infinity, t - 1);
    }
  }

  get minTimeMs(): number {
    let min = Infinity;
    for (const s of this.byKey.values()) if (s.numSamples > 0 && s.minT < min) min = s.minT;
    return min;
  }
}
