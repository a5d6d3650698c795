import { compareLabels, getLabel } from '@tally/model';
import type { Call } from '../../parser/ast.js';
import { QueryExecutionError } from '../../errors.js';
import type { Evaluator } from '../evaluator.js';
import type { Grid, StepSeries, VectorValue } from '../value.js';

/** Natural order of label values (digit runs compared as numbers), as Prometheus's `natsort`. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const ca = a.match(re) ?? [];
  const cb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const tx = x.replace(/^0+/, '');
      const ty = y.replace(/^0+/, '');
      if (tx.length !== ty.length) return tx.length - ty.length;
      if (tx !== ty) return tx < ty ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

/** `sort`, `sort_desc`, `sort_by_label(_desc)`: orders an instant query's result (a no-op for range queries). */
export function sortFunction(ev: Evaluator, call: Call, grid: Grid, isRangeQuery: boolean): VectorValue {
  const input = ev.evalVector(call.args[0]!, grid);
  if (isRangeQuery) {
    ev.annotations.warn(
      'sort is ineffective for range queries since results are always ordered by labels',
      call.pos,
    );
    return input;
  }
  const series = [...input.series];
  const v = (s: StepSeries): number => s.values[0]!;
  const name = call.func.name;
  if (name === 'sort' || name === 'sort_desc') {
    const desc = name === 'sort_desc';
    series.sort((a, b) => {
      const x = v(a);
      const y = v(b);
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
      if (Number.isNaN(y)) return -1;
      return desc ? y - x : x - y;
    });
  } else {
    const labels: string[] = [];
    for (let i = 1; i < call.args.length; i++) {
      const a = ev.eval(call.args[i]!, grid);
      if (a.kind !== 'string') throw new QueryExecutionError(`expected label names in ${name}`);
      labels.push(a.value);
    }
    const desc = name === 'sort_by_label_desc';
    series.sort((a, b) => {
      for (const l of labels) {
        const x = getLabel(a.labels, l) ?? '';
        const y = getLabel(b.labels, l) ?? '';
        if (x === y) continue;
        const c = naturalCompare(x, y);
        return desc ? -c : c;
      }
      const c = compareLabels(a.labels, b.labels);
      return desc ? -c : c;
    });
  }
  return { kind: 'vector', series };
}
