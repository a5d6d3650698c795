import { isSeedName, isValidLabelName, isValidMetricName, METRIC_NAME, type Labels } from '@tally/model';
import type { Limits } from '../config/serve-config.js';

/**
 * Why a series' label set is refused, or undefined when it is fine: the label-count and
 * length limits, and the name rules (metric names: Prometheus' or the seed's, which adds `-`;
 * label names: Prometheus').
 */
// Names repeat across series and requests: remember the ones already found valid (bounded).
const validNames = new Set<string>();
const validMetricNames = new Set<string>();
function remember(set: Set<string>, name: string): void {
  if (set.size >= 100_000) set.clear();
  set.add(name);
}

export function seriesProblem(labels: Labels, limits: Limits): string | undefined {
  if (labels.length > limits.maxLabelsPerSeries) {
    return `${labels.length} labels, more than the limit of ${limits.maxLabelsPerSeries} (--max-labels-per-series)`;
  }
  for (const l of labels) {
    if (l.name.length > limits.maxLabelNameLength) {
      return `label name ${JSON.stringify(l.name.slice(0, 64))}… longer than ${limits.maxLabelNameLength} characters (--max-label-name-length)`;
    }
    if (l.value.length > limits.maxLabelValueLength) {
      return `value of label ${l.name} longer than ${limits.maxLabelValueLength} characters (--max-label-value-length)`;
    }
    if (l.name === METRIC_NAME) {
      if (validMetricNames.has(l.value)) continue;
      if (isValidMetricName(l.value) || isSeedName(l.value)) remember(validMetricNames, l.value);
      else {
        return `invalid metric name ${JSON.stringify(l.value)}: expected a Prometheus name [a-zA-Z_:][a-zA-Z0-9_:]* or a seed name [A-Za-z0-9_-]+`;
      }
    } else if (validNames.has(l.name)) {
      continue;
    } else if (isValidLabelName(l.name) && !l.name.startsWith('__')) {
      remember(validNames, l.name);
    } else {
      return `invalid label name ${JSON.stringify(l.name)}: expected [a-zA-Z_][a-zA-Z0-9_]* not starting with __`;
    }
  }
  if (labels[0]?.name !== METRIC_NAME && !labels.some((l) => l.name === METRIC_NAME))
    return 'no metric name (__name__)';
  return undefined;
}
