import type { Registry } from '../registry/registry.js';

/** prom-client's `collectDefaultMetrics` options. */
export interface DefaultMetricsConfig {
  /** Where the metrics go (default: the default registry). */
  readonly register?: Registry;
  /** Prepended to every name (`my_app_` → `my_app_process_cpu_seconds_total`). */
  readonly prefix?: string;
  /** Static labels added to every default metric. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Buckets of `nodejs_gc_duration_seconds` (default prom-client's `[0.001, 0.01, 0.1, 1, 2, 5]`). */
  readonly gcDurationBuckets?: readonly number[];
  /** Sampling resolution of the event-loop delay monitor in milliseconds (default 10). */
  readonly eventLoopMonitoringPrecision?: number;
}

/** What each collector gets: where to register, the name prefix, static labels. */
export interface CollectorContext {
  readonly registry: Registry;
  readonly prefix: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly labelNames: readonly string[];
}
