import { isLabelObject, type LabelValues } from './label-values.js';
import { configFrom, type MetricConfig } from './metric-config.js';
import { Metric } from './metric.js';
import { valuesOf, type MetricValues } from './metric-values.js';
import { Series } from './series.js';
import { secondsSince, wrapperWith, type AnyFunction, type FunctionWrapper } from './wrap.js';

export type GaugeConfig<L extends string> = MetricConfig<L, Gauge<L>>;

/** A started in-progress count: `stop()` takes it back (once; later calls do nothing). */
export interface InProgress {
  stop(): void;
}

/** One gauge series: what `gauge.labels(…)` returns. */
export class GaugeSeries extends Series {
  /** @internal */ _value = 0;
  /** @internal Evaluated at collection when set (`setFunction`). */
  _fn: (() => number) | undefined = undefined;

  constructor(private readonly metric: Gauge) {
    super();
  }

  set(value: number): void {
    if (typeof value !== 'number')
      throw new TypeError(`Gauge ${this.metric.name}: value must be a number, got ${typeof value}`);
    if (this._detached !== undefined) this.metric._reattach(this);
    this._value = value;
  }

  inc(value = 1): void {
    if (typeof value !== 'number')
      throw new TypeError(`Gauge ${this.metric.name}: increment must be a number, got ${typeof value}`);
    if (this._detached !== undefined) this.metric._reattach(this);
    this._value += value;
  }

  dec(value = 1): void {
    this.inc(-value);
  }

  get(): number {
    return this._value;
  }

  /** Sets the gauge to the current Unix time in seconds. */
  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  /** Takes the value from `fn` at every collection (the seed's `set_function`). */
  setFunction(fn: () => number): void {
    if (typeof fn !== 'function')
      throw new TypeError(`Gauge ${this.metric.name}: setFunction expects a function`);
    if (this._detached !== undefined) this.metric._reattach(this);
    this._fn = fn;
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

  /** @internal The value to expose (from `setFunction` when set). */
  _read(): number {
    return this._fn === undefined ? this._value : this._fn();
  }

  /** @internal */
  _zero(): void {
    this._value = 0;
    this._fn = undefined;
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
    if (isLabelObject(a)) this.seriesFor(a).set(b as number);
    else this.unlabelledSeries().set(a);
  }

  inc(value?: number): void;
  inc(labels: LabelValues<L>, value?: number): void;
  inc(a?: LabelValues<L> | number, b?: number): void {
    if (isLabelObject(a)) this.seriesFor(a).inc(b ?? 1);
    else this.unlabelledSeries().inc(a ?? 1);
  }

  dec(value?: number): void;
  dec(labels: LabelValues<L>, value?: number): void;
  dec(a?: LabelValues<L> | number, b?: number): void {
    if (isLabelObject(a)) this.seriesFor(a).dec(b ?? 1);
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
    return valuesOf(this, this.name, (series, labels, out) => {
      out.push({ value: series._read(), labels });
    });
  }

  protected newSeries(): GaugeSeries {
    return new GaugeSeries(this);
  }
}
