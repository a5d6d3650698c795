import type { Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/ast.js';
import { QueryExecutionError } from '../errors.js';
import { evalAggregate } from './aggregate.js';
import type { Annotations } from './annotations.js';
import { evalBinary } from './binary.js';
import { callFunction } from './functions/index.js';
import type { LimitTracker } from './limits.js';
import { alignSubqueryStart, atTime } from './plan-loads.js';
import {
  makeGrid,
  newStepSeries,
  stepTime,
  type Grid,
  type MatrixValue,
  type SampleSeries,
  type ScalarValue,
  type StepSeries,
  type Value,
  type VectorValue,
} from './value.js';

export interface EvaluatorOptions {
  readonly query: string;
  readonly queryStartMs: number;
  readonly queryEndMs: number;
  /** The outermost grid's interval (0 for an instant query). */
  readonly queryStepMs: number;
  readonly lookbackMs: number;
  readonly subqueryStepMs: number;
}

/** Evaluates expressions over grids from series loaded beforehand; pure computation, no I/O. */
export class Evaluator {
  constructor(
    readonly opts: EvaluatorOptions,
    private readonly data: ReadonlyMap<VectorSelector, SampleSeries[]>,
    readonly annotations: Annotations,
    readonly limits: LimitTracker,
  ) {}

  eval(e: Expr, grid: Grid): Value {
    this.limits.checkNow();
    const v = this.evalNode(e, grid);
    // Instant vectors are dense (a value and a flag per step and series): count what each node
    // holds against maxSamples, so a query too big for memory fails with a limit error, not OOM.
    if (v.kind === 'vector' && e.type !== 'VectorSelector' && e.type !== 'ParenExpr')
      this.limits.addSamples(v.series.length * grid.steps);
    return v;
  }

  private evalNode(e: Expr, grid: Grid): Value {
    switch (e.type) {
      case 'NumberLiteral':
        return scalarOf(grid, e.value);
      case 'StringLiteral':
        return { kind: 'string', value: e.value };
      case 'ParenExpr':
        return this.eval(e.expr, grid);
      case 'UnaryExpr': {
        const v = this.eval(e.expr, grid);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', values: v.values.map((x) => -x) };
        if (v.kind !== 'vector') throw new QueryExecutionError('unary minus on a non-numeric value');
        for (const s of v.series) {
          for (let i = 0; i < s.values.length; i++) s.values[i] = -s.values[i]!;
          s.dropName = true;
        }
        return v;
      }
      case 'VectorSelector':
        return this.vectorSelector(e, grid).value;
      case 'MatrixSelector':
        return this.matrixSelector(e, grid);
      case 'SubqueryExpr':
        return this.subquery(e, grid);
      case 'BinaryExpr':
        return evalBinary(this, e, grid);
      case 'AggregateExpr':
        return evalAggregate(this, e, grid);
      case 'Call':
        return callFunction(this, e, grid);
    }
  }

  evalVector(e: Expr, grid: Grid): VectorValue {
    const v = this.eval(e, grid);
    if (v.kind !== 'vector') throw new QueryExecutionError(`expected instant vector, got ${v.kind}`);
    return v;
  }

  evalScalar(e: Expr, grid: Grid): Float64Array {
    const v = this.eval(e, grid);
    if (v.kind !== 'scalar') throw new QueryExecutionError(`expected scalar, got ${v.kind}`);
    return v.values;
  }

  evalMatrix(e: Expr, grid: Grid): MatrixValue {
    const v = this.eval(e, grid);
    if (v.kind !== 'matrix') throw new QueryExecutionError(`expected range vector, got ${v.kind}`);
    return v;
  }

  /**
   * The newest sample within the lookback window before each step, unless it is a stale
   * marker. With `timestamps`, also each chosen sample's own timestamp (for `timestamp()`).
   */
  vectorSelector(vs: VectorSelector, grid: Grid): { value: VectorValue; timestamps: Float64Array[] } {
    const loaded = this.data.get(vs) ?? [];
    const at = atTime(vs, this.opts);
    const lookback = this.opts.lookbackMs;
    const series: StepSeries[] = [];
    const timestamps: Float64Array[] = [];
    for (const s of loaded) {
      this.limits.check();
      this.limits.addSamples(grid.steps);
      const out = newStepSeries(s.labels, grid.steps, false);
      const sampleTs = new Float64Array(grid.steps);
      const { timestamps: ts, values, length, stale } = s;
      let j = 0;
      let any = false;
      for (let i = 0; i < grid.steps; i++) {
        const t = (at ?? stepTime(grid, i)) - vs.offsetMs;
        if (at !== undefined && i > 0) {
          out.values[i] = out.values[0]!;
          out.present[i] = out.present[0]!;
          sampleTs[i] = sampleTs[0]!;
          continue;
        }
        while (j < length && ts[j]! <= t) j++;
        const k = j - 1;
        if (k >= 0 && ts[k]! > t - lookback && !(stale && stale[k] === 1)) {
          out.values[i] = values[k]!;
          out.present[i] = 1;
          sampleTs[i] = ts[k]!;
          any = true;
        }
      }
      if (at !== undefined && out.present[0] === 1) any = true;
      if (!any) {
        this.limits.releaseSamples(grid.steps);
        continue;
      }
      series.push(out);
      timestamps.push(sampleTs);
    }
    return { value: { kind: 'vector', series }, timestamps };
  }

  matrixSelector(ms: MatrixSelector, grid: Grid): MatrixValue {
    const vs = ms.vectorSelector;
    const at = atTime(vs, this.opts);
    const offset = vs.offsetMs;
    const series = (this.data.get(vs) ?? []).map((s) => ({ ...s, dropName: false }));
    return {
      kind: 'matrix',
      series,
      rangeMs: ms.rangeMs,
      evalTime: (i) => (at ?? stepTime(grid, i)) - offset,
    };
  }

  subquery(sq: SubqueryExpr, grid: Grid): MatrixValue {
    const at = atTime(sq, this.opts);
    const step = sq.stepMs || this.opts.subqueryStepMs;
    const a = (at ?? grid.startMs) - sq.offsetMs;
    const b = (at ?? grid.endMs) - sq.offsetMs;
    const inner = makeGrid(alignSubqueryStart(a - sq.rangeMs, step), b, step);
    const series: SampleSeries[] = [];
    if (inner.steps > 0) {
      const v = this.evalVector(sq.expr, inner);
      let produced = 0;
      for (const s of v.series) {
        let n = 0;
        for (let i = 0; i < inner.steps; i++) n += s.present[i]!;
        if (n === 0) continue;
        const ts = new Float64Array(n);
        const vals = new Float64Array(n);
        let k = 0;
        for (let i = 0; i < inner.steps; i++) {
          if (s.present[i] !== 1) continue;
          ts[k] = stepTime(inner, i);
          vals[k++] = s.values[i]!;
        }
        produced += n;
        series.push({ labels: s.labels, timestamps: ts, values: vals, length: n, dropName: s.dropName });
      }
      this.limits.addSamples(produced);
    }
    const offset = sq.offsetMs;
    return {
      kind: 'matrix',
      series,
      rangeMs: sq.rangeMs,
      evalTime: (i) => (at ?? stepTime(grid, i)) - offset,
    };
  }
}

export function scalarOf(grid: Grid, value: number): ScalarValue {
  return { kind: 'scalar', values: new Float64Array(grid.steps).fill(value) };
}
