import type { ExposedSample, MetricFamily } from '../metric-family.js';
import { canonicalBound } from './number.js';
import { formatLabelName, formatLabelPairs, formatSeries } from './sample-line.js';
import { escapeLabelValue } from './escape.js';

/**
 * The label that carries a bucket bound or quantile for this sample, if any: `le` on the
 * `_bucket` samples of (gauge) histograms, `quantile` on the bare-name samples of summaries.
 */
export function boundLabelOf(family: MetricFamily, sample: ExposedSample): 'le' | 'quantile' | undefined {
  if (family.type === 'histogram' || family.type === 'gaugehistogram') {
    return sample.name === `${family.name}_bucket` ? 'le' : undefined;
  }
  if (family.type === 'summary') return sample.name === family.name ? 'quantile' : undefined;
  return undefined;
}

/**
 * The name-and-labels text of a sample. `le`/`quantile` values that are numbers are written in
 * their canonical OpenMetrics form (`1.0`, `1e-05`, `+Inf`) in both formats, so one bucket is
 * one series whichever format a scraper asked for (Prometheus 3 normalises them the same way).
 */
export function sampleSeries(
  family: MetricFamily,
  sample: ExposedSample,
  name: string,
  format: (v: number) => string,
): string {
  const bound = boundLabelOf(family, sample);
  if (bound === undefined) return formatSeries(name, formatLabelPairs(sample.labels));
  let pairs = '';
  for (const l of sample.labels) {
    const value = l.name === bound ? canonicalBound(l.value, format) : l.value;
    if (pairs !== '') pairs += ',';
    pairs += `${formatLabelName(l.name)}="${escapeLabelValue(value)}"`;
  }
  return formatSeries(name, pairs);
}
