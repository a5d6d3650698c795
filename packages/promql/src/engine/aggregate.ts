import { METRIC_NAME, isValidLabelName, labelsKey, type Labels } from '@tally/model';
import type { AggregateExpr } from '../parser/ast.js';
import { QueryExecutionError } from '../errors.js';
import type { Evaluator } from './evaluator.js';
import { formatFloatF, formatGoFloat } from './format-float.js';
import { kahanSumInc, quantile } from './kahan.js';
import { dropLabels, keepLabels, setLabel } from './label-set.js';
import { newStepSeries, type Grid, type StepSeries, type VectorValue } from './value.js';
import { topBottomK } from './topk.js';

interface Group {
  readonly labels: Labels;
  readonly members: number[];
}

/** Groups input series by their `by`/`without` labels, in order of first appearance. */
export function groupSeries(series: readonly StepSeries[], e: AggregateExpr): Group[] {
  const names = new Set(e.grouping);
  const groups = new Map<string, Group>();
  const out: Group[] = [];
  series.forEach((s, k) => {
    const labels = e.without ? dropLabels(s.labels, names) : keepLabels(s.labels, names);
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) {
      g = { labels, members: [] };
      groups.set(key, g);
      out.push(g);
    }
    g.members.push(k);
  });
  return out;
}

/** Aggregation operators (Prometheus `rangeEvalAgg` / `aggregation`). */
export function evalAggregate(ev: Evaluator, e: AggregateExpr, grid: Grid): VectorValue {
  if (e.op === 'limitk' || e.op === 'limit_ratio')
    throw new QueryExecutionError(`${e.op} is not supported by this engine (experimental in Prometheus)`);
  let param: Float64Array | undefined;
  let label = '';
  if (e.param) {
    if (e.op === 'count_values') {
      const v = ev.eval(e.param, grid);
      if (v.kind !== 'string') throw new QueryExecutionError('count_values needs a string parameter');
      label = v.value;
    } else param = ev.evalScalar(e.param, grid);
  }
  const input = ev.evalVector(e.expr, grid);
  if (e.op === 'topk' || e.op === 'bottomk') return topBottomK(ev, e, input, param!, grid);
  if (e.op === 'count_values') return countValues(e, input, label, grid);
  if (e.op === 'quantile') {
    for (let i = 0; i < grid.steps; i++) {
      const q = param![i]!;
      if (!(q >= 0 && q <= 1))
        ev.annotations.warn(
          `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`,
          e.param!.pos,
        );
    }
  }
  const steps = grid.steps;
  const out: StepSeries[] = [];
  const comp = new Float64Array(1);
  const values: number[] = [];
  for (const g of groupSeries(input.series, e)) {
    ev.limits.check();
    const members = g.members.map((k) => input.series[k]!);
    const dropName = members.some((s) => s.dropName) && g.labels.some((l) => l.name === METRIC_NAME);
    const r = newStepSeries(g.labels, steps, dropName);
    if (COLUMNWISE.has(e.op)) {
      aggregateColumns(e.op, members, r, steps);
      out.push(r);
      continue;
    }
    for (let i = 0; i < steps; i++) {
      let count = 0;
      let acc = 0;
      let mean = 0;
      let incremental = false;
      comp[0] = 0;
      values.length = 0;
      for (const s of members) {
        if (s.present[i] !== 1) continue;
        const x = s.values[i]!;
        count++;
        if (count === 1) {
          // The first sample initialises the group, as Prometheus's groupedAggregation.
          acc = x;
          mean = x;
          if (e.op === 'stddev' || e.op === 'stdvar') acc = Number.isFinite(x) ? 0 : NaN;
          if (e.op === 'quantile') values.push(x);
          continue;
        }
        switch (e.op) {
          case 'sum':
            acc = kahanSumInc(x, acc, comp);
            break;
          case 'avg':
            if (!incremental) {
              const save: number = comp[0];
              const next = kahanSumInc(x, acc, comp);
              if (next !== Infinity && next !== -Infinity) {
                acc = next;
                break;
              }
              // The running sum would overflow: switch to an incremental mean (Prometheus 3).
              comp[0] = save / (count - 1);
              incremental = true;
              mean = acc / (count - 1);
            }
            {
              const q = (count - 1) / count;
              comp[0] = q * comp[0];
              mean = kahanSumInc(x / count, q * mean, comp);
            }
            break;
          case 'min':
            if (acc > x || Number.isNaN(acc)) acc = x;
            break;
          case 'max':
            if (acc < x || Number.isNaN(acc)) acc = x;
            break;
          case 'stddev':
          case 'stdvar': {
            // Welford's online algorithm, as Prometheus.
            const delta = x - mean;
            mean += delta / count;
            acc += delta * (x - mean);
            break;
          }
          case 'quantile':
            values.push(x);
            break;
          default:
            break;
        }
      }
      if (count === 0) continue;
      let result: number;
      switch (e.op) {
        case 'sum':
          result = acc + comp[0];
          break;
        case 'avg':
          result = incremental ? mean + comp[0] : (acc + comp[0]) / count;
          break;
        case 'count':
          result = count;
          break;
        case 'group':
          result = 1;
          break;
        case 'stdvar':
          result = acc / count;
          break;
        case 'stddev':
          result = Math.sqrt(acc / count);
          break;
        case 'quantile':
          result = quantile(param![i]!, values);
          break;
        default:
          result = acc;
      }
      r.values[i] = result;
      r.present[i] = 1;
    }
    out.push(r);
  }
  return { kind: 'vector', series: out };
}

const COLUMNWISE = new Set(['sum', 'count', 'group', 'min', 'max']);

/**
 * `sum`, `count`, `group`, `min`, `max` member by member over all steps: each input series is
 * read once, front to back, into per-step accumulators (the same arithmetic, in the same order,
 * as the step-by-step loop).
 */
function aggregateColumns(op: string, members: readonly StepSeries[], r: StepSeries, steps: number): void {
  const acc = r.values;
  const seen = r.present;
  const comp = op === 'sum' ? new Float64Array(steps) : undefined;
  for (const s of members) {
    const vs = s.values;
    const ps = s.present;
    for (let i = 0; i < steps; i++) {
      if (ps[i] !== 1) continue;
      const x = vs[i]!;
      if (seen[i] !== 1) {
        seen[i] = 1;
        acc[i] = op === 'count' || op === 'group' ? 1 : x;
        continue;
      }
      const cur = acc[i]!;
      switch (op) {
        case 'sum': {
          const t = cur + x;
          if (t === Infinity || t === -Infinity) comp![i] = 0;
          else if (Math.abs(cur) >= Math.abs(x)) comp![i] = comp![i]! + (cur - t + x);
          else comp![i] = comp![i]! + (x - t + cur);
          acc[i] = t;
          break;
        }
        case 'count':
          acc[i] = cur + 1;
          break;
        case 'min':
          if (cur > x || Number.isNaN(cur)) acc[i] = x;
          break;
        case 'max':
          if (cur < x || Number.isNaN(cur)) acc[i] = x;
          break;
        default:
          break;
      }
    }
  }
  if (comp) for (let i = 0; i < steps; i++) if (seen[i] === 1) acc[i] = acc[i]! + comp[i]!;
}

function countValues(e: AggregateExpr, input: VectorValue, label: string, grid: Grid): VectorValue {
  if (!isValidLabelName(label)) throw new QueryExecutionError(`invalid label name ${JSON.stringify(label)}`);
  const steps = grid.steps;
  const out = new Map<string, StepSeries>();
  const groups = groupSeries(input.series, e);
  for (let i = 0; i < steps; i++) {
    for (const g of groups) {
      const counts = new Map<string, number>();
      for (const k of g.members) {
        const s = input.series[k]!;
        if (s.present[i] !== 1) continue;
        const v = formatFloatF(s.values[i]!);
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      for (const [v, n] of counts) {
        const labels = setLabel(g.labels, label, v);
        const key = labelsKey(labels);
        let r = out.get(key);
        if (!r) out.set(key, (r = newStepSeries(labels, steps, false)));
        r.values[i] = n;
        r.present[i] = 1;
      }
    }
  }
  return { kind: 'vector', series: [...out.values()] };
}
