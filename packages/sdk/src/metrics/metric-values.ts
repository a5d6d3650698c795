import type { MetricType } from '@tally/model';
import type { Metric } from './metric.js';
import type { Series } from './series.js';

/** One value of prom-client's `get()` result. */
export interface MetricValue {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
}

/** prom-client's `get()` result (`MetricObjectWithValues`). */
export interface MetricValues {
  name: string;
  help: string;
  type: MetricType;
  aggregator: string;
  values: MetricValue[];
}

/** Builds a `get()` result by visiting each series with its labels as a record (empty values left out). */
export function valuesOf(
  metric: Metric<string, Series>,
  name: string,
  each: (leaf: unknown, labels: Record<string, string>, out: MetricValue[]) => void,
): MetricValues {
  const values: MetricValue[] = [];
  const names = metric._sortedNames;
  metric._walkLeaves((leaf, path) => {
    const labels: Record<string, string> = {};
    for (let i = 0; i < path.length; i++) if (path[i] !== '') labels[names[i]!] = path[i]!;
    each(leaf, labels, values);
  });
  return { name, help: metric.help, type: metric.type, aggregator: metric.aggregator, values };
}
