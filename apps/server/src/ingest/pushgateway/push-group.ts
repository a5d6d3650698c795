import type { ExposedSample, MetricFamily } from '@tally/model';
import type { GroupingKey } from './grouping-key.js';

/** One Pushgateway group: its grouping key and last-pushed families (labels already sanitized). */
export interface PushGroup {
  readonly id: string;
  readonly jobId: string;
  readonly labels: GroupingKey;
  /** By exposition name (what `# TYPE` names: `x_total` for a counter with that sample). */
  families: Map<string, MetricFamily>;
  /** Last successful change (ms), 0 if never. */
  pushTimeMs: number;
  /** Last failed change (ms), 0 if never. */
  failureTimeMs: number;
}

/**
 * The name the text format's `# TYPE` line gives a family — the Pushgateway's (and client_golang's)
 * family name, which its consistency rules and POST's "replace same-named families" use.
 */
export function expositionName(f: MetricFamily): string {
  if (f.type === 'counter' && f.samples.some((s) => s.name === `${f.name}_total`)) return `${f.name}_total`;
  if (f.type === 'info') return `${f.name}_info`;
  return f.name;
}

/**
 * Pushgateway: URL (grouping) labels override body labels; a metric without `instance` gets
 * `instance=""` (here: left absent, since an empty label is an absent label in Prometheus).
 */
export function sanitizeFamily(f: MetricFamily, key: GroupingKey): MetricFamily {
  const samples: ExposedSample[] = f.samples.map((s) => {
    const rec: Record<string, string> = {};
    for (const l of s.labels) rec[l.name] = l.value;
    for (const name of Object.keys(key)) rec[name] = key[name]!;
    const labels = Object.keys(rec)
      .filter((n) => rec[n] !== '')
      .sort()
      .map((name) => ({ name, value: rec[name]! }));
    return { ...s, labels };
  });
  return { ...f, samples };
}

export function serializeFamilies(families: Iterable<MetricFamily>): string {
  return JSON.stringify([...families], (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { f: String(v) } : v,
  );
}

export function deserializeFamilies(json: string): MetricFamily[] {
  return JSON.parse(json, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && 'f' in v && Object.keys(v).length === 1
      ? Number((v as { f: string }).f)
      : v,
  ) as MetricFamily[];
}
