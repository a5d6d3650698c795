// Runs a chart's queries (lib/queries.ts) over a window and turns the answers into named
// series: `minmax` queries become one spike-keeping line per label set, `value` queries one line
// per series they return.

import { api } from '../api/client.js';
import type { PromMatrixSeries } from '../api/api-types.js';
import { mergeMinMax, promPoints } from '../lib/downsample.js';
import { AGG_LABEL, minMaxExprs, planChart } from '../lib/queries.js';
import { labelsKey, seriesName } from '../lib/series-name.js';
import type { QueryWindow } from '../lib/view-state.js';
import type { ChartSeries } from './chart-controller.js';

export interface ChartMetric {
  readonly name: string;
  readonly type: string;
  /** The family's own unit, when its metadata has one. */
  readonly unit?: string;
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
      const answer = await run(minMaxExprs(q.selector, step).combined);
      const parts = {
        min: new Map<string, PromMatrixSeries>(),
        max: new Map<string, PromMatrixSeries>(),
        last: new Map<string, PromMatrixSeries>(),
      };
      for (const s of answer) {
        const { [AGG_LABEL]: agg, ...metric } = s.metric;
        if (agg === 'min' || agg === 'max' || agg === 'last')
          parts[agg].set(labelsKey(metric), { metric, values: s.values });
      }
      return [...parts.min].map(([key, s]) => ({
        name: seriesName(s.metric, { keepJob: opts.keepJob, fallback: metric.name }),
        labels: s.metric,
        ...mergeMinMax(s.values, parts.max.get(key)?.values ?? [], parts.last.get(key)?.values ?? [], step),
      }));
    }),
  );
  const series = groups.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { series, unit: plan.unit };
}
