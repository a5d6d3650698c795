// Server-side downsampling keeps spikes: for each step bucket (t - step, t] the server answers
// min_over_time, max_over_time and last_over_time (PromQL does the work). This file turns those
// three answers into the points a line chart draws, so the line reaches both extremes of every
// bucket and ends each bucket on its true last value.

export type PromPoint = readonly [number, string];

/** A series as drawn: timestamps in seconds, values (null = gap). */
export interface Points {
  readonly t: number[];
  readonly v: (number | null)[];
}

export function parsePromValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** Points from one Prometheus range-vector series. */
export function promPoints(values: readonly PromPoint[]): Points {
  const t: number[] = [];
  const v: (number | null)[] = [];
  for (const [ts, s] of values) {
    t.push(ts);
    v.push(parsePromValue(s));
  }
  return { t, v };
}

/**
 * Merges one series' bucket minima, maxima and last values (all at the same step timestamps)
 * into drawable points. A bucket whose min equals its max is one point at t. Otherwise its
 * extremes go at t - 2/3·step and t - 1/3·step (the one nearer the previous point first, so the
 * line does not zig-zag needlessly) and the last value at t — unless the last value is one of
 * the extremes, which then moves to t.
 */
export function mergeMinMax(
  min: readonly PromPoint[],
  max: readonly PromPoint[],
  last: readonly PromPoint[],
  stepSeconds: number,
): Points {
  const maxAt = new Map<number, number>();
  for (const [t, s] of max) maxAt.set(t, parsePromValue(s));
  const lastAt = new Map<number, number>();
  for (const [t, s] of last) lastAt.set(t, parsePromValue(s));
  const out: Points = { t: [], v: [] };
  let prev: number | undefined;
  const emit = (t: number, v: number): void => {
    out.t.push(t);
    out.v.push(v);
    prev = v;
  };
  for (const [t, s] of min) {
    const lo = parsePromValue(s);
    const hi = maxAt.get(t) ?? lo;
    const lastV = lastAt.get(t);
    if (lo === hi || Number.isNaN(lo) || Number.isNaN(hi)) {
      emit(t, lastV ?? hi);
      continue;
    }
    if (lastV === lo || lastV === hi) {
      emit(t - stepSeconds / 2, lastV === lo ? hi : lo);
      emit(t, lastV);
      continue;
    }
    const loFirst = prev === undefined || Math.abs(prev - lo) <= Math.abs(prev - hi);
    emit(t - (2 * stepSeconds) / 3, loFirst ? lo : hi);
    emit(t - stepSeconds / 3, loFirst ? hi : lo);
    if (lastV !== undefined) emit(t, lastV);
  }
  return out;
}

/**
 * Puts several series on one shared, sorted x axis (uPlot's aligned data): a series with no
 * point at some x gets null there.
 */
export function alignSeries(series: readonly Points[]): { x: number[]; ys: (number | null)[][] } {
  const xs = new Set<number>();
  for (const s of series) for (const t of s.t) xs.add(t);
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map<number, number>();
  x.forEach((t, i) => index.set(t, i));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array<number | null>(x.length).fill(null);
    s.t.forEach((t, i) => {
      y[index.get(t)!] = s.v[i] ?? null;
    });
    return y;
  });
  return { x, ys };
}
