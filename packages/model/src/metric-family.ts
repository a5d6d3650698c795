import type { Labels } from './labels.js';

/** Metric types of OpenMetrics 1.0; the Prometheus text format uses the first five and `untyped` = `unknown`. */
export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs?: number;
}

/**
 * One exposed sample: the full sample name (`x_total`, `x_bucket`, `x_created`, …), its
 * labels (without `__name__`; `le`/`quantile` included), value and optional timestamp.
 */
export interface ExposedSample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs?: number;
  readonly exemplar?: Exemplar;
}

/**
 * A metric family as both exposition formats carry it: the family name (for a counter,
 * without `_total`), its type, help and unit, and every sample in exposition order.
 */
export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help?: string;
  readonly unit?: string;
  readonly samples: readonly ExposedSample[];
}
