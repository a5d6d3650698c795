import type { Label, MetricFamily } from '@tally/model';
import type { DefaultLabels } from '../exposition/series-layout.js';
import type { AnyMetric } from '../exposition/write-metric.js';

/** The self-metric of the series limit: one family, exposed once any metric refused a label set. */
export const DROPPED_SERIES_FAMILY = 'tally_sdk_series_dropped';

export function droppedSeriesFamily(
  metrics: Iterable<AnyMetric>,
  defaults: DefaultLabels,
): MetricFamily | undefined {
  const samples = [];
  for (const m of metrics) {
    if (m._droppedSeries === 0) continue;
    const labels: Label[] = defaults.filter((l) => l.name !== 'metric');
    labels.push({ name: 'metric', value: m.name });
    labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    samples.push({ name: `${DROPPED_SERIES_FAMILY}_total`, labels, value: m._droppedSeries });
  }
  if (samples.length === 0) return undefined;
  return {
    name: DROPPED_SERIES_FAMILY,
    type: 'counter',
    help: 'Label sets refused because their metric reached its series limit (maxSeries); each refused lookup counts once.',
    samples,
  };
}
