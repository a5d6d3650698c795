import { makeExemplar, type ExemplarLabels, type StoredExemplar } from './exemplar.js';
import { isLabelObject, type LabelValues } from './label-values.js';
import { configFrom, type MetricConfig } from './metric-config.js';
import { Metric } from './metric.js';
import { valuesOf, type MetricValues } from './metric-values.js';
import { SINK, Series } from './series.js';
import { Slab } from './slab.js';
import {
  isErrorClass,
  wrapperWith,
  type AnyFunction,
  type ErrorClass,
  type FunctionWrapper,
} from './wrap.js';

export type CounterConfig<L extends string> = MetricConfig<L, Counter<L>>;

/** prom-client's exemplar call form, used when `enableExemplars` is set. */
export interface IncWithExemplar<L extends string> {
  labels?: LabelValues<L>;
  value?: number;
  exemplarLabels?: ExemplarLabels;
}

function checkIncrement(name: string, value: number): void {
  if (!(value >= 0 && value !== Infinity)) {
    throw new RangeError(`Counter ${name}: increment must be a finite number >= 0, got ${String(value)}`);
  }
}

/** One counter series: what `counter.labels(…)` returns. Its value lives in the counter's slab. */
export class CounterSeries extends Series {
  constructor(
    private readonly metric: Counter,
    /** @internal Slot in the counter's slab; -1 while removed or refused. */
    public _slot: number,
  ) {
    super();
  }

  /** Adds `value` (default 1); a negative or non-finite increment throws an error naming the counter. */
  inc(value = 1, exemplarLabels?: ExemplarLabels): void {
    checkIncrement(this.metric.name, value);
    if (this._detached !== undefined) {
      this.metric._reattach(this);
      if (this._detached !== undefined) {
        // Its label set is another series now, or the limit refused it (counted when refused).
        this.metric._forwardOf(this)?.inc(value, exemplarLabels);
        return;
      }
    }
    this.metric._slab.values[this._slot]! += value;
    if (exemplarLabels !== undefined)
      this.metric._exemplars.set(this._slot, makeExemplar(this.metric.name, exemplarLabels, value));
  }

  get(): number {
    return this._slot < 0
      ? (this.metric._forwardOf(this)?.get() ?? 0)
      : this.metric._slab.values[this._slot]!;
  }

  /** Counts the exceptions thrown by a function (see {@link Counter.countExceptions}). */
  countExceptions(...errorClasses: ErrorClass[]): FunctionWrapper;
  countExceptions<F extends AnyFunction>(fn: F, ...errorClasses: ErrorClass[]): F;
  countExceptions(...args: unknown[]): unknown {
    return countExceptionsOf(() => this.inc(), args);
  }
}

/** `countExceptions` for a series: a wrapper (and decorator), or the wrapped function. */
export function countExceptionsOf(inc: () => void, args: readonly unknown[]): unknown {
  const first = args[0];
  const wrapFirst = typeof first === 'function' && !isErrorClass(first);
  const classes = (wrapFirst ? args.slice(1) : args) as ErrorClass[];
  for (const c of classes)
    if (!isErrorClass(c)) throw new TypeError('countExceptions: expected Error classes to filter by');
  const wrapper = wrapperWith(() => ({
    enter: () => undefined,
    exit: (_state, failure) => {
      if (failure && (classes.length === 0 || classes.some((c) => failure.error instanceof c))) inc();
    },
  }));
  return wrapFirst ? wrapper(first as AnyFunction) : wrapper;
}

/**
 * A counter: goes up, and resets when the process restarts. A Tally counter named
 * `x_total` is the family `x`, exposed as `x_total` (the seed's rule, which OpenMetrics
 * requires); `@tally/sdk/prom-client` keeps prom-client's names instead.
 *
 * @example
 * const c = new Counter('my_requests_total', 'HTTP Failures', ['method', 'endpoint']);
 * c.labels('get', '/').inc();
 * c.labels({ method: 'post', endpoint: '/submit' }).inc();
 */
export class Counter<L extends string = string> extends Metric<L, CounterSeries> {
  readonly type = 'counter';
  /** @internal The family name of the exposition: the name without `_total`. */
  readonly _familyName: string;
  /** @internal The sample name in the Prometheus text format: `x_total`, or prom-client's name as given. */
  readonly _textSampleName: string;
  /** @internal Every series' value. */
  readonly _slab = new Slab();
  /** @internal The latest exemplar per slot. */
  readonly _exemplars = new Map<number, StoredExemplar>();

  /** prom-client's names (the compatibility entry point sets it): a counter `test` stays `test`. */
  static readonly promClient: boolean = false;

  constructor(config: CounterConfig<L>);
  constructor(name: string, help: string, labelNames?: readonly L[], options?: Partial<CounterConfig<L>>);
  constructor(
    nameOrConfig: string | CounterConfig<L>,
    help?: string,
    labelNames?: readonly L[],
    options?: Partial<CounterConfig<L>>,
  ) {
    const config = configFrom('Counter', nameOrConfig, help, labelNames, options);
    const keepName = new.target.promClient;
    super('Counter', config, keepName ? config.name : config.name.replace(/_total$/, ''), []);
    this._familyName = config.name.replace(/_total$/, '');
    this._textSampleName = keepName ? config.name : `${this.name}_total`;
    if (this._familyName === '')
      throw new Error(`Counter ${config.name}: name is empty once _total is removed`);
    this.registerWith(config.registers);
  }

  /** Adds to the unlabelled series, or to the series of `labels` (prom-client's form). */
  inc(value?: number): void;
  inc(labels: LabelValues<L>, value?: number): void;
  inc(options: IncWithExemplar<L>): void;
  inc(labelsOrValue?: LabelValues<L> | IncWithExemplar<L> | number, value?: number): void {
    if (labelsOrValue === undefined || typeof labelsOrValue === 'number') {
      this.unlabelledSeries().inc(labelsOrValue ?? 1);
      return;
    }
    if (this.enableExemplars && isLabelObject(labelsOrValue)) {
      const o = labelsOrValue as IncWithExemplar<L>;
      (o.labels ? this.seriesFor(o.labels) : this.unlabelledSeries()).inc(o.value ?? 1, o.exemplarLabels);
      return;
    }
    const by = value ?? 1;
    checkIncrement(this.name, by);
    const leaf = this.leafFor(labelsOrValue as LabelValues<L>);
    if (typeof leaf === 'number') this._slab.values[leaf]! += by;
    else (leaf as CounterSeries).inc(by);
  }

  /**
   * Counts exceptions: `countExceptions(fn)` returns `fn` wrapped (sync or async), and
   * `countExceptions()` returns a wrapper that is also a method decorator. Pass Error classes to
   * count only those (`countExceptions(fn, TypeError)`, `@c.countExceptions(RangeError)`).
   */
  countExceptions(...errorClasses: ErrorClass[]): FunctionWrapper;
  countExceptions<F extends AnyFunction>(fn: F, ...errorClasses: ErrorClass[]): F;
  countExceptions(...args: unknown[]): unknown {
    return countExceptionsOf(() => this.inc(), args);
  }

  /** prom-client's `get()`: the values with their labels, after the `collect` hook ran. */
  async get(): Promise<MetricValues> {
    await this._collect();
    return valuesOf(this, this.name, (leaf, labels, out) => {
      out.push({ value: this._slab.values[this._slotOf(leaf)]!, labels });
    });
  }

  /** @internal The slab slot of a tree leaf. */
  _slotOf(leaf: unknown): number {
    return typeof leaf === 'number' ? leaf : (leaf as CounterSeries)._slot;
  }

  protected newLeaf(): number {
    return this._slab.alloc();
  }

  protected handleOf(leaf: unknown): CounterSeries {
    return typeof leaf === 'number' ? new CounterSeries(this, leaf) : (leaf as CounterSeries);
  }

  protected releaseLeaf(leaf: unknown): void {
    const slot = this._slotOf(leaf);
    this._slab.release(slot);
    this._exemplars.delete(slot);
    if (typeof leaf !== 'number') (leaf as CounterSeries)._slot = -1;
  }

  protected revive(series: CounterSeries): void {
    if (series._slot >= 0) {
      this._slab.values[series._slot] = 0;
      this._exemplars.delete(series._slot);
    } else series._slot = this._slab.alloc();
  }

  protected override adopt(series: CounterSeries, slot: number): boolean {
    series._slot = slot;
    return true;
  }

  protected sinkSeries(): CounterSeries {
    const sink = new CounterSeries(this, -1);
    sink._detached = SINK;
    return sink;
  }
}
