import { isLabelObject, type LabelValues } from './label-values.js';
import { configFrom, type MetricConfig } from './metric-config.js';
import { valuesOf, type MetricValues } from './metric-values.js';
import { ObservedMetric, ObservedSeries } from './observed.js';
import { SlidingQuantiles } from './sliding-quantiles.js';

export interface SummaryConfig<L extends string> extends MetricConfig<L, Summary<L>> {
  /** Quantiles to expose, each in [0, 1]. Tally: none unless given; prom-client: its seven. */
  readonly percentiles?: readonly number[];
  /** Window the quantiles cover; Tally default 600 s, prom-client default: the whole lifetime. */
  readonly maxAgeSeconds?: number;
  /** Periods the window is kept in (default 5). */
  readonly ageBuckets?: number;
  /** prom-client's t-digest tuning and pruning switches: accepted, not needed by Tally's sketch. */
  readonly compressCount?: number;
  readonly pruneAgedBuckets?: boolean;
  /** Clock for the window, in milliseconds (tests). */
  readonly nowMs?: () => number;
}

export const PROM_CLIENT_PERCENTILES: readonly number[] = Object.freeze([
  0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999,
]);

/** One summary series: what `summary.labels(…)` returns. */
export class SummarySeries extends ObservedSeries {
  /** @internal */ _sum = 0;
  /** @internal */ _count = 0;
  /** @internal */ _window: SlidingQuantiles | undefined;

  constructor(private readonly metric: Summary) {
    super('Summary', metric);
    this._window = metric._newWindow();
  }

  observe(value: number): void {
    const recorder = this.recorder(value);
    if (recorder !== this) {
      recorder?.observe(value);
      return;
    }
    this._sum += value;
    this._count++;
    this._window?.observe(value);
  }

  /** The configured quantiles over the window (NaN while it is empty). */
  quantiles(): number[] {
    return this._window ? this._window.quantiles(this.metric.percentiles) : [];
  }

  /** @internal */
  _zero(): void {
    this._sum = 0;
    this._count = 0;
    this._window = this.metric._newWindow();
  }
}

/**
 * A summary: the count and sum of observations, plus (when `percentiles` are given) streaming
 * quantiles over a sliding window.
 *
 * @example
 * const s = new Summary('request_latency_seconds', 'Description of summary');
 * s.observe(4.7);
 */
export class Summary<L extends string = string> extends ObservedMetric<L, SummarySeries> {
  readonly type = 'summary';
  readonly percentiles: readonly number[];
  readonly maxAgeSeconds: number;
  readonly ageBuckets: number;
  private readonly nowMs: (() => number) | undefined;

  /** prom-client's defaults (the compatibility entry point sets it): seven quantiles over the lifetime. */
  static readonly promClient: boolean = false;

  constructor(config: SummaryConfig<L>);
  constructor(name: string, help: string, labelNames?: readonly L[], options?: Partial<SummaryConfig<L>>);
  constructor(
    nameOrConfig: string | SummaryConfig<L>,
    help?: string,
    labelNames?: readonly L[],
    options?: Partial<SummaryConfig<L>>,
  ) {
    const config = configFrom('Summary', nameOrConfig, help, labelNames, options);
    super('Summary', config, config.name, ['quantile']);
    const promClient = new.target.promClient;
    this.percentiles = Object.freeze([
      ...(config.percentiles ?? (promClient ? PROM_CLIENT_PERCENTILES : [])),
    ]);
    for (const q of this.percentiles) {
      if (!(q >= 0 && q <= 1))
        throw new RangeError(`Summary ${config.name}: percentile ${String(q)} is not in [0, 1]`);
    }
    this.maxAgeSeconds = config.maxAgeSeconds ?? (promClient ? Infinity : 600);
    this.ageBuckets = config.ageBuckets ?? 5;
    if (!(this.maxAgeSeconds > 0)) throw new RangeError(`Summary ${config.name}: maxAgeSeconds must be > 0`);
    if (!Number.isInteger(this.ageBuckets) || this.ageBuckets < 1) {
      throw new RangeError(`Summary ${config.name}: ageBuckets must be a positive integer`);
    }
    this.nowMs = config.nowMs;
    this.registerWith(config.registers);
  }

  /** @internal A fresh quantile window, or none when no quantiles are configured. */
  _newWindow(): SlidingQuantiles | undefined {
    if (this.percentiles.length === 0) return undefined;
    return new SlidingQuantiles(this.maxAgeSeconds, this.ageBuckets, this.nowMs);
  }

  observe(value: number): void;
  observe(labels: LabelValues<L>, value: number): void;
  observe(a: LabelValues<L> | number, b?: number): void {
    if (isLabelObject(a)) this.seriesFor(a).observe(b as number);
    else this.unlabelledSeries().observe(a);
  }

  async get(): Promise<MetricValues> {
    await this._collect();
    return valuesOf(this, this.name, (leaf, labels, out) => {
      const series = leaf as SummarySeries;
      const qs = series.quantiles();
      this.percentiles.forEach((q, i) =>
        out.push({ value: qs[i]!, labels: { ...labels, quantile: String(q) } }),
      );
      out.push({ value: series._sum, labels, metricName: `${this.name}_sum` });
      out.push({ value: series._count, labels, metricName: `${this.name}_count` });
    });
  }

  protected newLeaf(): SummarySeries {
    return new SummarySeries(this);
  }
}
