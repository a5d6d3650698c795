import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChartState, MetricsBoard } from '../charts/metrics-board.js';
import { toCsv, toJson } from '../lib/export.js';
import { formatExact, formatValue } from '../lib/format.js';

export interface PanelMetric {
  readonly name: string;
  readonly type: string;
  readonly help?: string;
  /** The family's own unit, when its metadata has one (the chart's subtitle names it). */
  readonly unit?: string;
  readonly declared?: boolean;
}

/**
 * One metric family: its chart (drawn by the board, outside this component) and, as the
 * chart's text alternative and legend, a table of each series' last/min/max/mean.
 */
export function ChartPanel({ board, metric }: { board: MetricsBoard; metric: PanelMetric }) {
  const plotRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ChartState>({ rows: [], unit: '', loading: true });
  useEffect(
    () => board.attach(metric, plotRef.current!, setState),
    [board, metric.name, metric.type, metric.unit],
  );
  const id = `chart-${metric.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const download = (format: 'csv' | 'json'): void => {
    const series = board.exportSeries(metric.name);
    const text = format === 'csv' ? toCsv(series) : toJson(metric.name, series);
    const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${metric.name}.${format}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  return (
    <section class="panel" aria-labelledby={`${id}-title`} data-metric={metric.name}>
      <header class="panel-head">
        <div>
          <h2 id={`${id}-title`} class="panel-title">
            {metric.name}
            {metric.declared && <span class="badge">declared</span>}
          </h2>
          <div class="muted small">
            {metric.type}
            {state.unit && ` · ${state.unit}`}
            {metric.help && ` · ${metric.help}`}
          </div>
        </div>
        <div class="panel-actions">
          <button type="button" onClick={() => download('csv')} aria-label={`Export ${metric.name} as CSV`}>
            CSV
          </button>
          <button type="button" onClick={() => download('json')} aria-label={`Export ${metric.name} as JSON`}>
            JSON
          </button>
        </div>
      </header>
      <div class="plot" ref={plotRef} aria-hidden="true" />
      {state.error && (
        <p role="alert" class="error small">
          {state.error}
        </p>
      )}
      {!state.loading && !state.error && state.rows.length === 0 && (
        <p class="muted small">No samples in this time range.</p>
      )}
      {state.rows.length > 0 && (
        <table class="stats" aria-label={`${metric.name} series statistics`}>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col" class="num">
                Last
              </th>
              <th scope="col" class="num">
                Min
              </th>
              <th scope="col" class="num">
                Max
              </th>
              <th scope="col" class="num">
                Mean
              </th>
            </tr>
          </thead>
          <tbody>
            {state.rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">
                  <span class="swatch" style={{ background: r.color }} aria-hidden="true" />
                  {r.name}
                </th>
                <td class="num" data-stat="last" data-value={formatExact(r.stats.last)}>
                  {formatValue(r.stats.last)}
                </td>
                <td class="num" data-stat="min" data-value={formatExact(r.stats.min)}>
                  {formatValue(r.stats.min)}
                </td>
                <td class="num" data-stat="max" data-value={formatExact(r.stats.max)}>
                  {formatValue(r.stats.max)}
                </td>
                <td class="num" data-stat="mean" data-value={formatExact(r.stats.mean)}>
                  {formatValue(r.stats.mean)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
