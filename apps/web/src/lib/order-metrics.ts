import type { JobDetail } from '../api/api-types.js';

export interface OrderedMetric {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly declared: boolean;
}

/** Declared metrics first (in declaration order), then everything else the job sent, by name. */
export function orderMetrics(job: Pick<JobDetail, 'declaredMetrics' | 'metrics'>): OrderedMetric[] {
  const byName = new Map(job.metrics.map((m) => [m.name, m]));
  const declared = job.declaredMetrics.map((name) => {
    const m = byName.get(name);
    return { name, type: m?.type ?? 'gauge', help: m?.help ?? '', declared: true };
  });
  const declaredSet = new Set(job.declaredMetrics);
  const others = job.metrics
    .filter((m) => !declaredSet.has(m.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((m) => ({ name: m.name, type: m.type, help: m.help, declared: false }));
  return [...declared, ...others];
}
