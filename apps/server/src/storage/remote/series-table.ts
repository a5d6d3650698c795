import { labelsKey, type Labels } from '@tally/model';
import { matchLabels, type Matcher, type SeriesRef } from '@tally/storage';

/** What the adapter remembers of a series it has written. */
export interface SeriesEntry {
  readonly ref: SeriesRef;
  readonly labels: Labels;
  readonly shard: number;
  /** Newest sample committed by this process (−Infinity before the first). */
  lastTimestampMs: number;
  lastValue: number;
}

/**
 * The series this process has written, by canonical key and by ref: the shard of each and its
 * newest committed sample, for the appender's ordering checks. One entry per series, so memory
 * grows with the series count (bounded by the server's series-per-job limit), never with samples.
 * Starts empty: after a restart the first sample of each series is checked by the engine.
 */
export class SeriesTable {
  private readonly byKey = new Map<string, SeriesEntry>();
  private readonly refs = new Map<SeriesRef, SeriesEntry>();
  /** By label-set object: callers that reuse one object per series skip building its key. */
  private readonly byLabels = new WeakMap<Labels, SeriesEntry>();
  private nextRef = 1;

  constructor(private readonly shardOf: (seriesKey: string) => number) {}

  /** The entry of this very label-set object, if one was created or looked up with it and not forgotten. */
  cached(labels: Labels): SeriesEntry | undefined {
    const entry = this.byLabels.get(labels);
    return entry && this.refs.get(entry.ref) === entry ? entry : undefined;
  }

  getOrCreate(labels: Labels): SeriesEntry {
    const cached = this.cached(labels);
    if (cached) return cached;
    const key = labelsKey(labels);
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = {
        ref: this.nextRef++,
        labels,
        shard: this.shardOf(key),
        lastTimestampMs: -Infinity,
        lastValue: NaN,
      };
      this.byKey.set(key, entry);
      this.refs.set(entry.ref, entry);
    }
    this.byLabels.set(labels, entry);
    return entry;
  }

  byRef(ref: SeriesRef): SeriesEntry | undefined {
    return this.refs.get(ref);
  }

  /** Forgets matching series (after a whole-series deletion): their refs become unknown. */
  forget(matchers: readonly Matcher[]): void {
    for (const [key, entry] of this.byKey) {
      if (!matchLabels(matchers, entry.labels)) continue;
      this.byKey.delete(key);
      this.refs.delete(entry.ref);
    }
  }

  get size(): number {
    return this.byKey.size;
  }
}
