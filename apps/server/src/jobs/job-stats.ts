import { getLabel, labelsKey, METRIC_NAME, type Labels } from '@tally/model';
import { Matcher, type SeriesRef, type Storage } from '@tally/storage';

/** What the server remembers of one series: for the jobs API, limits and the appender fast path. */
export interface SeriesStat {
  readonly labels: Labels;
  readonly name: string;
  lastTimestampMs: number;
  lastValue: number;
  ref: SeriesRef | undefined;
  /**
   * The stats it belongs to. Entries are never removed from a JobStats (a deleted job's whole
   * JobStats goes), so an entry whose owner is the job's current stats is what `get` would
   * return: a caller that kept it from an earlier request may skip the lookup.
   */
  readonly owner: JobStats;
}

/**
 * A {@link SeriesStat}. A class, not an object literal: V8 tracks each literal's allocation site,
 * and once ~1000 of its objects (a job's first thousand series) had outlived a young-generation
 * collection it switched the site to old-generation allocation — which threw away the optimized
 * ingest path that had the literal inlined, in a fresh server's first second of remote write.
 */
class SeriesEntry implements SeriesStat {
  constructor(
    readonly labels: Labels,
    readonly name: string,
    public lastTimestampMs: number,
    public lastValue: number,
    public ref: SeriesRef | undefined,
    readonly owner: JobStats,
  ) {}
}

/**
 * The series of one job, by label key. Kept in memory, rebuilt from storage at start-up, and
 * updated by every ingest path after a commit, so `GET /api/v1/jobs/{id}`, the series-per-job
 * limit and the push-time bump (a later push never lands before an earlier one) need no query.
 */
export class JobStats {
  readonly series = new Map<string, SeriesStat>();
  lastPushAtMs = 0;
  lastSampleAtMs = 0;

  get seriesCount(): number {
    return this.series.size;
  }

  get(key: string): SeriesStat | undefined {
    return this.series.get(key);
  }

  /**
   * Records a committed sample (creating the series' entry when new); returns the entry.
   * `known`: the entry, if the caller has it (skips the lookup; see {@link SeriesStat.owner}).
   */
  record(
    key: string,
    labels: Labels,
    timestampMs: number,
    value: number,
    ref: SeriesRef | undefined,
    known?: SeriesStat,
  ): SeriesStat {
    let s = known?.owner === this ? known : this.series.get(key);
    if (!s) {
      s = new SeriesEntry(labels, getLabel(labels, METRIC_NAME) ?? '', timestampMs, value, ref, this);
      this.series.set(key, s);
    } else if (timestampMs >= s.lastTimestampMs) {
      s.lastTimestampMs = timestampMs;
      s.lastValue = value;
      if (ref !== undefined) s.ref = ref;
    }
    if (timestampMs > this.lastSampleAtMs) this.lastSampleAtMs = timestampMs;
    return s;
  }

  /** Distinct metric names (`__name__`) with their series. */
  byMetric(): Map<string, SeriesStat[]> {
    const out = new Map<string, SeriesStat[]>();
    for (const s of this.series.values()) {
      const list = out.get(s.name);
      if (list) list.push(s);
      else out.set(s.name, [s]);
    }
    return out;
  }
}

/** Fills the stats of the given jobs with each series' newest sample in storage (at start-up). */
export async function loadLastSamples(storage: Storage, stats: ReadonlyMap<string, JobStats>): Promise<void> {
  const q = storage.querier(-8.64e15, 8.64e15);
  try {
    const all = await q.select([new Matcher('=~', 'job', '.+')]);
    for (const series of all) {
      const s = stats.get(getLabel(series.labels, 'job') ?? '');
      if (!s) continue;
      const it = series.iterator();
      let t = NaN;
      let v = NaN;
      while (it.next()) {
        t = it.t;
        v = it.v;
      }
      if (!Number.isNaN(t)) s.record(labelsKey(series.labels), series.labels, t, v, undefined);
    }
  } finally {
    q.close();
  }
}

export { labelsKey };
