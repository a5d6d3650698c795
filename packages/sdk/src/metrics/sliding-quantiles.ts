import { QuantileSketch } from './quantile-sketch.js';

/**
 * Quantiles over a sliding time window of `maxAgeSeconds`, kept as `ageBuckets` periods of
 * `maxAgeSeconds / ageBuckets` each. An observation is recorded once, in the current period
 * (prom-client pushes it into every one of its five digests); a read merges the periods still in
 * the window. So the window covers between `maxAgeSeconds − period` and `maxAgeSeconds` of
 * history, and old observations leave it a whole period at a time, as with client_golang.
 * `maxAgeSeconds = Infinity` keeps one sketch for the process lifetime.
 */
export class SlidingQuantiles {
  private readonly periods: QuantileSketch[];
  private readonly epochs: number[];
  private readonly periodMs: number;

  constructor(
    maxAgeSeconds: number,
    ageBuckets: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    const n = maxAgeSeconds === Infinity ? 1 : ageBuckets;
    this.periodMs = maxAgeSeconds === Infinity ? Infinity : (maxAgeSeconds * 1000) / ageBuckets;
    this.periods = Array.from({ length: n }, () => new QuantileSketch());
    this.epochs = new Array<number>(n).fill(0);
  }

  observe(value: number): void {
    this.current().add(value);
  }

  quantiles(qs: readonly number[]): number[] {
    if (this.periods.length === 1) return this.current().quantiles(qs);
    const epoch = this.epoch();
    const merged = new QuantileSketch();
    for (let i = 0; i < this.periods.length; i++) {
      if (this.epochs[i]! > epoch - this.periods.length) merged.merge(this.periods[i]!);
    }
    return merged.quantiles(qs);
  }

  private epoch(): number {
    return this.periodMs === Infinity ? 0 : Math.floor(this.nowMs() / this.periodMs);
  }

  private current(): QuantileSketch {
    const epoch = this.epoch();
    const slot = epoch % this.periods.length;
    const sketch = this.periods[slot]!;
    if (this.epochs[slot] !== epoch) {
      sketch.clear();
      this.epochs[slot] = epoch;
    }
    return sketch;
  }
}
