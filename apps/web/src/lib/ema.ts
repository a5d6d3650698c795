// Exponential moving average for noisy training curves, debiased like TensorBoard's smoothing
// (otherwise the first points are pulled towards 0). Gaps (null) are kept as gaps and do not
// reset the average; non-finite values pass through unsmoothed.

export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}
