import { formatOpenMetricsFloat, type ExposedSample, type Labels, type MetricFamily } from '@tally/model';
import type { HistogramSeries } from '../metrics/histogram.js';
import type { SummarySeries } from '../metrics/summary.js';
import { forEachSeriesLabels, type DefaultLabels } from './series-layout.js';
import type { AnyMetric } from './write-metric.js';

/**
 * One metric as a `MetricFamily` (@tally/model's exchange type, which its writers and the
 * server read). The family is the same for both formats: a counter's samples are named
 * `x_total` (Tally) or as given (prom-client compatibility), and each writer names them as its
 * format requires. `le` and `quantile` come last in a sample's labels, as every client writes them.
 */
export function metricFamily(metric: AnyMetric, defaults: DefaultLabels): MetricFamily {
  const samples: ExposedSample[] = [];
  const push = (name: string, labels: Labels, value: number, exemplar?: ExposedSample['exemplar']): void => {
    samples.push(exemplar === undefined ? { name, labels, value } : { name, labels, value, exemplar });
  };
  switch (metric.type) {
    case 'counter':
      forEachSeriesLabels(metric, defaults, (leaf, labels) => {
        const slot = metric._slotOf(leaf);
        push(metric._textSampleName, labels, metric._slab.values[slot]!, metric._exemplars.get(slot));
      });
      return { name: metric._familyName, type: 'counter', help: metric.help, samples };
    case 'gauge':
      forEachSeriesLabels(metric, defaults, (leaf, labels) => {
        push(metric.name, labels, metric._read(metric._slotOf(leaf)));
      });
      return { name: metric.name, type: 'gauge', help: metric.help, samples };
    case 'histogram': {
      const les = [...Array.from(metric._bounds, formatOpenMetricsFloat), '+Inf'];
      forEachSeriesLabels(metric, defaults, (leaf, labels) => {
        const s = leaf as HistogramSeries;
        let cumulative = 0;
        les.forEach((le, i) => {
          cumulative += s._counts[i]!;
          push(
            `${metric.name}_bucket`,
            [...labels, { name: 'le', value: le }],
            cumulative,
            s._exemplars?.[i],
          );
        });
        push(`${metric.name}_sum`, labels, s._sum);
        push(`${metric.name}_count`, labels, s._count);
      });
      return { name: metric.name, type: 'histogram', help: metric.help, samples };
    }
    case 'summary': {
      const qs = metric.percentiles.map(formatOpenMetricsFloat);
      forEachSeriesLabels(metric, defaults, (leaf, labels) => {
        const s = leaf as SummarySeries;
        const values = s.quantiles();
        qs.forEach((q, i) => push(metric.name, [...labels, { name: 'quantile', value: q }], values[i]!));
        push(`${metric.name}_sum`, labels, s._sum);
        push(`${metric.name}_count`, labels, s._count);
      });
      return { name: metric.name, type: 'summary', help: metric.help, samples };
    }
  }
}
