import { labelsFromRecord, labelsKey, type Labels, type StatsdEvent } from '@tally/model';
import type { MetricMetadata } from '../../jobs/metric-metadata.js';
import type { IngestSeries } from '../ingester.js';

/** Prometheus client libraries' default buckets, which statsd_exporter uses for timers too. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Kind = 'counter' | 'gauge' | 'histogram' | 'set';

interface AggSeries {
  readonly kind: Kind;
  readonly name: string;
  /** Labels without `__name__` (with `job`). */
  readonly labels: Record<string, string>;
  value: number;
  /** Counters: has a negative delta ever arrived (then the series is an up-down counter, typed gauge). */
  negative: boolean;
  bucketCounts: Float64Array | undefined;
  sum: number;
  count: number;
  members: Set<string> | undefined;
  lastUpdateMs: number;
}

/**
 * statsd_exporter-style aggregation, per job: counters keep the running sum of every delta
 * (a decrement lowers it, as the seed says; such a series is typed gauge so PromQL does not
 * read a decrease as a reset), gauges keep the last value (relative `+n`/`-n` adjust it),
 * timers/histograms/distributions feed a cumulative histogram with the default buckets, and
 * sets count distinct members per flush interval. `flush` turns the state into samples.
 */
export class StatsdAggregator {
  private readonly series = new Map<string, Map<string, AggSeries>>();
  private readonly kinds = new Map<string, Map<string, Kind>>();

  constructor(private readonly buckets: readonly number[] = DEFAULT_BUCKETS) {}

  /** Number of series of a job the aggregator holds (storage counts histograms as several). */
  seriesOf(jobId: string): number {
    return this.series.get(jobId)?.size ?? 0;
  }

  /** The existing kind of a name in a job, if any (a name keeps one kind, as in statsd_exporter). */
  kindOf(jobId: string, name: string): Kind | undefined {
    return this.kinds.get(jobId)?.get(name);
  }

  has(jobId: string, key: string): boolean {
    return this.series.get(jobId)?.has(key) ?? false;
  }

  /** Applies one event whose name and labels (incl. `job`) were already checked. */
  apply(
    jobId: string,
    key: string,
    name: string,
    labels: Record<string, string>,
    ev: StatsdEvent,
    nowMs: number,
  ): void {
    let job = this.series.get(jobId);
    if (!job) this.series.set(jobId, (job = new Map<string, AggSeries>()));
    let s = job.get(key);
    if (!s) {
      const kind: Kind = ev.type === 'observer' ? 'histogram' : ev.type;
      s = {
        kind,
        name,
        labels,
        value: 0,
        negative: false,
        bucketCounts: kind === 'histogram' ? new Float64Array(this.buckets.length) : undefined,
        sum: 0,
        count: 0,
        members: kind === 'set' ? new Set() : undefined,
        lastUpdateMs: nowMs,
      };
      job.set(key, s);
      let kinds = this.kinds.get(jobId);
      if (!kinds) this.kinds.set(jobId, (kinds = new Map<string, Kind>()));
      kinds.set(name, kind);
    }
    s.lastUpdateMs = nowMs;
    switch (ev.type) {
      case 'counter':
        s.value += ev.value;
        if (ev.value < 0) s.negative = true;
        break;
      case 'gauge':
        s.value = ev.relative ? s.value + ev.value : ev.value;
        break;
      case 'observer': {
        s.sum += ev.value;
        s.count++;
        const b = s.bucketCounts!;
        for (let i = 0; i < this.buckets.length; i++) if (ev.value <= this.buckets[i]!) b[i]!++;
        break;
      }
      case 'set':
        s.members!.add(ev.member);
        break;
    }
  }

  /**
   * The samples of every series updated within `ttlMs`, grouped by job, with their metadata.
   * Set membership starts afresh after each flush.
   */
  flush(
    nowMs: number,
    ttlMs: number,
  ): Map<string, { series: IngestSeries[]; metadata: Map<string, MetricMetadata> }> {
    const out = new Map<string, { series: IngestSeries[]; metadata: Map<string, MetricMetadata> }>();
    for (const [jobId, job] of this.series) {
      const series: IngestSeries[] = [];
      const metadata = new Map<string, MetricMetadata>();
      for (const [key, s] of job) {
        if (ttlMs > 0 && nowMs - s.lastUpdateMs > ttlMs) {
          job.delete(key);
          continue;
        }
        const one = (name: string, extra: Record<string, string>, v: number): void => {
          series.push({
            labels: labelsFromRecord({ ...s.labels, ...extra, __name__: name }),
            timestampsMs: [nowMs],
            values: [v],
          });
        };
        switch (s.kind) {
          case 'counter':
            one(s.name, {}, s.value);
            metadata.set(s.name, {
              type: s.negative ? 'gauge' : 'counter',
              help: s.negative
                ? 'StatsD counter (received negative deltas: an up-down counter)'
                : 'StatsD counter',
              unit: '',
            });
            break;
          case 'gauge':
            one(s.name, {}, s.value);
            metadata.set(s.name, { type: 'gauge', help: 'StatsD gauge', unit: '' });
            break;
          case 'set':
            one(s.name, {}, s.members!.size);
            s.members!.clear();
            metadata.set(s.name, {
              type: 'gauge',
              help: 'StatsD set: distinct members in the last flush interval',
              unit: '',
            });
            break;
          case 'histogram':
            for (let i = 0; i < this.buckets.length; i++)
              one(`${s.name}_bucket`, { le: String(this.buckets[i]) }, s.bucketCounts![i]!);
            one(`${s.name}_bucket`, { le: '+Inf' }, s.count);
            one(`${s.name}_sum`, {}, s.sum);
            one(`${s.name}_count`, {}, s.count);
            metadata.set(s.name, {
              type: 'histogram',
              help: 'StatsD timer/histogram/distribution',
              unit: '',
            });
            break;
        }
      }
      if (series.length > 0) out.set(jobId, { series, metadata });
      if (job.size === 0) this.series.delete(jobId);
    }
    return out;
  }

  forgetJob(jobId: string): void {
    this.series.delete(jobId);
    this.kinds.delete(jobId);
  }
}

/** The aggregation key of a series: its name and labels (job included). */
export function statsdKey(name: string, labels: Labels): string {
  return name + '\u0000' + labelsKey(labels);
}
