import { makeExemplar, type ExemplarLabels, type StoredExemplar } from './exemplar.js';
import { isLabelObject, type LabelValues } from './label-values.js';
import { configFrom, type MetricConfig } from './metric-config.js';
import { Metric } from './metric.js';
import { valuesOf, type MetricValues } from './metric-values.js';
import { Series } from './series.js';
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

/** One counter series: what `counter.labels(…)` returns. */
export class CounterSeries extends Series {
  /** @internal */ _value = 0;
  /** @internal */ _exemplar: StoredExemplar | undefined = undefined;

  constructor(private readonly metric: Counter) {
    super();
  }

  /** Adds `value` (default 1); a negative or non-finite increment throws an error naming the counter. */
  inc(value = 1, exemplarLabels?: ExemplarLabels): void {
    if (!(value >= 0 && value !== Infinity)) {
      throw new RangeError(
        `Counter ${this.metric.name}: increment must be a finite number >= 0, got ${String(value)}`,
      );
    }
    if (this._detached !== undefined) this.metric._reattach(this);
    this._value += value;
    if (exemplarLabels !== undefined) this._exemplar = makeExemplar(this.metric.name, exemplarLabels, value);
  }

  get(): number {
    return this._value;
  }

  /** Counts the exceptions thrown by a function (see {@link Counter.countExceptions}). */
  countExceptions(...errorClasses: ErrorClass[]): FunctionWrapper;
  countExceptions<F extends AnyFunction>(fn: F, ...errorClasses: ErrorClass[]): F;
  countExceptions(...args: unknown[]): unknown {
    return countExceptionsOf(() => this.inc(), args);
  }

  /** @internal */
  _zero(): void {
    this._value = 0;
    this._exemplar = undefined;
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

  /** prom-client's names (the compatibility entry point sets it): a counter `test` stays `test`. */
  static readonly promClient: boolean = false;

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
      const series = o.labels ? this.seriesFor(o.labels) : this.unlabelledSeries();
      series.inc(o.value ?? 1, o.exemplarLabels);
      return;
    }
    this.seriesFor(labelsOrValue as LabelValues<L>).inc(value ?? 1);
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
    return valuesOf(this, this.name, (series, labels, out) => {
      out.push({ value: series._value, labels });
    });
  }

  protected newSeries(): CounterSeries {
    return new CounterSeries(this);
  }
}
