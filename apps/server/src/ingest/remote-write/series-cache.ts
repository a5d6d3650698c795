import type { Labels } from '@tally/model';
import type { SeriesStat } from '../../jobs/job-stats.js';

/** What a series' label bytes decode to; the same bytes always decode to the same entry. */
export interface CachedSeries {
  /** Sorted, empty values dropped. */
  readonly labels: Labels;
  /** `labelsKey(labels)`: the key job statistics and the series limit use. */
  readonly key: string;
  /** The `job` label, which the series is attributed to; undefined when missing. */
  readonly job: string | undefined;
  /** The labels passed the limits and name rules in a checked request (they are fixed per process). */
  labelsChecked: boolean;
  /** The series' job-stats entry after the last accepted write (saves a lookup next time). */
  stat?: SeriesStat | null;
}

/** A decoded series of a WriteRequest: its cache entry's labels, and its samples. */
export interface WriteSeries extends Readonly<CachedSeries> {
  /** The cache entry, to mark its labels checked once a request with it passed the check. */
  readonly entry: CachedSeries;
  /**
   * The series' samples are [start, end) of these two arrays, which `decodeWriteRequestRuns`
   * shares among a request's series (no typed-array views per series), and `decodeWriteRequest`
   * gives each series as views of their own (start 0).
   */
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  readonly start: number;
  readonly end: number;
}

/** Series `e` with samples [start, end) of `ts` and `vs`. */
export function seriesRun(
  e: CachedSeries,
  ts: Float64Array,
  vs: Float64Array,
  start: number,
  end: number,
): WriteSeries {
  return {
    labels: e.labels,
    key: e.key,
    job: e.job,
    labelsChecked: e.labelsChecked,
    stat: e.stat ?? null,
    entry: e,
    timestampsMs: ts,
    values: vs,
    start,
    end,
  };
}

/**
 * Decoded label sets by the raw protobuf bytes of their `Label` fields (as a latin1 string:
 * one byte per character, so no UTF-8 decoding and no collisions). A sender repeats the same
 * series in every request, so after the first one a series costs one string and one Map
 * lookup instead of decoding, sorting and keying its labels. Bounded by two generations: when
 * the current map is full it becomes the previous one, whose entries move back on use; what
 * was not used for a whole generation is forgotten.
 */
export class SeriesCache {
  private current = new Map<string, CachedSeries>();
  private previous = new Map<string, CachedSeries>();

  constructor(private readonly maxEntries = 65_536) {}

  get(raw: string): CachedSeries | undefined {
    const hit = this.current.get(raw);
    if (hit !== undefined) return hit;
    const old = this.previous.get(raw);
    if (old !== undefined) this.set(raw, old);
    return old;
  }

  set(raw: string, entry: CachedSeries): void {
    if (this.current.size >= this.maxEntries) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(raw, entry);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
