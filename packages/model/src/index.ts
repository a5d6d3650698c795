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
