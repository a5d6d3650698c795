// Runs a chart's queries (lib/queries.ts) over a window and turns the answers into named
// series: `minmax` queries become one spike-keeping line per label set, `value` queries one line
// per series they return.

import { api } from '../api/client.js';
import type { PromMatrixSeries } from '../api/api-types.js';
import { mergeMinMax, promPoints } from '../lib/downsample.js';
import { minMaxExprs, planChart } from '../lib/queries.js';
import { labelsKey, seriesName } from '../lib/series-name.js';
import type { QueryWindow } from '../lib/view-state.js';
import type { ChartSeries } from './chart-controller.js';

export interface ChartMetric {
  readonly name: string;
  readonly type: string;
}

export async function fetchChart(
  metric: ChartMetric,
  jobIds: readonly string[],
  window: QueryWindow,
  opts: { readonly rawCounters: boolean; readonly keepJob: boolean; readonly signal?: AbortSignal },
): Promise<{ series: ChartSeries[]; unit: string }> {
  const { startSeconds: start, endSeconds: end, stepSeconds: step } = window;
  const plan = planChart(metric, jobIds, step, opts);
  const run = (expr: string): Promise<readonly PromMatrixSeries[]> =>
    api.queryRange(expr, start, end, step, opts.signal);
  const groups = await Promise.all(
    plan.queries.map(async (q): Promise<ChartSeries[]> => {
      if (q.kind === 'value') {
        const result = await run(q.expr);
        return result.map((s) => ({
          name: seriesName(s.metric, {
            ...(q.legend !== undefined ? { legend: q.legend } : {}),
            keepJob: opts.keepJob,
            fallback: metric.name,
          }),
          labels: s.metric,
          ...promPoints(s.values),
        }));
      }
      const e = minMaxExprs(q.selector, step);
      const [mins, maxs, lasts] = await Promise.all([run(e.min), run(e.max), run(e.last)]);
      const maxBy = new Map(maxs.map((s) => [labelsKey(s.metric), s.values]));
      const lastBy = new Map(lasts.map((s) => [labelsKey(s.metric), s.values]));
      return mins.map((s) => {
        const key = labelsKey(s.metric);
        return {
          name: seriesName(s.metric, { keepJob: opts.keepJob, fallback: metric.name }),
          labels: s.metric,
          ...mergeMinMax(s.values, maxBy.get(key) ?? [], lastBy.get(key) ?? [], step),
        };
      });
    }),
  );
  const series = groups.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { series, unit: plan.unit };
}
