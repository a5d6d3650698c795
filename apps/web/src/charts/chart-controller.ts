// One uPlot chart, owned outside the Preact tree: the page hands it data with `setData` and it
// redraws without re-rendering any component. It rebuilds the uPlot instance only when the set
// of series or a drawing option changes; otherwise updates are uPlot's own `setData`.

import uPlot from 'uplot';
import { alignSeries, type Points } from '../lib/downsample.js';
import { ema } from '../lib/ema.js';
import { formatDuration, formatValue } from '../lib/format.js';
import { seriesStats, type SeriesStats } from '../lib/stats.js';
import { chartTheme, seriesColor, withAlpha, type Theme } from './palette.js';

// uPlot's Scale.Distr.Log is an ambient const enum, which isolatedModules cannot reference.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const LOG_SCALE: uPlot.Scale = { distr: 3 };

export interface ChartSeries extends Points {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Seconds to subtract from t when drawing (compare runs aligned by job start). */
  readonly shiftSeconds?: number;
}

export interface ChartOptions {
  readonly log: boolean;
  readonly ema: number;
  readonly xAxis: 'wall' | 'relative';
  /** Zero of the relative x axis, epoch seconds. */
  readonly originSeconds: number;
  readonly theme: Theme;
  readonly syncKey: string;
  readonly height: number;
}

export interface StatsRow {
  readonly name: string;
  readonly color: string;
  readonly stats: SeriesStats;
}

export interface ChartCallbacks {
  onZoom(fromSeconds: number, toSeconds: number): void;
  onResetZoom(): void;
  onStats(rows: readonly StatsRow[]): void;
}

export class ChartController {
  private plot: uPlot | undefined;
  private series: readonly ChartSeries[] = [];
  private structure = '';
  private xWindow: { min: number; max: number } | undefined;
  private readonly resizeObserver: ResizeObserver;

  constructor(
    private readonly el: HTMLElement,
    private options: ChartOptions,
    private readonly callbacks: ChartCallbacks,
  ) {
    this.resizeObserver = new ResizeObserver(() => {
      if (this.plot) this.plot.setSize({ width: this.width(), height: this.options.height });
    });
    this.resizeObserver.observe(el);
  }

  /** New data; `xWindow` (epoch seconds) is the range shown — undefined fits the data. */
  setData(series: readonly ChartSeries[], xWindow?: { min: number; max: number }): void {
    this.series = series;
    this.xWindow = xWindow;
    this.render();
    this.callbacks.onStats(
      series.map((s, i) => ({
        name: s.name,
        color: seriesColor(i, this.options.theme),
        stats: seriesStats(s.v),
      })),
    );
  }

  /** Moves the shown window without new data (live mode between fetches). */
  setWindow(xWindow: { min: number; max: number }): void {
    this.xWindow = xWindow;
    if (this.plot) this.plot.setScale('x', this.shownWindow(xWindow));
  }

  setOptions(options: ChartOptions): void {
    this.options = options;
    this.structure = '';
    this.render();
    this.callbacks.onStats(
      this.series.map((s, i) => ({
        name: s.name,
        color: seriesColor(i, options.theme),
        stats: seriesStats(s.v),
      })),
    );
  }

  exportSeries(): readonly ChartSeries[] {
    return this.series;
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private width(): number {
    return Math.max(200, Math.floor(this.el.clientWidth || 600));
  }

  private shownWindow(w: { min: number; max: number }): { min: number; max: number } {
    return this.options.xAxis === 'relative' && this.series.some((s) => s.shiftSeconds)
      ? { min: 0, max: w.max - w.min }
      : w;
  }

  private render(): void {
    const o = this.options;
    const smooth = o.ema > 0;
    const shifted = this.series.map((s) => {
      const shift = s.shiftSeconds ?? 0;
      const v = o.log ? s.v.map((x) => (x !== null && x > 0 ? x : null)) : s.v;
      return { t: shift ? s.t.map((t) => t - shift) : s.t, v };
    });
    const { x, ys } = alignSeries(shifted);
    const cols: (number | null)[][] = [];
    for (const y of ys) {
      cols.push(y);
      if (smooth) cols.push(ema(y, o.ema));
    }
    const data = [x, ...cols] as uPlot.AlignedData;
    const structure = JSON.stringify([this.series.map((s) => s.name), o]);
    if (this.plot && structure === this.structure) {
      this.plot.setData(data, true);
    } else {
      this.plot?.destroy();
      this.plot = new uPlot(this.plotOptions(), data, this.el);
      this.structure = structure;
    }
    if (this.xWindow) this.plot.setScale('x', this.shownWindow(this.xWindow));
  }

  private plotOptions(): uPlot.Options {
    const o = this.options;
    const theme = chartTheme(o.theme);
    const smooth = o.ema > 0;
    const series: uPlot.Series[] = [{}];
    this.series.forEach((s, i) => {
      const color = seriesColor(i, o.theme);
      if (smooth) {
        series.push({ label: `${s.name} (raw)`, stroke: withAlpha(color, 0.25), width: 1, spanGaps: true });
        series.push({ label: s.name, stroke: color, width: 1.75, spanGaps: true });
      } else {
        series.push({ label: s.name, stroke: color, width: 1.5, spanGaps: true });
      }
    });
    const relativeOrigin = this.series.some((s) => s.shiftSeconds) ? 0 : o.originSeconds;
    const axis = (extra: uPlot.Axis): uPlot.Axis => ({
      stroke: theme.axis,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      ...extra,
    });
    return {
      width: this.width(),
      height: o.height,
      legend: { show: false },
      cursor: {
        sync: { key: o.syncKey, setSeries: false },
        drag: { x: true, y: false, setScale: false },
      },
      scales: { x: { time: o.xAxis === 'wall' }, y: o.log ? LOG_SCALE : {} },
      axes: [
        axis(
          o.xAxis === 'relative'
            ? { values: (_u, splits) => splits.map((s) => formatDuration(Math.round(s - relativeOrigin))) }
            : {},
        ),
        axis({ size: 60, values: (_u, splits) => splits.map((s) => formatValue(s)) }),
      ],
      series,
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.callbacks.onZoom(from, to);
          },
        ],
        ready: [
          (u) => {
            u.over.addEventListener('dblclick', () => this.callbacks.onResetZoom());
          },
        ],
      },
    };
  }
}
