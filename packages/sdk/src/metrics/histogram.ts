import { checkBuckets, DEFAULT_BUCKETS } from './buckets.js';
import { makeExemplar, type ExemplarLabels, type StoredExemplar } from './exemplar.js';
import { isLabelObject, type LabelValues } from './label-values.js';
import { configFrom, type MetricConfig } from './metric-config.js';
import { valuesOf, type MetricValues } from './metric-values.js';
import { ObservedMetric, ObservedSeries } from './observed.js';

export interface HistogramConfig<L extends string> extends MetricConfig<L, Histogram<L>> {
  /** Upper bounds, strictly increasing; default {@link DEFAULT_BUCKETS}; `+Inf` is always added. */
  readonly buckets?: readonly number[];
}

/** prom-client's exemplar call form, used when `enableExemplars` is set. */
export interface ObserveWithExemplar<L extends string> {
  labels?: LabelValues<L>;
  value: number;
  exemplarLabels?: ExemplarLabels;
}

/** One histogram series: what `histogram.labels(…)` returns. */
export class HistogramSeries extends ObservedSeries {
  /** @internal Count per bucket, not cumulative; the last slot is `+Inf`. */
  readonly _counts: Float64Array;
  /** @internal */ _sum = 0;
  /** @internal */ _count = 0;
  /** @internal The latest exemplar per bucket, allocated on the first exemplar. */
  _exemplars: (StoredExemplar | undefined)[] | undefined = undefined;

  constructor(private readonly metric: Histogram) {
    super('Histogram', metric);
    this._counts = new Float64Array(metric._bounds.length + 1);
  }

  /** Records one observation; `exemplarLabels` (a trace id, say) attach an exemplar to its bucket. */
  observe(value: number, exemplarLabels?: ExemplarLabels): void {
    const recorder = this.recorder(value);
    if (recorder !== this) {
      recorder?.observe(value, exemplarLabels);
      return;
    }
    const bounds = this.metric._bounds;
    const n = bounds.length;
    let i = 0;
    if (n > 16) {
      // Binary search for wide layouts; a short scan is faster for the usual dozen buckets.
      let hi = n;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (value > bounds[mid]!) i = mid + 1;
        else hi = mid;
      }
    } else while (i < n && value > bounds[i]!) i++;
    this._counts[i]!++;
    this._sum += value;
    this._count++;
    if (exemplarLabels !== undefined) {
      (this._exemplars ??= new Array<StoredExemplar | undefined>(n + 1).fill(undefined))[i] = makeExemplar(
        this.metric.name,
        exemplarLabels,
        value,
      );
    }
  }

  /** @internal */
  _zero(): void {
    this._counts.fill(0);
    this._sum = 0;
    this._count = 0;
    this._exemplars = undefined;
  }
}

/**
 * A histogram: counts observations in cumulative buckets (`le`), plus their sum and count,
 * so quantiles can be computed and aggregated at query time.
 *
 * @example
 * const h = new Histogram('request_latency_seconds', 'Description of histogram');
 * h.observe(4.7);
 * h.time(() => work());
 */
export class Histogram<L extends string = string> extends ObservedMetric<L, HistogramSeries> {
  readonly type = 'histogram';
  /** @internal Finite upper bounds. */
  readonly _bounds: Float64Array;

  constructor(config: HistogramConfig<L>);
  constructor(name: string, help: string, labelNames?: readonly L[], options?: Partial<HistogramConfig<L>>);
  constructor(
    nameOrConfig: string | HistogramConfig<L>,
    help?: string,
    labelNames?: readonly L[],
    options?: Partial<HistogramConfig<L>>,
  ) {
    const config = configFrom('Histogram', nameOrConfig, help, labelNames, options);
    super('Histogram', config, config.name, ['le']);
    this._bounds = checkBuckets(config.name, config.buckets ?? DEFAULT_BUCKETS);
    this.registerWith(config.registers);
  }

  /** The finite bucket upper bounds. */
  get buckets(): readonly number[] {
    return Array.from(this._bounds);
  }

  observe(valueOrOptions: number | ObserveWithExemplar<L>): void;
  observe(labels: LabelValues<L>, value: number): void;
  observe(a: LabelValues<L> | ObserveWithExemplar<L> | number, b?: number): void {
    if (!isLabelObject(a)) {
      this.unlabelledSeries().observe(a as number);
      return;
    }
    if (this.enableExemplars && b === undefined) {
      const o = a as ObserveWithExemplar<L>;
      (o.labels ? this.seriesFor(o.labels) : this.unlabelledSeries()).observe(o.value, o.exemplarLabels);
      return;
    }
    this.seriesFor(a).observe(b as number);
  }

  async get(): Promise<MetricValues> {
    await this._collect();
    const bounds = this._bounds;
    return valuesOf(this, this.name, (leaf, labels, out) => {
      const series = leaf as HistogramSeries;
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += series._counts[i]!;
        out.push({
          value: cumulative,
          labels: { ...labels, le: i < bounds.length ? String(bounds[i]) : '+Inf' },
          metricName: `${this.name}_bucket`,
        });
      }
      out.push({ value: series._sum, labels, metricName: `${this.name}_sum` });
      out.push({ value: series._count, labels, metricName: `${this.name}_count` });
    });
  }

  protected newLeaf(): HistogramSeries {
    return new HistogramSeries(this);
  }
}
