// @tally/sdk: instrument Node.js code for Tally (and any Prometheus scraper).
export { Counter, CounterSeries } from './metrics/counter.js';
export type { CounterConfig, IncWithExemplar } from './metrics/counter.js';
export { Gauge, GaugeSeries } from './metrics/gauge.js';
export type { GaugeConfig, InProgress } from './metrics/gauge.js';
export { Histogram, HistogramSeries } from './metrics/histogram.js';
export type { HistogramConfig, ObserveWithExemplar } from './metrics/histogram.js';
export { Summary, SummarySeries } from './metrics/summary.js';
export type { SummaryConfig } from './metrics/summary.js';
export { Metric } from './metrics/metric.js';
export type { MetricConfig } from './metrics/metric-config.js';
export { DEFAULT_MAX_SERIES } from './metrics/metric-config.js';
export type { LabelValue, LabelValues } from './metrics/label-values.js';
export type { MetricValue, MetricValues } from './metrics/metric-values.js';
export type { ExemplarLabels } from './metrics/exemplar.js';
export type { AnyFunction, ErrorClass, FunctionWrapper } from './metrics/wrap.js';
export type { EndTimer } from './metrics/timing.js';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets } from './metrics/buckets.js';
export { Registry } from './registry/registry.js';
export type { RegistryContentType } from './registry/registry.js';
export { register } from './registry/default-registry.js';
export { DROPPED_SERIES_FAMILY } from './registry/dropped-series.js';
export type { AnyMetric } from './exposition/write-metric.js';
export { collectDefaultMetrics } from './default-metrics/collect-default-metrics.js';
export type { DefaultMetricsConfig } from './default-metrics/default-metrics-config.js';
export { metricsHandler, expressMetrics, scrape } from './http/metrics-handler.js';
export { fastifyMetricsHandler } from './http/fastify-metrics.js';
export { startMetricsServer } from './http/metrics-server.js';
export type { MetricsServerOptions } from './http/metrics-server.js';
export { httpGoldenSignals } from './http/golden-signals.js';
export type { GoldenSignalsOptions } from './http/golden-signals.js';
export type {
  RequestLike,
  ResponseLike,
  NextFunction,
  FastifyRequestLike,
  FastifyReplyLike,
  FastifyInstanceLike,
} from './http/http-types.js';
export { StatsdClient } from './statsd/statsd-client.js';
export type { StatsdMethod, StatsdClientStats } from './statsd/statsd-client.js';
export type { StatsdClientOptions, StatsdProtocol } from './statsd/statsd-options.js';
export type { StatsdTags } from './statsd/statsd-format.js';
export type { StatsdCall } from './statsd/statsd-args.js';
export { Pushgateway, DEFAULT_PUSH_TIMEOUT_MS } from './push/pushgateway.js';
export type { PushableRegistry, PushgatewayOptions, PushParams, PushResult } from './push/pushgateway.js';
export { PushgatewayError } from './push/pushgateway-error.js';
export { groupingKeyPath, GroupingKeyError } from './push/grouping-key.js';
export type { GroupingKey } from './push/grouping-key.js';
export { MetricsLogger } from './metrics-logger/metrics-logger.js';
export type { MetricsLoggerOptions, LoggerMetric } from './metrics-logger/metrics-logger.js';
export { MetricsLoggerConfigError } from './metrics-logger/metrics-logger-env.js';
