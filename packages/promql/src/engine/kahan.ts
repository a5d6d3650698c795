/**
 * Neumaier-compensated summation step, as Prometheus's `kahanSumInc`: returns the new sum and
 * writes the new compensation into `c[0]`.
 */
export function kahanSumInc(inc: number, sum: number, c: Float64Array, ci = 0): number {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c[ci] = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c[ci] = c[ci]! + (sum - t + inc);
  else c[ci] = c[ci]! + (inc - t + sum);
  return t;
}

/** `quantile` over values as Prometheus computes it (NaN sorted first, linear interpolation). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(compareNaNFirst);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

export function compareNaNFirst(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}
