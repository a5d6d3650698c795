import { formatGoFloat } from '../http/go-float.js';
import type { JobRecord, JobView } from './job.js';
import type { JobService } from './job-service.js';
import { declarableNames } from './metric-metadata.js';

const iso = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null);

export function jobView(jobs: JobService, job: JobRecord): JobView {
  const stats = jobs.statsOf(job.id);
  // Metrics as the user sees them: families (a histogram's _bucket/_sum/_count are one metric,
  // one chart in the UI), by the type and help each ingest path recorded.
  const names = new Set<string>();
  for (const s of stats.series.values()) names.add(s.name);
  const families = new Set<string>();
  for (const name of names) families.add(jobs.metadata.familyOf(job.id, name)?.family ?? name);
  return {
    id: job.id,
    name: job.id,
    kind: job.kind,
    description: job.description,
    strict: job.strict,
    createdAt: new Date(job.createdAtMs).toISOString(),
    declaredMetrics: [...job.declaredMetrics],
    lastPushAt: iso(stats.lastPushAtMs),
    lastSampleAt: iso(stats.lastSampleAtMs),
    metricCount: families.size,
    seriesCount: stats.seriesCount,
    scrapeTargets: [...job.scrapeTargets],
  };
}

export interface JobMetricView {
  name: string;
  type: string;
  help: string;
  /** The family's unit ('' when none was given). */
  unit: string;
  seriesCount: number;
  /** The newest sample's value among the metric's series, in Prometheus' string form; null if none. */
  lastValue: string | null;
  lastSampleAt: string | null;
  declared: boolean;
}

/**
 * The metrics of a job: one entry per metric name (`__name__`) seen, with the type, help and unit of
 * its family, plus every declared name that has no series yet (seriesCount 0).
 */
export function jobMetrics(jobs: JobService, job: JobRecord): JobMetricView[] {
  const declared = new Set(job.declaredMetrics);
  const out: JobMetricView[] = [];
  const covered = new Set<string>();
  for (const [name, series] of jobs.statsOf(job.id).byMetric()) {
    let newest = series[0]!;
    for (const s of series) if (s.lastTimestampMs > newest.lastTimestampMs) newest = s;
    const fam = jobs.metadata.familyOf(job.id, name);
    const isDeclared = declarableNames(name).some((n) => declared.has(n));
    for (const n of declarableNames(name)) covered.add(n);
    out.push({
      name,
      type: fam?.meta.type ?? 'unknown',
      help: fam?.meta.help ?? '',
      unit: fam?.meta.unit ?? '',
      seriesCount: series.length,
      lastValue: formatGoFloat(newest.lastValue),
      lastSampleAt: new Date(newest.lastTimestampMs).toISOString(),
      declared: isDeclared,
    });
  }
  for (const name of job.declaredMetrics) {
    if (covered.has(name)) continue;
    const meta = jobs.metadata.get(job.id, name);
    out.push({
      name,
      type: meta?.type ?? 'unknown',
      help: meta?.help ?? '',
      unit: meta?.unit ?? '',
      seriesCount: 0,
      lastValue: null,
      lastSampleAt: null,
      declared: true,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
