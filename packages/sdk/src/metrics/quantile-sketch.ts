/**
 * A mergeable quantile sketch with a relative-error guarantee (the DDSketch idea: Masson,
 * Rim & Lee, VLDB 2019). Each value goes into one logarithmic bin; a quantile read back from
 * the bins is within `RELATIVE_ACCURACY` of the true value at that rank, and two sketches merge
 * by adding their bins — which a sliding window needs, since it reads several periods as one.
 */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const INV_LOG_GAMMA = 1 / Math.log(GAMMA);
/** Values of smaller magnitude count as zero (no metric needs finer resolution). */
const MIN_MAGNITUDE = 1e-12;

export class QuantileSketch {
  /** Bin index → count, for positive values; `negative` holds |v| of negative values. */
  private positive = new Map<number, number>();
  private negative = new Map<number, number>();
  private zeros = 0;
  count = 0;
  private min = Infinity;
  private max = -Infinity;

  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > MIN_MAGNITUDE) bump(this.positive, binOf(value), 1);
    else if (value < -MIN_MAGNITUDE) bump(this.negative, binOf(-value), 1);
    else this.zeros++;
  }

  /** Adds every observation of `other` to this sketch. */
  merge(other: QuantileSketch): void {
    for (const [bin, n] of other.positive) bump(this.positive, bin, n);
    for (const [bin, n] of other.negative) bump(this.negative, bin, n);
    this.zeros += other.zeros;
    this.count += other.count;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  clear(): void {
    this.positive = new Map();
    this.negative = new Map();
    this.zeros = 0;
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  /**
   * The value at each quantile `q` in [0, 1] (rank `q·(count−1)`, nearest-rank), NaN when empty.
   * Results are clamped to the observed min and max, so one observation reads back exactly.
   */
  quantiles(qs: readonly number[]): number[] {
    if (this.count === 0) return qs.map(() => NaN);
    const order = qs
      .map((q, i) => ({ rank: Math.round(q * (this.count - 1)), i }))
      .sort((a, b) => a.rank - b.rank);
    const out = new Array<number>(qs.length).fill(NaN);
    let next = 0;
    let seen = 0;
    const emit = (binCount: number, value: number): void => {
      seen += binCount;
      while (next < order.length && order[next]!.rank < seen) {
        out[order[next]!.i] = Math.min(this.max, Math.max(this.min, value));
        next++;
      }
    };
    for (const bin of [...this.negative.keys()].sort((a, b) => b - a))
      emit(this.negative.get(bin)!, -valueOf(bin));
    if (this.zeros > 0) emit(this.zeros, 0);
    for (const bin of [...this.positive.keys()].sort((a, b) => a - b))
      emit(this.positive.get(bin)!, valueOf(bin));
    return out;
  }
}

function binOf(magnitude: number): number {
  return Math.ceil(Math.log(magnitude) * INV_LOG_GAMMA);
}

/** The bin's representative: within RELATIVE_ACCURACY of every value in (γ^(i−1), γ^i]. */
function valueOf(bin: number): number {
  return (2 * GAMMA ** bin) / (GAMMA + 1);
}

function bump(bins: Map<number, number>, bin: number, n: number): void {
  bins.set(bin, (bins.get(bin) ?? 0) + n);
}
