/** One label: a name and its value. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/**
 * A label set: labels sorted by name, names unique, no empty values (Prometheus treats an
 * empty value as an absent label). A series is identified by its full label set, `__name__`
 * included. Build one with {@link labelsFromRecord} or {@link labelsFromPairs}, which sort
 * and drop empty values, rather than by hand.
 */
export type Labels = readonly Label[];

/** The metric name label. */
export const METRIC_NAME = '__name__';

/** Labels from a plain object; empty values are dropped (as Prometheus does). */
export function labelsFromRecord(record: Readonly<Record<string, string>>): Labels {
  const out: Label[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== undefined && value !== '') out.push({ name, value });
  }
  return out.sort(compareLabelByName);
}

/** Labels from name/value pairs (`labelsFromPairs('__name__', 'up', 'job', 'a')`). */
export function labelsFromPairs(...pairs: string[]): Labels {
  if (pairs.length % 2 !== 0) throw new Error('labelsFromPairs: odd number of arguments');
  const record: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) record[pairs[i]!] = pairs[i + 1]!;
  return labelsFromRecord(record);
}

export function labelsToRecord(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

export function getLabel(labels: Labels, name: string): string | undefined {
  for (const l of labels) if (l.name === name) return l.value;
  return undefined;
}

/**
 * A canonical, collision-free key for a label set. Each name and value is written with its
 * length, so `{a:"1,b:2"}` and `{a:"1", b:"2"}` give different keys (prom-client joins with
 * `,` and `:` and confuses them). Equal label sets give equal keys.
 */
export function labelsKey(labels: Labels): string {
  // Joined rather than concatenated: `+=` builds a rope that every Map lookup must flatten
  // first, and keys are made to be looked up (about twice as fast on the server's ingest). One
  // part per label, from a template, rather than six: ~30 % less time per key.
  const parts = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    parts[i] = `${l.name.length}:${l.name}${l.value.length}:${l.value}`;
  }
  return parts.join('');
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.name !== b[i]!.name || a[i]!.value !== b[i]!.value) return false;
  }
  return true;
}

/** Orders label sets as Prometheus does (label by label, name then value; shorter first on a tie). */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}

function compareLabelByName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `{__name__="up", job="a"}` → `up{job="a"}`, for messages and logs. */
export function formatLabels(labels: Labels): string {
  let name = '';
  const parts: string[] = [];
  for (const l of labels) {
    if (l.name === METRIC_NAME) name = l.value;
    else parts.push(`${l.name}=${JSON.stringify(l.value)}`);
  }
  return parts.length === 0 ? name || '{}' : `${name}{${parts.join(', ')}}`;
}
