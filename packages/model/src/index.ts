export type { Label, Labels } from './labels.js';
export {
  METRIC_NAME,
  labelsFromRecord,
  labelsFromPairs,
  labelsToRecord,
  getLabel,
  labelsKey,
  labelsEqual,
  compareLabels,
  formatLabels,
} from './labels.js';
export {
  METRIC_NAME_RE,
  LABEL_NAME_RE,
  SEED_NAME_RE,
  SEED_NAME_RULE,
  isValidMetricName,
  isValidLabelName,
  isSeedName,
  invalidSeedNames,
} from './names.js';
export type { MetricType, Exemplar, ExposedSample, MetricFamily } from './metric-family.js';
export { STALE_NAN, isStaleNaN } from './stale.js';
export type { ExpositionFormat, NegotiatedExposition } from './exposition/content-type.js';
export {
  PROMETHEUS_TEXT_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  negotiateExposition,
} from './exposition/content-type.js';
export { formatFloat, formatOpenMetricsFloat } from './exposition/format-float.js';
export { escapeLabelValue, escapeHelp, escapeOpenMetricsHelp } from './exposition/escape.js';
export {
  formatMetricName,
  formatLabelName,
  formatLabelPairs,
  formatSeries,
  prometheusSampleLine,
  openMetricsSampleLine,
  formatExemplar,
  formatOpenMetricsTimestamp,
} from './exposition/sample-line.js';
export {
  writePrometheusText,
  prometheusTextFamily,
  prometheusTextHeader,
} from './exposition/write-prometheus-text.js';
export { writeOpenMetrics, openMetricsFamily, openMetricsHeader } from './exposition/write-openmetrics.js';
export { parseFloatToken } from './exposition/number.js';
export { ExpositionParseError } from './exposition/parse/parse-error.js';
export type { NameValidation } from './exposition/parse/prom-text-line.js';
export type { PrometheusTextParseOptions } from './exposition/parse/parse-prometheus-text.js';
export { PrometheusTextParser, parsePrometheusText } from './exposition/parse/parse-prometheus-text.js';
export { SeriesTextCache } from './exposition/parse/series-text-cache.js';
export type { OpenMetricsParseOptions } from './exposition/parse/parse-openmetrics.js';
export { OpenMetricsParser, parseOpenMetrics } from './exposition/parse/parse-openmetrics.js';
export { parseExposition, expositionFormatOf } from './exposition/parse/parse-exposition.js';
export type {
  StatsdEvent,
  StatsdCounterEvent,
  StatsdGaugeEvent,
  StatsdObserverEvent,
  StatsdSetEvent,
  StatsdLabels,
  StatsdParseError,
  StatsdParseOptions,
  StatsdParseResult,
  StatsdSampleErrorReason,
  StatsdTagErrorReason,
} from './statsd/statsd-event.js';
export { parseStatsdLine } from './statsd/parse-statsd-line.js';
export { parseStatsdPacket } from './statsd/parse-statsd-packet.js';
export { escapeStatsdLabelName } from './statsd/statsd-tags.js';
