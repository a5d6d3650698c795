import type { MetricType } from '@tally/model';
import type { MetricMetadataRow } from '../registry/registry.js';

export interface MetricMetadata {
  readonly type: MetricType;
  readonly help: string;
  /** The family's unit (OpenMetrics UNIT, remote-write metadata, OTLP); '' when none was given. */
  readonly unit: string;
}

/** Sample-name suffixes that belong to a family of the given types (OpenMetrics 1.0). */
const SUFFIXES: readonly [string, readonly MetricType[]][] = [
  ['_total', ['counter']],
  ['_created', ['counter', 'histogram', 'summary']],
  ['_bucket', ['histogram', 'gaugehistogram']],
  ['_count', ['histogram', 'summary']],
  ['_sum', ['histogram', 'summary']],
  ['_gcount', ['gaugehistogram']],
  ['_gsum', ['gaugehistogram']],
  ['_info', ['info']],
];

/**
 * Type, help and unit per job and metric family — the registry's copy of what pushes, remote-write
 * metadata and StatsD aggregation said. Cached in memory; handed to `save` (the registry) only
 * on change, so ingest does not wait on the database.
 */
export class MetadataStore {
  private readonly byJob = new Map<string, Map<string, MetricMetadata>>();

  constructor(private readonly save: (rows: MetricMetadataRow[]) => void) {}

  /** Takes the registry's rows (at start and on a refresh: other instances' changes). */
  load(rows: readonly MetricMetadataRow[]): void {
    for (const row of rows) {
      this.jobMap(row.jobId).set(row.metric, {
        type: row.type as MetricType,
        help: row.help,
        unit: row.unit,
      });
    }
  }

  private jobMap(jobId: string): Map<string, MetricMetadata> {
    let m = this.byJob.get(jobId);
    if (!m) this.byJob.set(jobId, (m = new Map<string, MetricMetadata>()));
    return m;
  }

  record(jobId: string, entries: Iterable<readonly [string, MetricMetadata]>): void {
    const m = this.jobMap(jobId);
    const changed: MetricMetadataRow[] = [];
    for (const [metric, meta] of entries) {
      const old = m.get(metric);
      if (old && old.type === meta.type && old.help === meta.help && old.unit === meta.unit) continue;
      m.set(metric, meta);
      changed.push({ jobId, metric, type: meta.type, help: meta.help, unit: meta.unit });
    }
    if (changed.length > 0) this.save(changed);
  }

  get(jobId: string, family: string): MetricMetadata | undefined {
    return this.byJob.get(jobId)?.get(family);
  }

  /** The family a series name belongs to: itself, or its name less a suffix its family's type has. */
  familyOf(jobId: string, seriesName: string): { family: string; meta: MetricMetadata } | undefined {
    const m = this.byJob.get(jobId);
    if (!m) return undefined;
    const exact = m.get(seriesName);
    if (exact) return { family: seriesName, meta: exact };
    for (const [suffix, types] of SUFFIXES) {
      if (!seriesName.endsWith(suffix)) continue;
      const family = seriesName.slice(0, -suffix.length);
      const meta = m.get(family);
      if (meta && types.includes(meta.type)) return { family, meta };
    }
    return undefined;
  }

  all(): Map<string, Map<string, MetricMetadata>> {
    return this.byJob;
  }

  forget(jobId: string): void {
    this.byJob.delete(jobId);
  }
}

/** Names a sample name may be declared under: itself, and itself less a type suffix. */
export function declarableNames(sampleName: string): string[] {
  const names = [sampleName];
  for (const [suffix] of SUFFIXES)
    if (sampleName.endsWith(suffix)) names.push(sampleName.slice(0, -suffix.length));
  return names;
}
