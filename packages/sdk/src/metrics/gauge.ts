import { isLabelObject, type LabelValues } from './label-values.js';
import { configFrom, type MetricConfig } from './metric-config.js';
import { Metric } from './metric.js';
import { valuesOf, type MetricValues } from './metric-values.js';
import { SINK, Series } from './series.js';
import { Slab } from './slab.js';
import { secondsSince, wrapperWith, type AnyFunction, type FunctionWrapper } from './wrap.js';

export type GaugeConfig<L extends string> = MetricConfig<L, Gauge<L>>;

/** A started in-progress count: `stop()` takes it back (once; later calls do nothing). */
export interface InProgress {
  stop(): void;
}

function checkNumber(name: string, what: string, value: unknown): void {
  if (typeof value !== 'number')
    throw new TypeError(`Gauge ${name}: ${what} must be a number, got ${typeof value}`);
}

/** One gauge series: what `gauge.labels(…)` returns. Its value lives in the gauge's slab. */
export class GaugeSeries extends Series {
  constructor(
    private readonly metric: Gauge,
    /** @internal Slot in the gauge's slab; -1 while removed or refused. */
    public _slot: number,
  ) {
    super();
  }

  /**
   * The series to update: this one (putting it back if it was removed), the series that has its
   * label set now, or none when the limit refused it.
   */
  private target(): GaugeSeries | undefined {
    if (this._detached === undefined) return this;
    this.metric._reattach(this);
    return this._detached === undefined ? this : this.metric._forwardOf(this);
  }

  set(value: number): void {
    checkNumber(this.metric.name, 'value', value);
    const t = this.target();
    if (t !== undefined) this.metric._slab.values[t._slot] = value;
  }

  inc(value = 1): void {
    checkNumber(this.metric.name, 'increment', value);
    const t = this.target();
    if (t !== undefined) this.metric._slab.values[t._slot]! += value;
  }

  dec(value = 1): void {
    this.inc(-value);
  }

  get(): number {
    return this._slot < 0 ? (this.metric._forwardOf(this)?.get() ?? 0) : this.metric._read(this._slot);
  }

  /** Sets the gauge to the current Unix time in seconds. */
  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  /** Takes the value from `fn` at every collection (the seed's `set_function`). */
  setFunction(fn: () => number): void {
    if (typeof fn !== 'function')
      throw new TypeError(`Gauge ${this.metric.name}: setFunction expects a function`);
    const t = this.target();
    if (t !== undefined) this.metric._fns.set(t._slot, fn);
  }

  /** Adds one now; `stop()` on the handle takes it back. */
  startInProgress(): InProgress {
    this.inc();
    let stopped = false;
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        this.dec();
      },
    };
  }

  /** `trackInProgress(fn)` wraps `fn` (sync or async); `trackInProgress()` is a wrapper and decorator. */
  trackInProgress(): FunctionWrapper;
  trackInProgress<F extends AnyFunction>(fn: F): F;
  trackInProgress(fn?: AnyFunction): unknown {
    const wrapper = wrapperWith(() => ({
      enter: () => this.startInProgress(),
      exit: (handle) => handle.stop(),
    }));
    return fn === undefined ? wrapper : wrapper(fn);
  }

  /** Starts a timer; the returned function sets the gauge to the seconds elapsed and returns them. */
  startTimer(): () => number {
    const start = performance.now();
    return () => {
      const seconds = secondsSince(start);
      this.set(seconds);
      return seconds;
    };
  }
}

/**
 * A gauge: goes up and down.
 *
 * @example
 * const g = new Gauge('my_inprogress_requests', 'Description of gauge');
 * g.inc(); g.dec(10); g.set(4.2);
 */
export class Gauge<L extends string = string> extends Metric<L, GaugeSeries> {
  readonly type = 'gauge';
  /** @internal Every series' value. */
  readonly _slab = new Slab();
  /** @internal `setFunction` callbacks by slot, evaluated at collection. */
  readonly _fns = new Map<number, () => number>();

  constructor(config: GaugeConfig<L>);
  constructor(name: string, help: string, labelNames?: readonly L[], options?: Partial<GaugeConfig<L>>);
  constructor(
    nameOrConfig: string | GaugeConfig<L>,
    help?: string,
    labelNames?: readonly L[],
    options?: Partial<GaugeConfig<L>>,
  ) {
    const config = configFrom('Gauge', nameOrConfig, help, labelNames, options);
    super('Gauge', config, config.name, []);
    this.registerWith(config.registers);
  }

  set(value: number): void;
  set(labels: LabelValues<L>, value: number): void;
  set(a: LabelValues<L> | number, b?: number): void {
    if (!isLabelObject(a)) {
      this.unlabelledSeries().set(a);
      return;
    }
    checkNumber(this.name, 'value', b);
    const leaf = this.leafFor(a);
    if (typeof leaf === 'number') this._slab.values[leaf] = b!;
    else (leaf as GaugeSeries).set(b!);
  }

  inc(value?: number): void;
  inc(labels: LabelValues<L>, value?: number): void;
  inc(a?: LabelValues<L> | number, b?: number): void {
    if (!isLabelObject(a)) {
      this.unlabelledSeries().inc(a ?? 1);
      return;
    }
    const by = b ?? 1;
    checkNumber(this.name, 'increment', by);
    const leaf = this.leafFor(a);
    if (typeof leaf === 'number') this._slab.values[leaf]! += by;
    else (leaf as GaugeSeries).inc(by);
  }

  dec(value?: number): void;
  dec(labels: LabelValues<L>, value?: number): void;
  dec(a?: LabelValues<L> | number, b?: number): void {
    if (isLabelObject(a)) this.inc(a, -(b ?? 1));
    else this.unlabelledSeries().dec(a ?? 1);
  }

  setToCurrentTime(labels?: LabelValues<L>): void {
    (labels ? this.seriesFor(labels) : this.unlabelledSeries()).setToCurrentTime();
  }

  setFunction(fn: () => number): void {
    this.unlabelledSeries().setFunction(fn);
  }

  startInProgress(labels?: LabelValues<L>): InProgress {
    return (labels ? this.seriesFor(labels) : this.unlabelledSeries()).startInProgress();
  }

  trackInProgress(): FunctionWrapper;
  trackInProgress<F extends AnyFunction>(fn: F): F;
  trackInProgress(fn?: AnyFunction): unknown {
    const series = this.unlabelledSeries();
    return fn === undefined ? series.trackInProgress() : series.trackInProgress(fn);
  }

  /** prom-client's timer: the end function sets the gauge to the elapsed seconds (labels may be added at the end). */
  startTimer(labels?: LabelValues<L>): (endLabels?: LabelValues<L>) => number {
    const start = performance.now();
    return (endLabels) => {
      const seconds = secondsSince(start);
      const all = labels || endLabels ? { ...labels, ...endLabels } : undefined;
      (all ? this.seriesFor(all) : this.unlabelledSeries()).set(seconds);
      return seconds;
    };
  }

  async get(): Promise<MetricValues> {
    await this._collect();
    return valuesOf(this, this.name, (leaf, labels, out) => {
      out.push({ value: this._read(this._slotOf(leaf)), labels });
    });
  }

  /** @internal The value to expose for a slot (from `setFunction` when set). */
  _read(slot: number): number {
    const fn = this._fns.get(slot);
    return fn === undefined ? this._slab.values[slot]! : fn();
  }

  /** @internal The slab slot of a tree leaf. */
  _slotOf(leaf: unknown): number {
    return typeof leaf === 'number' ? leaf : (leaf as GaugeSeries)._slot;
  }

  protected newLeaf(): number {
    return this._slab.alloc();
  }

  protected handleOf(leaf: unknown): GaugeSeries {
    return typeof leaf === 'number' ? new GaugeSeries(this, leaf) : (leaf as GaugeSeries);
  }

  protected releaseLeaf(leaf: unknown): void {
    const slot = this._slotOf(leaf);
    this._slab.release(slot);
    this._fns.delete(slot);
    if (typeof leaf !== 'number') (leaf as GaugeSeries)._slot = -1;
  }

  protected revive(series: GaugeSeries): void {
    if (series._slot >= 0) {
      this._slab.values[series._slot] = 0;
      this._fns.delete(series._slot);
    } else series._slot = this._slab.alloc();
  }

  protected override adopt(series: GaugeSeries, slot: number): boolean {
    series._slot = slot;
    return true;
  }

  protected sinkSeries(): GaugeSeries {
    const sink = new GaugeSeries(this, -1);
    sink._detached = SINK;
    return sink;
  }
}
