import type { Labels } from '@tally/model';

/**
 * The times an expression is evaluated at: `start`, `start + interval`, … `end`. An instant
 * query is a grid of one step. Subqueries evaluate their inner expression on a grid of their own.
 */
export interface Grid {
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalMs: number;
  readonly steps: number;
}

export function makeGrid(startMs: number, endMs: number, intervalMs: number): Grid {
  const steps =
    intervalMs > 0 ? Math.max(0, Math.floor((endMs - startMs) / intervalMs) + 1) : endMs >= startMs ? 1 : 0;
  return { startMs, endMs, intervalMs, steps };
}

export function stepTime(g: Grid, i: number): number {
  return g.startMs + i * g.intervalMs;
}

/**
 * One output series of an instant-vector expression over every step of a grid: a value per
 * step and whether the series has a sample there. Dense typed arrays keep binary operators and
 * aggregations to plain loops over steps. `dropName` is Prometheus 3's delayed `__name__`
 * removal: the name stays until the end of the query (or a label function keeps it).
 */
export interface StepSeries {
  labels: Labels;
  readonly values: Float64Array;
  readonly present: Uint8Array;
  dropName: boolean;
}

export function newStepSeries(labels: Labels, steps: number, dropName: boolean): StepSeries {
  return { labels, values: new Float64Array(steps), present: new Uint8Array(steps), dropName };
}

/** An instant vector over a grid. */
export interface VectorValue {
  readonly kind: 'vector';
  readonly series: StepSeries[];
}

/** A scalar over a grid (one value per step). */
export interface ScalarValue {
  readonly kind: 'scalar';
  readonly values: Float64Array;
}

export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}

/** Samples of one series, in time order, as typed arrays (stale markers removed for range vectors). */
export interface SampleSeries {
  labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly length: number;
  dropName: boolean;
  /** Marks stale markers (instant selectors only; range vectors have them removed). */
  readonly stale?: Uint8Array | undefined;
}

/**
 * A range vector over a grid: for grid step `i` the window of each series is the samples with
 * `evalTime(i) - rangeMs < t <= evalTime(i)` (Prometheus 3: left-open).
 */
export interface MatrixValue {
  readonly kind: 'matrix';
  readonly series: SampleSeries[];
  readonly rangeMs: number;
  readonly evalTime: (step: number) => number;
}

export type Value = VectorValue | ScalarValue | StringValue | MatrixValue;

/** Index of the first element of `ts[0..length)` greater than `t`. */
export function upperBound(ts: Float64Array, length: number, t: number, from = 0): number {
  let lo = from;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
