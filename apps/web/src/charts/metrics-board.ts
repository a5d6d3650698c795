// The charts of one page and their data flow, outside the Preact tree: it fetches each chart's
// queries for the current view, follows the live stream, and pushes results into the charts
// with setData. Components only attach a DOM element and render the stats table they are given.

import type { StreamSamplesEvent } from '../api/api-types.js';
import { ApiError } from '../api/client.js';
import { queryWindow, type QueryWindow, type ViewState } from '../lib/view-state.js';
import { ChartController, type StatsRow } from './chart-controller.js';
import { fetchChart, type ChartMetric } from './fetch-chart.js';
import type { Theme } from './palette.js';
import { familyOf } from '../lib/family.js';

export interface BoardConfig {
  readonly jobIds: readonly string[];
  /** Each job's creation time, epoch ms (relative x axis; compare runs aligned by start). */
  readonly jobStartMs: Readonly<Record<string, number>>;
  readonly view: ViewState;
  readonly theme: Theme;
  /** Compare runs: series keep their job label and may be shifted to their job's start. */
  readonly compare: boolean;
  readonly onZoom: (fromMs: number, toMs: number) => void;
  readonly onResetZoom: () => void;
  /** The stream named a metric family the page does not show yet. */
  readonly onUnknownMetric: (name: string) => void;
}

export interface ChartState {
  readonly rows: readonly StatsRow[];
  readonly unit: string;
  readonly error?: string;
  readonly loading: boolean;
}

interface Entry {
  readonly metric: ChartMetric;
  readonly controller: ChartController;
  readonly onState: (s: ChartState) => void;
  state: ChartState;
  dirty: boolean;
  /** On screen (or near it): only visible charts fetch; others catch up when scrolled to. */
  visible: boolean;
  inFlight: AbortController | undefined;
}

export class MetricsBoard {
  private readonly entries = new Map<string, Entry>();
  private window: QueryWindow;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastFullRefreshMs = Date.now();
  private readonly byElement = new Map<Element, Entry>();
  private readonly observer: IntersectionObserver | undefined;

  constructor(private config: BoardConfig) {
    this.window = this.computeWindow();
    this.timer = setInterval(() => this.tick(), 1000);
    this.observer =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver((changes) => this.onVisibility(changes), { rootMargin: '300px 0px' });
  }

  private onVisibility(changes: readonly IntersectionObserverEntry[]): void {
    for (const c of changes) {
      const entry = this.byElement.get(c.target);
      if (!entry) continue;
      entry.visible = c.isIntersecting;
      if (entry.visible && entry.dirty) void this.load(entry);
    }
  }

  attach(metric: ChartMetric, el: HTMLElement, onState: (s: ChartState) => void): () => void {
    const key = metric.name;
    const controller = new ChartController(el, this.chartOptions(), {
      onZoom: (from, to) => this.config.onZoom(from * 1000, to * 1000),
      onResetZoom: () => this.config.onResetZoom(),
      onStats: (rows) => {
        const entry = this.entries.get(key);
        if (entry) this.setState(entry, { ...entry.state, rows });
      },
    });
    const entry: Entry = {
      metric,
      controller,
      onState,
      state: { rows: [], unit: '', loading: true },
      dirty: true,
      visible: this.observer === undefined,
      inFlight: undefined,
    };
    this.entries.set(key, entry);
    this.byElement.set(el, entry);
    if (this.observer) this.observer.observe(el);
    else void this.load(entry);
    return () => {
      this.observer?.unobserve(el);
      this.byElement.delete(el);
      entry.inFlight?.abort();
      controller.destroy();
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
  }

  /** The series a chart shows now, for export. */
  exportSeries(metricName: string): ReturnType<ChartController['exportSeries']> {
    return this.entries.get(metricName)?.controller.exportSeries() ?? [];
  }

  update(config: BoardConfig): void {
    const before = this.config;
    this.config = config;
    const drawing =
      before.theme !== config.theme ||
      before.view.log !== config.view.log ||
      before.view.ema !== config.view.ema ||
      before.view.xAxis !== config.view.xAxis;
    if (drawing) for (const e of this.entries.values()) e.controller.setOptions(this.chartOptions());
    const data =
      before.view.range !== config.view.range ||
      before.view.fromMs !== config.view.fromMs ||
      before.view.toMs !== config.view.toMs ||
      before.view.rawCounters !== config.view.rawCounters ||
      before.view.resolution !== config.view.resolution ||
      before.view.live !== config.view.live ||
      before.jobIds.join() !== config.jobIds.join();
    if (data) this.refreshAll();
  }

  /** Samples arrived on the live stream: the charts of their families fetch again next tick. */
  notifySamples(event: StreamSamplesEvent): void {
    if (!this.config.view.live) return;
    const known = new Set(this.entries.keys());
    for (const s of event.series) {
      const name = s.labels.__name__;
      if (!name) continue;
      const family = familyOf(name, known);
      const entry = this.entries.get(family);
      if (entry) entry.dirty = true;
      // A chart for a declared metric that had no data yet learns its type from the job.
      if (!entry || entry.metric.type === 'unknown') this.config.onUnknownMetric(family);
    }
  }

  refreshAll(): void {
    this.window = this.computeWindow();
    this.lastFullRefreshMs = Date.now();
    for (const e of this.entries.values()) {
      e.dirty = true;
      if (e.visible) void this.load(e);
    }
  }

  destroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.observer?.disconnect();
    for (const e of this.entries.values()) {
      e.inFlight?.abort();
      e.controller.destroy();
    }
    this.entries.clear();
  }

  /** Live mode, once a second: slide a relative window, refetch the charts that got samples. */
  private tick(): void {
    const v = this.config.view;
    if (!v.live || v.fromMs !== undefined) return;
    this.window = this.computeWindow();
    // Buckets at the far edge drift as the window slides; a full refetch now and then keeps
    // them exact without refetching every chart every second.
    if (Date.now() - this.lastFullRefreshMs > 60_000) {
      this.refreshAll();
      return;
    }
    for (const e of this.entries.values()) {
      if (e.dirty && e.visible) void this.load(e);
      else if (!this.config.compare || v.xAxis !== 'relative') e.controller.setWindow(this.xWindow());
    }
  }

  private async load(entry: Entry): Promise<void> {
    entry.dirty = false;
    entry.inFlight?.abort();
    const abort = new AbortController();
    entry.inFlight = abort;
    const window = this.window;
    try {
      const { series, unit } = await fetchChart(entry.metric, this.config.jobIds, window, {
        rawCounters: this.config.view.rawCounters,
        keepJob: this.config.compare,
        signal: abort.signal,
      });
      if (abort.signal.aborted) return;
      const shifted =
        this.config.compare && this.config.view.xAxis === 'relative'
          ? series.map((s) => ({
              ...s,
              shiftSeconds: (this.config.jobStartMs[s.labels.job ?? ''] ?? 0) / 1000,
            }))
          : series;
      entry.controller.setData(shifted, this.xWindow());
      this.setState(entry, { rows: entry.state.rows, unit, loading: false });
    } catch (e) {
      if (abort.signal.aborted) return;
      const message = e instanceof ApiError || e instanceof Error ? e.message : String(e);
      this.setState(entry, { ...entry.state, loading: false, error: message });
    } finally {
      if (entry.inFlight === abort) entry.inFlight = undefined;
    }
  }

  private setState(entry: Entry, state: ChartState): void {
    entry.state = state;
    entry.onState(state);
  }

  private xWindow(): { min: number; max: number } {
    const v = this.config.view;
    if (v.fromMs !== undefined && v.toMs !== undefined) return { min: v.fromMs / 1000, max: v.toMs / 1000 };
    const now = Date.now() / 1000;
    return { min: now - (this.window.endSeconds - this.window.startSeconds), max: now };
  }

  private computeWindow(): QueryWindow {
    const starts = Object.values(this.config.jobStartMs);
    const start = starts.length > 0 ? Math.min(...starts) : Date.now();
    return queryWindow(this.config.view, Date.now(), start);
  }

  private chartOptions(): ConstructorParameters<typeof ChartController>[1] {
    const starts = Object.values(this.config.jobStartMs);
    return {
      log: this.config.view.log,
      ema: this.config.view.ema,
      xAxis: this.config.view.xAxis,
      originSeconds: (starts.length > 0 ? Math.min(...starts) : 0) / 1000,
      theme: this.config.theme,
      syncKey: `tally-${this.config.jobIds.join(',')}`,
      height: 220,
    };
  }
}
