import type { MetricFamily } from '../metric-family.js';
import { escapeOpenMetricsHelp } from './escape.js';
import { formatOpenMetricsFloat } from './format-float.js';
import { sampleSeries } from './family-series.js';
import { formatExemplar, formatMetricName, openMetricsSampleLine } from './sample-line.js';

/**
 * OpenMetrics 1.0 text for these families, ending in `# EOF`. Metadata is written HELP, TYPE,
 * UNIT (the order of prometheus/common and Python's client). Two things OpenMetrics forbids are
 * left out rather than written invalid: a UNIT that is not the suffix of the family name (or on
 * an info/stateset family), and exemplars on samples other than counter `_total` and histogram
 * `_bucket` samples. A counter sample named like its family (prom-client's `test`) is written
 * `test_total`, as OpenMetrics requires.
 */
export function writeOpenMetrics(families: Iterable<MetricFamily>): string {
  let out = '';
  for (const family of families) out += openMetricsFamily(family);
  return `${out}# EOF\n`;
}

/** The text of one family, without the final `# EOF`. */
export function openMetricsFamily(family: MetricFamily): string {
  let out = openMetricsHeader(family.name, family.type, family.help, family.unit);
  for (const sample of family.samples) {
    const name =
      family.type === 'counter' && sample.name === family.name ? `${sample.name}_total` : sample.name;
    const ex = sample.exemplar;
    const exemplar =
      ex !== undefined && exemplarAllowed(family, name)
        ? formatExemplar(ex.labels, ex.value, ex.timestampMs)
        : undefined;
    out += openMetricsSampleLine(
      sampleSeries(family, sample, name, formatOpenMetricsFloat),
      sample.value,
      sample.timestampMs,
      exemplar,
    );
  }
  return out;
}

/** `# HELP`, `# TYPE` and `# UNIT` lines of an OpenMetrics family (HELP/UNIT when given and valid). */
export function openMetricsHeader(
  name: string,
  type: string,
  help: string | undefined,
  unit: string | undefined,
): string {
  const quoted = formatMetricName(name);
  let out = help === undefined ? '' : `# HELP ${quoted} ${escapeOpenMetricsHelp(help)}\n`;
  out += `# TYPE ${quoted} ${type}\n`;
  if (
    unit !== undefined &&
    unit !== '' &&
    type !== 'info' &&
    type !== 'stateset' &&
    name.endsWith(`_${unit}`)
  ) {
    out += `# UNIT ${quoted} ${unit}\n`;
  }
  return out;
}

function exemplarAllowed(family: MetricFamily, sampleName: string): boolean {
  if (family.type === 'counter') return sampleName === `${family.name}_total`;
  if (family.type === 'histogram' || family.type === 'gaugehistogram')
    return sampleName === `${family.name}_bucket`;
  return false;
}
