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
