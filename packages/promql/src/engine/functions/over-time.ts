import { kahanSumInc, quantile } from '../kahan.js';
import type { Window, WindowKernel } from './range-window.js';

const comp = new Float64Array(2);

function windowValues(w: Window): number[] {
  return Array.from(w.values.subarray(w.lo, w.hi));
}

/** Prometheus 3's `avg_over_time`: a compensated sum, switching to an incremental mean on overflow. */
export const avgOverTime: WindowKernel = (w) => {
  const vs = w.values;
  let sum = vs[w.lo]!;
  let count = 1;
  let mean = 0;
  let incremental = false;
  comp[0] = 0;
  for (let k = w.lo + 1; k < w.hi; k++) {
    const x = vs[k]!;
    count = k - w.lo + 1;
    if (!incremental) {
      const save: number = comp[0];
      const next = kahanSumInc(x, sum, comp);
      if (next !== Infinity && next !== -Infinity) {
        sum = next;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      comp[0] = save / (count - 1);
    }
    const q = (count - 1) / count;
    comp[0] = q * comp[0];
    mean = kahanSumInc(x / count, q * mean, comp);
  }
  if (incremental) return mean + comp[0];
  return sum / count + comp[0] / count;
};

export const sumOverTime: WindowKernel = (w) => {
  let sum = 0;
  comp[0] = 0;
  for (let k = w.lo; k < w.hi; k++) sum = kahanSumInc(w.values[k]!, sum, comp);
  if (sum === Infinity || sum === -Infinity) return sum;
  return sum + comp[0];
};

export const countOverTime: WindowKernel = (w) => w.hi - w.lo;

export const presentOverTime: WindowKernel = () => 1;

export const lastOverTime: WindowKernel = (w) => w.values[w.hi - 1]!;

export const firstOverTime: WindowKernel = (w) => w.values[w.lo]!;

export const tsOfLastOverTime: WindowKernel = (w) => w.timestamps[w.hi - 1]! / 1000;

export const tsOfFirstOverTime: WindowKernel = (w) => w.timestamps[w.lo]! / 1000;

export const maxOverTime: WindowKernel = (w) => {
  let max = w.values[w.lo]!;
  for (let k = w.lo + 1; k < w.hi; k++) {
    const x = w.values[k]!;
    if (x > max || Number.isNaN(max)) max = x;
  }
  return max;
};

export const minOverTime: WindowKernel = (w) => {
  let min = w.values[w.lo]!;
  for (let k = w.lo + 1; k < w.hi; k++) {
    const x = w.values[k]!;
    if (x < min || Number.isNaN(min)) min = x;
  }
  return min;
};

/** `ts_of_max_over_time` / `ts_of_min_over_time`: the time of the last extreme sample. */
export function tsOfExtremeOverTime(max: boolean): WindowKernel {
  return (w) => {
    let best = w.values[w.lo]!;
    let t = w.timestamps[w.lo]!;
    for (let k = w.lo + 1; k < w.hi; k++) {
      const x = w.values[k]!;
      if ((max ? x >= best : x <= best) || Number.isNaN(best)) {
        best = x;
        t = w.timestamps[k]!;
      }
    }
    return t / 1000;
  };
}

/** Variance with compensated Welford steps, as Prometheus 3's `stdvar_over_time`. */
function variance(w: Window): number {
  let count = 0;
  let mean = 0;
  let aux = 0;
  comp[0] = 0;
  comp[1] = 0;
  for (let k = w.lo; k < w.hi; k++) {
    const x = w.values[k]!;
    count++;
    const delta = x - (mean + comp[0]);
    mean = kahanSumInc(delta / count, mean, comp, 0);
    aux = kahanSumInc(delta * (x - (mean + comp[0])), aux, comp, 1);
  }
  return (aux + comp[1]) / count;
}

export const stdvarOverTime: WindowKernel = (w) => variance(w);
export const stddevOverTime: WindowKernel = (w) => Math.sqrt(variance(w));

export function quantileOverTime(q: Float64Array): WindowKernel {
  return (w) => quantile(q[w.step]!, windowValues(w));
}

export const madOverTime: WindowKernel = (w) => {
  const values = windowValues(w);
  if (values.some((v) => Number.isNaN(v))) return NaN;
  const median = quantile(0.5, values);
  return quantile(
    0.5,
    values.map((v) => Math.abs(v - median)),
  );
};

export const changes: WindowKernel = (w) => {
  let n = 0;
  let prev = w.values[w.lo]!;
  for (let k = w.lo + 1; k < w.hi; k++) {
    const cur = w.values[k]!;
    if (!(cur === prev || (Number.isNaN(cur) && Number.isNaN(prev)))) n++;
    prev = cur;
  }
  return n;
};

export const resets: WindowKernel = (w) => {
  let n = 0;
  let prev = w.values[w.lo]!;
  for (let k = w.lo + 1; k < w.hi; k++) {
    const cur = w.values[k]!;
    if (cur < prev) n++;
    prev = cur;
  }
  return n;
};
