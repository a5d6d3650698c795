import { METRIC_NAME, formatLabels, labelsKey, type Label, type Labels } from '@tally/model';
import { QueryExecutionError } from '../errors.js';
import { newStepSeries, type StepSeries } from './value.js';

/** Labels with the given names kept (`by`, `on`). */
export function keepLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return labels.filter((l) => names.has(l.name));
}

/** Labels without the given names and without `__name__` (`without`, `ignoring`). */
export function dropLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return labels.filter((l) => !names.has(l.name) && l.name !== METRIC_NAME);
}

export function withoutName(labels: Labels): Labels {
  return labels.filter((l) => l.name !== METRIC_NAME);
}

/** Sets (or, for an empty value, removes) one label, keeping the set sorted. */
export function setLabel(labels: Labels, name: string, value: string): Labels {
  const out: Label[] = labels.filter((l) => l.name !== name);
  if (value !== '') {
    out.push({ name, value });
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return out;
}

/** Prometheus's `labels.String()`: `{__name__="a", b="c"}`. */
export function goLabelsString(labels: Labels): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/**
 * Merges series with the same labels into one, as Prometheus does across the steps of a
 * range query; two of them with a sample at the same step is the duplicate-labelset error.
 */
export function mergeSameLabels(series: readonly StepSeries[], steps: number): StepSeries[] {
  const byKey = new Map<string, number>();
  const copied = new Set<number>();
  const out: StepSeries[] = [];
  for (const s of series) {
    const key = labelsKey(s.labels);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, out.length);
      out.push(s);
      continue;
    }
    // Inputs may be shared with other results: copy the first one before writing into it.
    if (!copied.has(at)) {
      const prev = out[at]!;
      const copy = newStepSeries(prev.labels, steps, prev.dropName);
      copy.values.set(prev.values);
      copy.present.set(prev.present);
      out[at] = copy;
      copied.add(at);
    }
    const merged = out[at]!;
    for (let i = 0; i < steps; i++) {
      if (s.present[i] !== 1) continue;
      if (merged.present[i] === 1) throw new QueryExecutionError(DUPLICATE_LABELSET);
      merged.present[i] = 1;
      merged.values[i] = s.values[i]!;
    }
  }
  return out;
}

/** For messages: the labels as Prometheus formats them. */
export function describeLabels(labels: Labels): string {
  return formatLabels(labels);
}
