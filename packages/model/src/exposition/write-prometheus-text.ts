import type { ExposedSample, MetricFamily, MetricType } from '../metric-family.js';
import { escapeHelp } from './escape.js';
import { formatOpenMetricsFloat } from './format-float.js';
import { sampleSeries } from './family-series.js';
import { formatMetricName, prometheusSampleLine } from './sample-line.js';

/**
 * The Prometheus text format 0.0.4 for these families. OpenMetrics-only shapes are mapped as
 * Python's prometheus_client does (exposition.generate_latest), so every 0.0.4 reader agrees:
 * a counter's HELP/TYPE name is its sample name (`x_total`); `info` becomes a gauge named
 * `x_info`, `stateset` a gauge, `gaugehistogram` a histogram, `unknown` is `untyped`; the
 * `_created`, `_gsum` and `_gcount` samples move to gauge families of their own after the
 * family (`x_created`). Units and exemplars have no place in 0.0.4 and are not written.
 */
export function writePrometheusText(families: Iterable<MetricFamily>): string {
  let out = '';
  for (const family of families) out += prometheusTextFamily(family);
  return out;
}

/** The text of one family (HELP, TYPE, samples, then any `_created`/`_gsum`/`_gcount` gauges). */
export function prometheusTextFamily(family: MetricFamily): string {
  const { metaName, type } = textMetadata(family);
  let out = prometheusTextHeader(metaName, type, family.help);
  let moved: Map<string, ExposedSample[]> | undefined;
  for (const sample of family.samples) {
    const suffix = movedSuffix(family, sample.name);
    if (suffix !== undefined) {
      moved ??= new Map();
      const list = moved.get(suffix);
      if (list === undefined) moved.set(suffix, [sample]);
      else list.push(sample);
      continue;
    }
    out += prometheusSampleLine(
      sampleSeries(family, sample, sample.name, formatOpenMetricsFloat),
      sample.value,
      sample.timestampMs,
    );
  }
  if (moved !== undefined) {
    for (const suffix of [...moved.keys()].sort()) {
      out += prometheusTextHeader(family.name + suffix, 'gauge', family.help);
      for (const sample of moved.get(suffix)!) {
        out += prometheusSampleLine(
          sampleSeries(family, sample, sample.name, formatOpenMetricsFloat),
          sample.value,
          sample.timestampMs,
        );
      }
    }
  }
  return out;
}

/** `# HELP name text` (when help is given) and `# TYPE name type` lines of the text format. */
export function prometheusTextHeader(name: string, type: string, help: string | undefined): string {
  const quoted = formatMetricName(name);
  const helpLine = help === undefined ? '' : `# HELP ${quoted} ${escapeHelp(help)}\n`;
  return `${helpLine}# TYPE ${quoted} ${type}\n`;
}

const TEXT_TYPE: Readonly<Record<MetricType, string>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
  info: 'gauge',
  stateset: 'gauge',
  unknown: 'untyped',
};

function textMetadata(family: MetricFamily): { metaName: string; type: string } {
  const type = TEXT_TYPE[family.type];
  if (family.type === 'counter') {
    const total = `${family.name}_total`;
    // A prom-client-compatible counter keeps its bare name (`test`), so TYPE names the bare name.
    const hasTotal = family.samples.length === 0 || family.samples.some((s) => s.name === total);
    return { metaName: hasTotal ? total : family.name, type };
  }
  if (family.type === 'info') return { metaName: `${family.name}_info`, type };
  return { metaName: family.name, type };
}

function movedSuffix(family: MetricFamily, sampleName: string): string | undefined {
  if (!sampleName.startsWith(family.name)) return undefined;
  const suffix = sampleName.slice(family.name.length);
  switch (family.type) {
    case 'counter':
    case 'histogram':
    case 'summary':
      return suffix === '_created' ? suffix : undefined;
    case 'gaugehistogram':
      return suffix === '_gsum' || suffix === '_gcount' ? suffix : undefined;
    default:
      return undefined;
  }
}
