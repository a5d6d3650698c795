import type { AggregateExpr } from '../parser/ast.js';
import { QueryExecutionError } from '../errors.js';
import type { Evaluator } from './evaluator.js';
import { groupSeries } from './aggregate.js';
import { newStepSeries, type Grid, type StepSeries, type VectorValue } from './value.js';

/**
 * A binary heap with the exact sift order of Go's `container/heap`, so ties between equal
 * values resolve the way Prometheus's `topk`/`bottomk` resolve them.
 */
class GoHeap {
  readonly items: number[] = [];
  constructor(private readonly less: (a: number, b: number) => boolean) {}

  push(x: number): void {
    this.items.push(x);
    this.up(this.items.length - 1);
  }

  fix(i: number): void {
    if (!this.down(i, this.items.length)) this.up(i);
  }

  private swap(i: number, j: number): void {
    const h = this.items;
    const t = h[i]!;
    h[i] = h[j]!;
    h[j] = t;
  }

  private up(j: number): void {
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !this.less(this.items[j]!, this.items[i]!)) break;
      this.swap(i, j);
      j = i;
    }
  }

  private down(i0: number, n: number): boolean {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(this.items[j2]!, this.items[j1]!)) j = j2;
      if (!this.less(this.items[j]!, this.items[i]!)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }
}

/** `topk` / `bottomk`: per step and group, the k largest (smallest) samples; NaN counts as smallest. */
export function topBottomK(
  ev: Evaluator,
  e: AggregateExpr,
  input: VectorValue,
  kValues: Float64Array,
  grid: Grid,
): VectorValue {
  const top = e.op === 'topk';
  const groups = groupSeries(input.series, e);
  const outBySeries = new Map<number, StepSeries>();
  const order: StepSeries[] = [];
  for (let i = 0; i < grid.steps; i++) {
    ev.limits.check();
    const kf = kValues[i]!;
    if (!Number.isFinite(kf) || Math.abs(kf) > 9.2e18)
      throw new QueryExecutionError(`Scalar value ${kf} overflows int64`);
    let k = Math.trunc(kf);
    if (k < 1) continue;
    k = Math.min(k, input.series.length);
    const val = (idx: number): number => input.series[idx]!.values[i]!;
    const less = top
      ? (a: number, b: number): boolean => Number.isNaN(val(a)) || val(a) < val(b)
      : (a: number, b: number): boolean => Number.isNaN(val(a)) || val(a) > val(b);
    for (const g of groups) {
      const heap = new GoHeap(less);
      for (const idx of g.members) {
        if (input.series[idx]!.present[i] !== 1) continue;
        const x = val(idx);
        if (heap.items.length < k) heap.push(idx);
        else {
          const head = val(heap.items[0]!);
          const replace = top ? head < x : head > x;
          if (replace || (Number.isNaN(head) && !Number.isNaN(x))) {
            heap.items[0] = idx;
            if (k > 1) heap.fix(0);
          }
        }
      }
      // Best first: largest for topk, smallest for bottomk (NaN last).
      const chosen = [...heap.items].sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0));
      for (const idx of chosen) {
        let out = outBySeries.get(idx);
        if (!out) {
          const src = input.series[idx]!;
          out = newStepSeries(src.labels, grid.steps, src.dropName);
          outBySeries.set(idx, out);
          order.push(out);
        }
        out.values[i] = val(idx);
        out.present[i] = 1;
      }
    }
  }
  return { kind: 'vector', series: order };
}
