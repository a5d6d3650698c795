// @tally/sdk/prom-client: prom-client 15's API on Tally's engine. Change
//   import client from 'prom-client'  →  import * as client from '@tally/sdk/prom-client'
// and the exposition keeps prom-client's names (a counter `test` stays `test`, DESIGN.md
// "SDK naming"), so dashboards and alerts do not change. Metrics made here and through
// `@tally/sdk` share one default registry.
import { isValidLabelName, isValidMetricName } from '@tally/model';
import { Counter as TallyCounter } from '../metrics/counter.js';
import { Summary as TallySummary } from '../metrics/summary.js';
import { Registry } from '../registry/registry.js';
import { register } from '../registry/default-registry.js';

/** prom-client's Counter: the name is exposed as given (`test` stays `test`, `x_total` stays `x_total`). */
export class Counter<T extends string = string> extends TallyCounter<T> {
  static override readonly promClient: boolean = true;
}

/** prom-client's Summary: quantiles 0.01 … 0.999 over the whole lifetime unless configured. */
export class Summary<T extends string = string> extends TallySummary<T> {
  static override readonly promClient: boolean = true;
}

export { Gauge } from '../metrics/gauge.js';
export { Histogram } from '../metrics/histogram.js';
export { linearBuckets, exponentialBuckets } from '../metrics/buckets.js';
export { collectDefaultMetrics } from '../default-metrics/collect-default-metrics.js';
export { Pushgateway } from '../push/pushgateway.js';
export type { DefaultMetricsConfig as DefaultMetricsCollectorConfiguration } from '../default-metrics/default-metrics-config.js';
export type { CounterConfig as CounterConfiguration } from '../metrics/counter.js';
export type { GaugeConfig as GaugeConfiguration } from '../metrics/gauge.js';
export type { HistogramConfig as HistogramConfiguration } from '../metrics/histogram.js';
export type { SummaryConfig as SummaryConfiguration } from '../metrics/summary.js';
export type { LabelValues } from '../metrics/label-values.js';
export type { MetricValue, MetricValues as MetricObjectWithValues } from '../metrics/metric-values.js';
export type { RegistryContentType } from '../registry/registry.js';
export { Registry, register };

export const prometheusContentType = Registry.PROMETHEUS_CONTENT_TYPE;
export const openMetricsContentType = Registry.OPENMETRICS_CONTENT_TYPE;
/**
 * The default registry's content type when this module loaded. (prom-client's is a live
 * property with a setter; an ES module export cannot be one: use `register.contentType` and
 * `register.setContentType()`.)
 */
export const contentType = register.contentType;

export function validateMetricName(name: string): boolean {
  return isValidMetricName(name);
}

export function validateLabelName(names: readonly string[] = []): boolean {
  return names.every((n) => isValidLabelName(n));
}
