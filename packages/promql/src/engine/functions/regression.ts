import { kahanSumInc } from '../kahan.js';
import type { Window, WindowKernel } from './range-window.js';

const c = new Float64Array(4);

/** Least-squares slope and intercept at `interceptMs`, with compensated sums (Prometheus `linearRegression`). */
export function linearRegression(w: Window, interceptMs: number): [number, number] {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  c.fill(0);
  const initY = w.values[w.lo]!;
  let constY = true;
  for (let k = w.lo; k < w.hi; k++) {
    const y = w.values[k]!;
    if (constY && k > w.lo && y !== initY) constY = false;
    n += 1;
    const x = (w.timestamps[k]! - interceptMs) / 1e3;
    sumX = kahanSumInc(x, sumX, c, 0);
    sumY = kahanSumInc(y, sumY, c, 1);
    sumXY = kahanSumInc(x * y, sumXY, c, 2);
    sumX2 = kahanSumInc(x * x, sumX2, c, 3);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  sumX += c[0]!;
  sumY += c[1]!;
  sumXY += c[2]!;
  sumX2 += c[3]!;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

export const deriv: WindowKernel = (w) => {
  if (w.hi - w.lo < 2) return undefined;
  return linearRegression(w, w.timestamps[w.lo]!)[0];
};

export function predictLinear(durationSeconds: Float64Array): WindowKernel {
  return (w) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w, w.stepMs);
    return slope * durationSeconds[w.step]! + intercept;
  };
}

function trend(i: number, tf: number, s0: number, s1: number, b: number): number {
  if (i === 0) return b;
  return tf * (s1 - s0) + (1 - tf) * b;
}

/** `double_exponential_smoothing` (Holt's linear method, formerly `holt_winters`). */
export function doubleExponentialSmoothing(sfs: Float64Array, tfs: Float64Array): WindowKernel {
  return (w) => {
    const sf = sfs[w.step]!;
    const tf = tfs[w.step]!;
    const l = w.hi - w.lo;
    if (l < 2) return undefined;
    const vs = w.values;
    let s0 = 0;
    let s1 = vs[w.lo]!;
    let b = vs[w.lo + 1]! - vs[w.lo]!;
    for (let i = 1; i < l; i++) {
      const x = sf * vs[w.lo + i]!;
      b = trend(i - 1, tf, s0, s1, b);
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  };
}
