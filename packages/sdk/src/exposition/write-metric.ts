import {
  escapeHelp,
  escapeOpenMetricsHelp,
  formatExemplar,
  formatFloat,
  formatOpenMetricsFloat,
  type ExpositionFormat,
} from '@tally/model';
import type { Counter } from '../metrics/counter.js';
import type { Gauge } from '../metrics/gauge.js';
import type { Histogram, HistogramSeries } from '../metrics/histogram.js';
import type { Summary, SummarySeries } from '../metrics/summary.js';
import { forEachSeriesPairs, type DefaultLabels } from './series-layout.js';

export type AnyMetric = Counter | Gauge | Histogram | Summary;

/**
 * The SDK's fast serialiser: one metric's family straight from its series tree, without
 * building `MetricFamily` objects first. Its output is byte-identical to @tally/model's
 * `writePrometheusText` / `writeOpenMetrics` over `metricFamily(metric)` (a test holds it to
 * that); it uses model's escaping and float formatting and writes no byte of its own design.
 */
export function writeMetric(metric: AnyMetric, format: ExpositionFormat, defaults: DefaultLabels): string {
  const om = format === 'openmetrics';
  const value = om ? formatOpenMetricsFloat : formatFloat;
  switch (metric.type) {
    case 'counter': {
      const family = metric._familyName;
      const sample = om ? `${family}_total` : metric._textSampleName;
      // model's text writer names HELP/TYPE `x_total` unless the samples keep a bare name (prom-client's `test`).
      const textMeta = metric.seriesSize === 0 || sample === `${family}_total` ? `${family}_total` : family;
      const meta = om ? family : textMeta;
      let out = header(meta, 'counter', metric.help, om);
      const values = metric._slab.values;
      const exemplars = metric._exemplars;
      forEachSeriesPairs(metric, defaults, (leaf, pairs) => {
        const slot = typeof leaf === 'number' ? leaf : metric._slotOf(leaf);
        const line = `${series(sample, pairs)} ${value(values[slot]!)}`;
        const ex = exemplars.size === 0 ? undefined : exemplars.get(slot);
        out +=
          om && ex !== undefined
            ? `${line}${formatExemplar(ex.labels, ex.value, ex.timestampMs)}\n`
            : `${line}\n`;
      });
      return out;
    }
    case 'gauge': {
      let out = header(metric.name, 'gauge', metric.help, om);
      forEachSeriesPairs(metric, defaults, (leaf, pairs) => {
        out += `${series(metric.name, pairs)} ${value(metric._read(metric._slotOf(leaf)))}\n`;
      });
      return out;
    }
    case 'histogram': {
      const name = metric.name;
      const bounds = metric._bounds;
      const les = [...Array.from(bounds, (b) => `le="${formatOpenMetricsFloat(b)}"`), 'le="+Inf"'];
      let out = header(name, 'histogram', metric.help, om);
      forEachSeriesPairs(metric, defaults, (leaf, pairs) => {
        const s = leaf as HistogramSeries;
        const open = pairs === '' ? `${name}_bucket{` : `${name}_bucket{${pairs},`;
        let cumulative = 0;
        for (let i = 0; i < les.length; i++) {
          cumulative += s._counts[i]!;
          const ex = om ? s._exemplars?.[i] : undefined;
          out +=
            ex === undefined
              ? `${open}${les[i]!}} ${value(cumulative)}\n`
              : `${open}${les[i]!}} ${value(cumulative)}${formatExemplar(ex.labels, ex.value, ex.timestampMs)}\n`;
        }
        out += `${series(`${name}_sum`, pairs)} ${value(s._sum)}\n${series(`${name}_count`, pairs)} ${value(s._count)}\n`;
      });
      return out;
    }
    case 'summary': {
      const name = metric.name;
      const qs = metric.percentiles.map((q) => `quantile="${formatOpenMetricsFloat(q)}"`);
      let out = header(name, 'summary', metric.help, om);
      forEachSeriesPairs(metric, defaults, (leaf, pairs) => {
        const s = leaf as SummarySeries;
        const values = s.quantiles();
        const open = pairs === '' ? `${name}{` : `${name}{${pairs},`;
        for (let i = 0; i < qs.length; i++) out += `${open}${qs[i]!}} ${value(values[i]!)}\n`;
        out += `${series(`${name}_sum`, pairs)} ${value(s._sum)}\n${series(`${name}_count`, pairs)} ${value(s._count)}\n`;
      });
      return out;
    }
  }
}

/** Metric and label names here are valid legacy names (checked at construction), so none is quoted. */
function series(name: string, pairs: string): string {
  return pairs === '' ? name : `${name}{${pairs}}`;
}

function header(name: string, type: string, help: string, om: boolean): string {
  return `# HELP ${name} ${om ? escapeOpenMetricsHelp(help) : escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}
