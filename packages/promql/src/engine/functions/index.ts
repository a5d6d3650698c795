import type { Call, Expr } from '../../parser/ast.js';
import { QueryExecutionError } from '../../errors.js';
import type { Evaluator } from '../evaluator.js';
import { formatFloatF } from '../format-float.js';
import { setLabel } from '../label-set.js';
import {
  newStepSeries,
  stepTime,
  type Grid,
  type StepSeries,
  type Value,
  type VectorValue,
} from '../value.js';
import { absent, absentOverTime } from './absent.js';
import { histogramFraction, histogramQuantile } from './histogram.js';
import { labelJoin, labelReplace } from './label-functions.js';
import { SIMPLE_FUNCTIONS, roundTo } from './math.js';
import * as overTime from './over-time.js';
import { evalOverWindows, type WindowKernel } from './range-window.js';
import { extrapolatedRate, instantValue } from './rate.js';
import { deriv, doubleExponentialSmoothing, predictLinear } from './regression.js';
import { sortFunction } from './sort.js';
import { TIME_FUNCTIONS, dateOfSeconds } from './time.js';

/** Maps every sample of a vector through `f`; the result drops `__name__` (delayed). */
function mapVector(input: VectorValue, grid: Grid, f: (x: number, step: number) => number): VectorValue {
  const series = input.series.map((s) => {
    const r = newStepSeries(s.labels, grid.steps, true);
    for (let i = 0; i < grid.steps; i++) {
      if (s.present[i] !== 1) continue;
      r.values[i] = f(s.values[i]!, i);
      r.present[i] = 1;
    }
    return r;
  });
  return { kind: 'vector', series };
}

function unwrap(e: Expr): Expr {
  return e.type === 'ParenExpr' ? unwrap(e.expr) : e;
}

/** Range-vector functions: name → (kernel factory, index of the range argument, keeps `__name__`). */
function rangeKernel(
  ev: Evaluator,
  call: Call,
  grid: Grid,
): { kernel: WindowKernel; arg: number; keepName: boolean } | undefined {
  const scalar = (i: number): Float64Array => ev.evalScalar(call.args[i]!, grid);
  switch (call.func.name) {
    case 'rate':
      return { kernel: extrapolatedRate(ev, call, true, true), arg: 0, keepName: false };
    case 'increase':
      return { kernel: extrapolatedRate(ev, call, true, false), arg: 0, keepName: false };
    case 'delta':
      return { kernel: extrapolatedRate(ev, call, false, false), arg: 0, keepName: false };
    case 'irate':
      return { kernel: instantValue(true), arg: 0, keepName: false };
    case 'idelta':
      return { kernel: instantValue(false), arg: 0, keepName: false };
    case 'deriv':
      return { kernel: deriv, arg: 0, keepName: false };
    case 'predict_linear':
      return { kernel: predictLinear(scalar(1)), arg: 0, keepName: false };
    case 'resets':
      return { kernel: overTime.resets, arg: 0, keepName: false };
    case 'changes':
      return { kernel: overTime.changes, arg: 0, keepName: false };
    case 'avg_over_time':
      return { kernel: overTime.avgOverTime, arg: 0, keepName: false };
    case 'sum_over_time':
      return { kernel: overTime.sumOverTime, arg: 0, keepName: false };
    case 'count_over_time':
      return { kernel: overTime.countOverTime, arg: 0, keepName: false };
    case 'min_over_time':
      return { kernel: overTime.minOverTime, arg: 0, keepName: false };
    case 'max_over_time':
      return { kernel: overTime.maxOverTime, arg: 0, keepName: false };
    case 'stddev_over_time':
      return { kernel: overTime.stddevOverTime, arg: 0, keepName: false };
    case 'stdvar_over_time':
      return { kernel: overTime.stdvarOverTime, arg: 0, keepName: false };
    case 'last_over_time':
      return { kernel: overTime.lastOverTime, arg: 0, keepName: true };
    case 'first_over_time':
      return { kernel: overTime.firstOverTime, arg: 0, keepName: true };
    case 'present_over_time':
      return { kernel: overTime.presentOverTime, arg: 0, keepName: false };
    case 'mad_over_time':
      return { kernel: overTime.madOverTime, arg: 0, keepName: false };
    case 'ts_of_last_over_time':
      return { kernel: overTime.tsOfLastOverTime, arg: 0, keepName: false };
    case 'ts_of_first_over_time':
      return { kernel: overTime.tsOfFirstOverTime, arg: 0, keepName: false };
    case 'ts_of_max_over_time':
      return { kernel: overTime.tsOfExtremeOverTime(true), arg: 0, keepName: false };
    case 'ts_of_min_over_time':
      return { kernel: overTime.tsOfExtremeOverTime(false), arg: 0, keepName: false };
    case 'quantile_over_time': {
      const q = scalar(0);
      for (let i = 0; i < grid.steps; i++)
        if (!(q[i]! >= 0 && q[i]! <= 1))
          ev.annotations.warn(
            `quantile value should be between 0 and 1, got ${formatFloatF(q[i]!)}`,
            call.args[0]!.pos,
          );
      return { kernel: overTime.quantileOverTime(q), arg: 1, keepName: false };
    }
    case 'double_exponential_smoothing': {
      const sf = scalar(1);
      const tf = scalar(2);
      for (let i = 0; i < grid.steps; i++) {
        if (!(sf[i]! > 0 && sf[i]! < 1))
          throw new QueryExecutionError(
            `invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf[i]!.toFixed(6)}`,
          );
        if (!(tf[i]! > 0 && tf[i]! < 1))
          throw new QueryExecutionError(
            `invalid trend factor. Expected: 0 < tf < 1, got: ${tf[i]!.toFixed(6)}`,
          );
      }
      return { kernel: doubleExponentialSmoothing(sf, tf), arg: 0, keepName: false };
    }
    default:
      return undefined;
  }
}

/** Evaluates a function call over a grid. */
export function callFunction(ev: Evaluator, call: Call, grid: Grid): Value {
  const name = call.func.name;
  const range = rangeKernel(ev, call, grid);
  if (range)
    return evalOverWindows(
      ev,
      ev.evalMatrix(call.args[range.arg]!, grid),
      grid,
      range.kernel,
      range.keepName,
    );

  const simple = SIMPLE_FUNCTIONS.get(name);
  if (simple) return mapVector(ev.evalVector(call.args[0]!, grid), grid, simple);
  const timeFn = TIME_FUNCTIONS.get(name);
  if (timeFn) {
    const f = (seconds: number): number => (Number.isFinite(seconds) ? timeFn(dateOfSeconds(seconds)) : NaN);
    if (call.args.length === 0) {
      const r = newStepSeries([], grid.steps, false);
      for (let i = 0; i < grid.steps; i++) {
        r.values[i] = f(stepTime(grid, i) / 1000);
        r.present[i] = 1;
      }
      return { kind: 'vector', series: [r] };
    }
    return mapVector(ev.evalVector(call.args[0]!, grid), grid, f);
  }

  switch (name) {
    case 'round': {
      const input = ev.evalVector(call.args[0]!, grid);
      const to =
        call.args.length > 1 ? ev.evalScalar(call.args[1]!, grid) : new Float64Array(grid.steps).fill(1);
      return mapVector(input, grid, (x, i) => roundTo(x, to[i]!));
    }
    case 'clamp': {
      const input = ev.evalVector(call.args[0]!, grid);
      const lo = ev.evalScalar(call.args[1]!, grid);
      const hi = ev.evalScalar(call.args[2]!, grid);
      const mapped = mapVector(input, grid, (x, i) => Math.max(lo[i]!, Math.min(hi[i]!, x)));
      // clamp with max < min returns nothing at that step.
      for (const s of mapped.series)
        for (let i = 0; i < grid.steps; i++) if (hi[i]! < lo[i]!) s.present[i] = 0;
      return mapped;
    }
    case 'clamp_min': {
      const lo = ev.evalScalar(call.args[1]!, grid);
      return mapVector(ev.evalVector(call.args[0]!, grid), grid, (x, i) => Math.max(lo[i]!, x));
    }
    case 'clamp_max': {
      const hi = ev.evalScalar(call.args[1]!, grid);
      return mapVector(ev.evalVector(call.args[0]!, grid), grid, (x, i) => Math.min(hi[i]!, x));
    }
    case 'timestamp': {
      const arg = unwrap(call.args[0]!);
      if (arg.type === 'VectorSelector') {
        const { value, timestamps } = ev.vectorSelector(arg, grid);
        return {
          kind: 'vector',
          series: value.series.map((s, k) => {
            const r = newStepSeries(s.labels, grid.steps, true);
            for (let i = 0; i < grid.steps; i++) {
              if (s.present[i] !== 1) continue;
              r.values[i] = timestamps[k]![i]! / 1000;
              r.present[i] = 1;
            }
            return r;
          }),
        };
      }
      return mapVector(ev.evalVector(arg, grid), grid, (_x, i) => stepTime(grid, i) / 1000);
    }
    case 'time': {
      const values = new Float64Array(grid.steps);
      for (let i = 0; i < grid.steps; i++) values[i] = stepTime(grid, i) / 1000;
      return { kind: 'scalar', values };
    }
    case 'pi':
      return { kind: 'scalar', values: new Float64Array(grid.steps).fill(Math.PI) };
    case 'vector': {
      const v = ev.evalScalar(call.args[0]!, grid);
      const r = newStepSeries([], grid.steps, false);
      r.values.set(v);
      r.present.fill(1);
      return { kind: 'vector', series: [r] };
    }
    case 'scalar': {
      const input = ev.evalVector(call.args[0]!, grid);
      const values = new Float64Array(grid.steps).fill(NaN);
      for (let i = 0; i < grid.steps; i++) {
        let n = 0;
        let v = NaN;
        for (const s of input.series) {
          if (s.present[i] !== 1) continue;
          n++;
          v = s.values[i]!;
        }
        if (n === 1) values[i] = v;
      }
      return { kind: 'scalar', values };
    }
    case 'absent':
      return absent(ev, call, grid);
    case 'absent_over_time':
      return absentOverTime(ev, call, grid);
    case 'label_replace':
      return labelReplace(ev, call, grid);
    case 'label_join':
      return labelJoin(ev, call, grid);
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return sortFunction(ev, call, grid, ev.opts.queryStartMs !== ev.opts.queryEndMs);
    case 'histogram_quantile':
      return histogramQuantile(ev, call, grid);
    case 'histogram_fraction':
      return histogramFraction(ev, call, grid);
    case 'histogram_quantiles':
      return histogramQuantiles(ev, call, grid);
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_avg':
    case 'histogram_stddev':
    case 'histogram_stdvar':
      // These read native histograms only; float samples give no output (as in Prometheus).
      ev.evalVector(call.args[0]!, grid);
      return { kind: 'vector', series: [] };
    case 'info':
      throw new QueryExecutionError('info() is not supported by this engine (experimental in Prometheus)');
    default:
      throw new QueryExecutionError(`function ${name} is not implemented`);
  }
}

/** `histogram_quantiles(v, "label", q1, q2, …)`: one `histogram_quantile` per q, told apart by `label`. */
function histogramQuantiles(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const labelArg = ev.eval(call.args[1]!, grid);
  if (labelArg.kind !== 'string') throw new QueryExecutionError('histogram_quantiles needs a label name');
  const out: StepSeries[] = [];
  for (let k = 2; k < call.args.length; k++) {
    const q = ev.evalScalar(call.args[k]!, grid);
    const single: Call = { ...call, args: [call.args[k]!, call.args[0]!] };
    const r = histogramQuantile(ev, single, grid);
    // The quantile label is written as OpenMetrics writes floats: `0.0`, `0.25`, `1.0`.
    const text = formatFloatF(q[0]!);
    const label = /^-?\d+$/.test(text) ? `${text}.0` : text;
    for (const s of r.series) out.push({ ...s, labels: setLabel(s.labels, labelArg.value, label) });
  }
  return { kind: 'vector', series: out };
}
