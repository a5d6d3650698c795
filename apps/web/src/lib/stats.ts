// The numbers a chart's legend and its accessible table show per series.

export interface SeriesStats {
  readonly last: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly count: number;
}

export function seriesStats(values: readonly (number | null)[]): SeriesStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  let last: number | null = null;
  for (const v of values) {
    if (v === null || Number.isNaN(v)) continue;
    last = v;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  if (count === 0) return { last: null, min: null, max: null, mean: null, count: 0 };
  return { last, min, max, mean: sum / count, count };
}
