import { METRIC_NAME, getLabel } from '@tally/model';
import type { Call } from '../../parser/ast.js';
import type { Evaluator } from '../evaluator.js';
import type { SampleSeries } from '../value.js';
import type { Window, WindowKernel } from './range-window.js';

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/**
 * `rate`, `increase`, `delta`: Prometheus 3's `extrapolatedRate` — counter resets added back,
 * extrapolation to the window edges unless the series starts or ends inside the window (a gap
 * of more than 1.1× the average sample interval), and never below a counter's zero point.
 */
export function extrapolatedRate(
  ev: Evaluator,
  call: Call,
  isCounter: boolean,
  isRate: boolean,
): WindowKernel {
  const argPos = call.args[0]!.pos;
  // The counter-name check is per series, not per window.
  let checked: SampleSeries | undefined;
  let resetsOf: SampleSeries | undefined;
  let resets: Int32Array = new Int32Array(0);
  let cursor = 0;
  return (w: Window) => {
    const n = w.hi - w.lo;
    if (n < 2) return undefined;
    const ts = w.timestamps;
    const vs = w.values;
    const first = w.lo;
    const last = w.hi - 1;
    if (isCounter && checked !== w.series) {
      checked = w.series;
      const name = getLabel(w.series.labels, METRIC_NAME);
      if (name !== undefined && !COUNTER_SUFFIXES.some((s) => name.endsWith(s)))
        ev.annotations.info(
          `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(name)}`,
          argPos,
        );
    }
    let result = vs[last]! - vs[first]!;
    if (isCounter) {
      // Add back the value before each reset inside the window, in order (as Prometheus does),
      // visiting only the resets: their positions are found once per series.
      if (resetsOf !== w.series) {
        resetsOf = w.series;
        resets = findResets(vs, w.series.length);
        cursor = 0;
      }
      if (cursor > 0 && resets[cursor - 1]! > first) cursor = 0;
      while (cursor < resets.length && resets[cursor]! <= first) cursor++;
      for (let r = cursor; r < resets.length && resets[r]! <= last; r++) result += vs[resets[r]! - 1]!;
    }
    const rangeStart = w.endMs - w.rangeMs;
    const rangeEnd = w.endMs;
    let durationToStart = (ts[first]! - rangeStart) / 1000;
    let durationToEnd = (rangeEnd - ts[last]!) / 1000;
    const sampledInterval = (ts[last]! - ts[first]!) / 1000;
    const averageBetween = sampledInterval / (n - 1);
    const threshold = averageBetween * 1.1;
    if (durationToStart >= threshold) durationToStart = averageBetween / 2;
    if (isCounter && result > 0 && vs[first]! >= 0) {
      const durationToZero = sampledInterval * (vs[first]! / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    if (durationToEnd >= threshold) durationToEnd = averageBetween / 2;
    let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) factor /= w.rangeMs / 1000;
    return result * factor;
  };
}

/** Indices `k` where a counter decreased (`v[k] < v[k-1]`). */
function findResets(vs: Float64Array, length: number): Int32Array {
  let n = 0;
  for (let k = 1; k < length; k++) if (vs[k]! < vs[k - 1]!) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let k = 1; k < length; k++) if (vs[k]! < vs[k - 1]!) out[n++] = k;
  return out;
}

/** `irate` / `idelta`: from the last two samples of the window. */
export function instantValue(isRate: boolean): WindowKernel {
  return (w: Window) => {
    if (w.hi - w.lo < 2) return undefined;
    const last = w.values[w.hi - 1]!;
    const prev = w.values[w.hi - 2]!;
    const interval = w.timestamps[w.hi - 1]! - w.timestamps[w.hi - 2]!;
    if (interval === 0) return undefined;
    let result = isRate && last < prev ? last : last - prev;
    if (isRate) result /= interval / 1000;
    return result;
  };
}
