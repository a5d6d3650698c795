import type { JobDetail, JobMetric } from '../api/api-types.js';

export interface OrderedMetric {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly declared: boolean;
}

// The server lists one entry per sample name (`lat_bucket`, `lat_count`, `steps_total`, …)
// with its family's type; a chart is per family, so these suffixes fold back into the family.
const FAMILY_SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_count', '_sum', '_created'],
  summary: ['_count', '_sum', '_created'],
  counter: ['_total', '_created'],
};

export function familyName(metric: Pick<JobMetric, 'name' | 'type'>): string {
  for (const suffix of FAMILY_SUFFIXES[metric.type] ?? []) {
    if (metric.name.endsWith(suffix) && metric.name.length > suffix.length)
      return metric.name.slice(0, -suffix.length);
  }
  return metric.name;
}

/** One entry per metric family, its type the first one known. */
export function metricFamilies(metrics: readonly JobMetric[]): OrderedMetric[] {
  const byFamily = new Map<string, OrderedMetric>();
  for (const m of metrics) {
    const name = familyName(m);
    const prev = byFamily.get(name);
    const known = (t: string | undefined): boolean => t !== undefined && t !== 'unknown';
    byFamily.set(name, {
      name,
      type: known(prev?.type) ? prev!.type : m.type,
      help: prev?.help || m.help,
      declared: (prev?.declared ?? false) || m.declared,
    });
  }
  return [...byFamily.values()];
}

/** Declared metrics first (in declaration order), then every other family the job sent, by name. */
export function orderMetrics(job: Pick<JobDetail, 'declaredMetrics' | 'metrics'>): OrderedMetric[] {
  const families = new Map(metricFamilies(job.metrics).map((f) => [f.name, f]));
  const declared = job.declaredMetrics.map((name): OrderedMetric => ({
    ...(families.get(name) ?? { type: 'unknown', help: '' }),
    name,
    declared: true,
  }));
  const declaredSet = new Set(job.declaredMetrics);
  const others = [...families.values()]
    .filter((f) => !declaredSet.has(f.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => ({ ...f, declared: false }));
  return [...declared, ...others];
}
