import { getLabel, METRIC_NAME } from '@tally/model';
import { requirePush } from '../../auth/auth.js';
import type { Principal } from '../../auth/principal.js';
import type { JobService } from '../../jobs/job-service.js';
import { declarableNames, type MetricMetadata } from '../../jobs/metric-metadata.js';
import type { IngestSeries } from '../ingester.js';

/** Families remembered for jobs that have not sent their series yet. */
const MAX_PENDING_FAMILIES = 10_000;

/**
 * Attributes remote-write metadata (type and help per metric family) to jobs. A `MetricMetadata`
 * entry names no job, and Prometheus sends metadata in requests of its own, without samples
 * (`metadata_config.send`, every minute). So an entry goes to: the job of a push token; else
 * every job that has series of that family (the name itself or with a suffix its type has);
 * else it is remembered until series of the family arrive. Entries in a request with samples go
 * to the request's jobs whose series belong to the family.
 */
export class RemoteMetadata {
  private readonly pending = new Map<string, MetricMetadata>();

  constructor(private readonly jobs: JobService) {}

  /** A request with metadata only. Throws 401/403 when the principal may not write. */
  record(principal: Principal, meta: ReadonlyMap<string, MetricMetadata>, nowMs: number): void {
    if (principal.kind === 'push') {
      const job = this.jobs.resolveForIngest(principal.jobId, nowMs, true);
      this.jobs.metadata.record(job.id, meta);
      return;
    }
    if (principal.kind !== 'admin') requirePush(principal, '', true);
    const attributed = new Set<string>();
    for (const job of this.jobs.list()) {
      const names = new Set<string>();
      for (const s of this.jobs.statsOf(job.id).series.values()) names.add(s.name);
      const entries: [string, MetricMetadata][] = [];
      for (const [family, md] of meta) {
        if (!belongsTo(family, names)) continue;
        entries.push([family, md]);
        attributed.add(family);
      }
      if (entries.length > 0) this.jobs.metadata.record(job.id, entries);
    }
    for (const [family, md] of meta) {
      if (attributed.has(family)) continue;
      this.pending.delete(family);
      if (this.pending.size >= MAX_PENDING_FAMILIES) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(family, md);
    }
  }

  /** The entries for one job's series of a request: from the request, else remembered ones. */
  forSeries(
    series: readonly IngestSeries[],
    meta: ReadonlyMap<string, MetricMetadata>,
  ): [string, MetricMetadata][] {
    if (meta.size === 0 && this.pending.size === 0) return [];
    const out = new Map<string, MetricMetadata>();
    for (const s of series) {
      for (const family of declarableNames(getLabel(s.labels, METRIC_NAME) ?? '')) {
        const md = meta.get(family) ?? this.pending.get(family);
        if (md) out.set(family, md);
      }
    }
    for (const family of out.keys()) this.pending.delete(family);
    return [...out];
  }

  /** Families waiting for their job's series (for tests and /metrics). */
  get pendingFamilies(): number {
    return this.pending.size;
  }
}

// Sample-name suffixes a family's series may carry (OpenMetrics 1.0), whatever the type says.
const SUFFIXES = ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info'];

function belongsTo(family: string, names: ReadonlySet<string>): boolean {
  return names.has(family) || SUFFIXES.some((suffix) => names.has(family + suffix));
}
