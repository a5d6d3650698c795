import { METRIC_NAME, getLabel, labelsKey, type Labels } from '@tally/model';
import type { Call } from '../../parser/ast.js';
import type { Evaluator } from '../evaluator.js';
import { formatGoFloat } from '../format-float.js';
import { mergeSameLabels } from '../label-set.js';
import { newStepSeries, type Grid, type StepSeries, type VectorValue } from '../value.js';

interface Bucket {
  upperBound: number;
  count: number;
}

/** Classic bucket series grouped by their labels without `le` (the name included, as Prometheus). */
interface BucketGroup {
  readonly labels: Labels;
  readonly members: { series: StepSeries; upperBound: number }[];
}

function groupBuckets(ev: Evaluator, call: Call, input: VectorValue, argIndex: number): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const s of input.series) {
    const le = getLabel(s.labels, 'le') ?? '';
    const upperBound = parseGoFloat(le);
    if (upperBound === undefined) {
      ev.annotations.warn(
        `bucket label "le" is missing or has a malformed value of ${JSON.stringify(le)} for metric name ${JSON.stringify(getLabel(s.labels, METRIC_NAME) ?? '')}`,
        call.args[argIndex]!.pos,
      );
      continue;
    }
    const key = labelsKey(s.labels.filter((l) => l.name !== 'le'));
    let g = groups.get(key);
    if (!g) {
      g = { labels: s.labels.filter((l) => l.name !== 'le' && l.name !== METRIC_NAME), members: [] };
      groups.set(key, g);
    }
    g.members.push({ series: s, upperBound });
  }
  return [...groups.values()];
}

/** Go's `strconv.ParseFloat` for `le` values (`+Inf`, `1e3`, `0x1p-2` aside). */
function parseGoFloat(s: string): number | undefined {
  const t = s.trim() === s ? s : '';
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function prepare(buckets: Bucket[]): { buckets: Bucket[]; forcedMonotonic: boolean } | undefined {
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1]!.upperBound !== Infinity) return undefined;
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else merged.push({ ...b });
  }
  // Float precision fixes, then the monotonic envelope (Prometheus `ensureMonotonicAndIgnoreSmallDeltas`).
  let forcedMonotonic = false;
  let prev = merged[0]!.count;
  for (let i = 1; i < merged.length; i++) {
    const cur = merged[i]!.count;
    if (cur === prev) continue;
    if (almostEqual(prev, cur, 1e-12)) {
      merged[i]!.count = prev;
      continue;
    }
    if (cur < prev) {
      merged[i]!.count = prev;
      forcedMonotonic = true;
      continue;
    }
    prev = cur;
  }
  return { buckets: merged, forcedMonotonic };
}

const MIN_NORMAL = 2.2250738585072014e-308;

function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Prometheus `BucketQuantile` on classic (cumulative `le`) buckets. */
export function bucketQuantile(q: number, raw: Bucket[]): { value: number; forcedMonotonic: boolean } {
  if (Number.isNaN(q)) return { value: NaN, forcedMonotonic: false };
  if (q < 0) return { value: -Infinity, forcedMonotonic: false };
  if (q > 1) return { value: Infinity, forcedMonotonic: false };
  const p = prepare(raw);
  if (!p || p.buckets.length < 2) return { value: NaN, forcedMonotonic: false };
  const { buckets, forcedMonotonic } = p;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0 || Number.isNaN(observations)) return { value: NaN, forcedMonotonic };
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.count >= rank)) b++;
  if (b === buckets.length - 1) return { value: buckets[buckets.length - 2]!.upperBound, forcedMonotonic };
  if (b === 0 && buckets[0]!.upperBound <= 0) return { value: buckets[0]!.upperBound, forcedMonotonic };
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return { value: bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic };
}

/** `histogram_fraction` on classic buckets: the share of observations in (lower, upper], interpolated linearly. */
export function bucketFraction(lower: number, upper: number, raw: Bucket[]): number {
  const p = prepare(raw);
  if (!p) return NaN;
  const buckets = p.buckets;
  const total = buckets[buckets.length - 1]!.count;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const count = b.count - (i > 0 ? buckets[i - 1]!.count : 0);
    // The lowest bucket starts at 0 when its upper bound is positive, as in histogram_quantile.
    const lo = i > 0 ? buckets[i - 1]!.upperBound : b.upperBound > 0 ? 0 : -Infinity;
    const hi = b.upperBound;
    if (!lowerSet && lo >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lo >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lo < lower && hi > lower) {
      // Observations of an infinitely wide bucket sit at its infinite end: no interpolation.
      lowerRank =
        hi === Infinity ? rank : lo === -Infinity ? rank + count : rank + (count * (lower - lo)) / (hi - lo);
      lowerSet = true;
    }
    if (!upperSet && lo < upper && hi > upper) {
      upperRank =
        hi === Infinity ? rank : lo === -Infinity ? rank + count : rank + (count * (upper - lo)) / (hi - lo);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += count;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

function evalBuckets(
  ev: Evaluator,
  call: Call,
  grid: Grid,
  argIndex: number,
  compute: (buckets: Bucket[], step: number, labels: Labels) => number | undefined,
): VectorValue {
  const input = ev.evalVector(call.args[argIndex]!, grid);
  const out: StepSeries[] = [];
  for (const g of groupBuckets(ev, call, input, argIndex)) {
    const r = newStepSeries(g.labels, grid.steps, true);
    let any = false;
    for (let i = 0; i < grid.steps; i++) {
      const buckets: Bucket[] = [];
      for (const m of g.members)
        if (m.series.present[i] === 1) buckets.push({ upperBound: m.upperBound, count: m.series.values[i]! });
      if (buckets.length === 0) continue;
      const v = compute(buckets, i, g.members[0]!.series.labels);
      if (v === undefined) continue;
      r.values[i] = v;
      r.present[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: 'vector', series: mergeSameLabels(out, grid.steps) };
}

export function histogramQuantile(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const q = ev.evalScalar(call.args[0]!, grid);
  for (let i = 0; i < grid.steps; i++)
    if (!(q[i]! >= 0 && q[i]! <= 1))
      ev.annotations.warn(
        `quantile value should be between 0 and 1, got ${formatGoFloat(q[i]!)}`,
        call.args[0]!.pos,
      );
  return evalBuckets(ev, call, grid, 1, (buckets, i, labels) => {
    const r = bucketQuantile(q[i]!, buckets);
    if (r.forcedMonotonic)
      ev.annotations.info(
        `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(getLabel(labels, METRIC_NAME) ?? '')}`,
        call.args[1]!.pos,
      );
    return r.value;
  });
}

export function histogramFraction(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const lower = ev.evalScalar(call.args[0]!, grid);
  const upper = ev.evalScalar(call.args[1]!, grid);
  return evalBuckets(ev, call, grid, 2, (buckets, i) => bucketFraction(lower[i]!, upper[i]!, buckets));
}
