import type { ExposedSample, Label, Labels, MetricFamily, MetricType } from '@tally/model';
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
 * Both label lists are sorted, so this is a merge, not a sort.
 */
export function sanitizeFamily(f: MetricFamily, key: GroupingKey): MetricFamily {
  const url: Label[] = Object.keys(key)
    .sort()
    .map((name) => ({ name, value: key[name]! }));
  const samples: ExposedSample[] = f.samples.map((s) => ({ ...s, labels: mergeLabels(s.labels, url) }));
  return { ...f, samples };
}

/** Sorted `body` with sorted `url` labels overriding same-named ones; empty values dropped. */
export function mergeLabels(body: Labels, url: readonly Label[]): Label[] {
  const out: Label[] = [];
  let i = 0;
  let j = 0;
  while (i < body.length || j < url.length) {
    const b = body[i];
    const u = url[j];
    let next: Label;
    if (u === undefined || (b !== undefined && b.name < u.name)) {
      next = b!;
      i++;
    } else {
      if (b !== undefined && b.name === u.name) i++;
      next = u;
      j++;
    }
    if (next.value !== '') out.push(next);
  }
  return out;
}

/** The sample's labels with `__name__` added at its sorted place: the series' storage labels. */
export function withMetricName(labels: readonly Label[], name: string): Label[] {
  const out: Label[] = [];
  let placed = false;
  for (const l of labels) {
    if (!placed && l.name > '__name__') {
      out.push({ name: '__name__', value: name });
      placed = true;
    }
    out.push(l);
  }
  if (!placed) out.push({ name: '__name__', value: name });
  return out;
}

type StoredSample = [name: string, labels: string[], value: number | string];
type StoredFamily = [
  name: string,
  type: MetricType,
  help: string | null,
  unit: string | null,
  samples: StoredSample[],
];

/**
 * Families as compact JSON arrays (no replacer: non-finite values are the strings `NaN`,
 * `+Inf`, `-Inf`), the form push groups are persisted in.
 */
export function serializeFamilies(families: Iterable<MetricFamily>): string {
  const out: StoredFamily[] = [];
  for (const f of families) {
    const samples: StoredSample[] = f.samples.map((s) => {
      const labels: string[] = [];
      for (const l of s.labels) labels.push(l.name, l.value);
      return [
        s.name,
        labels,
        Number.isFinite(s.value) ? s.value : s.value > 0 ? '+Inf' : s.value < 0 ? '-Inf' : 'NaN',
      ];
    });
    out.push([f.name, f.type, f.help ?? null, f.unit ?? null, samples]);
  }
  return JSON.stringify(out);
}

export function deserializeFamilies(json: string): MetricFamily[] {
  return (JSON.parse(json) as StoredFamily[]).map(([name, type, help, unit, samples]) => ({
    name,
    type,
    ...(help === null ? {} : { help }),
    ...(unit === null ? {} : { unit }),
    samples: samples.map(([sname, flat, value]) => {
      const labels: Label[] = [];
      for (let i = 0; i < flat.length; i += 2) labels.push({ name: flat[i]!, value: flat[i + 1]! });
      return {
        name: sname,
        labels,
        value: typeof value === 'number' ? value : Number(value.replace('Inf', 'Infinity')),
      };
    }),
  }));
}
