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
