import type { Evaluator } from '../evaluator.js';
import {
  newStepSeries,
  stepTime,
  type Grid,
  type MatrixValue,
  type SampleSeries,
  type StepSeries,
  type VectorValue,
} from '../value.js';

/**
 * One series' samples inside one step's window `(endMs - rangeMs, endMs]`: indices
 * `[lo, hi)` into `timestamps`/`values`. Reused across steps, so kernels must not keep it.
 */
export interface Window {
  series: SampleSeries;
  timestamps: Float64Array;
  values: Float64Array;
  lo: number;
  hi: number;
  /** Window end (step time minus offset, or the `@` time). */
  endMs: number;
  rangeMs: number;
  /** The grid step's own time (Prometheus `enh.Ts`), which `predict_linear` extrapolates to. */
  stepMs: number;
  step: number;
}

/** Computes one value from a window, or `undefined` for no output at this step. */
export type WindowKernel = (w: Window) => number | undefined;

/**
 * Runs a range-vector function over every series and step: each step's window is found with
 * two pointers moving forward, so a series is scanned once per query, not once per step.
 */
export function evalOverWindows(
  ev: Evaluator,
  matrix: MatrixValue,
  grid: Grid,
  kernel: WindowKernel,
  keepName: boolean,
): VectorValue {
  const out: StepSeries[] = [];
  const fixed = isFixed(matrix, grid);
  const w: Window = {
    series: matrix.series[0]!,
    timestamps: new Float64Array(0),
    values: new Float64Array(0),
    lo: 0,
    hi: 0,
    endMs: 0,
    rangeMs: matrix.rangeMs,
    stepMs: 0,
    step: 0,
  };
  // Window ends and step times are the same for every series: compute them once.
  const ends = new Float64Array(grid.steps);
  const stepTimes = new Float64Array(grid.steps);
  for (let i = 0; i < grid.steps; i++) {
    ends[i] = matrix.evalTime(i);
    stepTimes[i] = fixed ? grid.startMs : stepTime(grid, i);
  }
  const rangeMs = matrix.rangeMs;
  for (const s of matrix.series) {
    ev.limits.check();
    const r = newStepSeries(s.labels, grid.steps, keepName ? s.dropName : true);
    w.series = s;
    w.timestamps = s.timestamps;
    w.values = s.values;
    let lo = 0;
    let hi = 0;
    let any = false;
    for (let i = 0; i < grid.steps; i++) {
      const end = ends[i]!;
      const start = end - rangeMs;
      if (i === 0 || end < w.endMs) {
        lo = 0;
        hi = 0;
      }
      const sts = s.timestamps;
      const len = s.length;
      while (lo < len && sts[lo]! <= start) lo++;
      if (hi < lo) hi = lo;
      while (hi < len && sts[hi]! <= end) hi++;
      w.lo = lo;
      w.hi = hi;
      w.endMs = end;
      w.stepMs = stepTimes[i]!;
      w.step = i;
      if (hi <= lo) continue;
      const v = kernel(w);
      if (v === undefined) continue;
      r.values[i] = v;
      r.present[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: 'vector', series: out };
}

// A range argument under `@` is step-invariant: Prometheus evaluates it once at the query start.
function isFixed(matrix: MatrixValue, grid: Grid): boolean {
  return grid.steps > 1 && matrix.evalTime(0) === matrix.evalTime(grid.steps - 1);
}
