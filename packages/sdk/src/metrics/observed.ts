// What histograms and summaries share: series that take observations (and time things), and a
// leaf lifecycle where each leaf is its own series object that keeps its state while removed and
// starts from zero when it comes back.

import type { LabelValues } from './label-values.js';
import { Metric } from './metric.js';
import { SINK, Series } from './series.js';
import { startTimerOn, timeOn, type EndTimer } from './timing.js';
import { secondsSince, type FunctionWrapper } from './wrap.js';

/** The metric side a series needs: its name, and where a detached series' updates go. */
interface Owner<S> {
  readonly name: string;
  _reattach(series: S): void;
  _forwardOf(series: S): S | undefined;
}

export abstract class ObservedSeries extends Series {
  protected constructor(
    private readonly kind: string,
    private readonly owner: Owner<ObservedSeries>,
  ) {
    super();
  }

  abstract observe(value: number): void;

  /** @internal Back to zero: a removed series that comes back starts afresh. */
  abstract _zero(): void;

  startTimer(): EndTimer {
    return startTimerOn(this);
  }

  /** `time(fn)` runs `fn` and records its duration; `time()` is a wrapper and method decorator. */
  time(): FunctionWrapper;
  time<R>(fn: () => R): R;
  time(fn?: () => unknown): unknown {
    return timeOn(this, fn);
  }

  /**
   * Checks an observed value and says which series records it: this one; the series its label
   * set belongs to now (a removed series whose labels came back under another object); or none,
   * when the series limit refused it.
   */
  protected recorder(value: number): this | undefined {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new TypeError(
        `${this.kind} ${this.owner.name}: observed value must be a number, got ${String(value)}`,
      );
    }
    if (this._detached === undefined) return this;
    this.owner._reattach(this);
    if (this._detached === undefined) return this;
    return this.owner._forwardOf(this) as this | undefined;
  }
}

export abstract class ObservedMetric<L extends string, S extends ObservedSeries> extends Metric<L, S> {
  protected abstract override newLeaf(): S;

  /** prom-client's timer: the end function observes the elapsed seconds (labels may be added at the end). */
  startTimer(labels?: LabelValues<L>): (endLabels?: LabelValues<L>) => number {
    const start = performance.now();
    return (endLabels) => {
      const seconds = secondsSince(start);
      const all = labels || endLabels ? { ...labels, ...endLabels } : undefined;
      (all ? this.seriesFor(all) : this.unlabelledSeries()).observe(seconds);
      return seconds;
    };
  }

  time(): FunctionWrapper;
  time<R>(fn: () => R): R;
  time(fn?: () => unknown): unknown {
    return timeOn(this.unlabelledSeries(), fn);
  }

  /** Creates the series for `labels` at zero, so it is exposed before its first observation. */
  zero(labels: LabelValues<L>): void {
    this.seriesFor(labels);
  }

  protected handleOf(leaf: unknown): S {
    return leaf as S;
  }

  protected releaseLeaf(): void {
    // A removed series keeps its state until it comes back (revive zeroes it).
  }

  protected revive(series: S): void {
    series._zero();
  }

  protected sinkSeries(): S {
    const sink = this.newLeaf();
    sink._detached = SINK;
    return sink;
  }
}
