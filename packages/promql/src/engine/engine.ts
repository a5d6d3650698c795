import type { Querier } from '@tally/storage';
import { exprType } from '../parser/ast.js';
import { parseExpr } from '../parser/parser.js';
import { BadDataError, QueryError, QueryExecutionError } from '../errors.js';
import { Annotations } from './annotations.js';
import { Evaluator } from './evaluator.js';
import { mergeSameLabels, withoutName } from './label-set.js';
import { LimitTracker, type QueryLimits } from './limits.js';
import { loadSeries } from './load-series.js';
import { planLoads } from './plan-loads.js';
import type { QueryResult, RangeSeries } from './result.js';
import { makeGrid, stepTime, type Grid, type StepSeries, type Value } from './value.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (default 5 minutes, as Prometheus). */
  readonly lookbackDeltaMs?: number;
  /** Samples a query may hold at once (default 50 000 000, Prometheus's `--query.max-samples`). */
  readonly maxSamples?: number;
  /** Default 2 minutes, as Prometheus's `--query.timeout`. */
  readonly timeoutMs?: number;
  /** Series a query may read from storage (default 1 000 000). */
  readonly maxSeries?: number;
  /** Step of subqueries written without one (`x[1h:]`); Prometheus uses the evaluation interval, 1 minute. */
  readonly defaultSubqueryStepMs?: number;
}

/** Per-query overrides (the HTTP API's `timeout` parameter, `lookback_delta`, cancellation). */
export interface QueryOptions {
  readonly timeoutMs?: number;
  readonly lookbackDeltaMs?: number;
  readonly signal?: AbortSignal;
}

/** Opens a querier over `[minTimeMs, maxTimeMs]`; a `Storage` gives one as `(a, b) => storage.querier(a, b)`. */
export type QuerierFactory = (minTimeMs: number, maxTimeMs: number) => Querier;

/**
 * The PromQL engine: parses, plans which samples each selector needs, reads them once through a
 * {@link Querier}, then evaluates every step from memory with Prometheus 3.x semantics.
 */
export class Engine {
  private readonly lookbackMs: number;
  private readonly limits: QueryLimits;
  private readonly subqueryStepMs: number;

  constructor(opts: EngineOptions = {}) {
    this.lookbackMs = opts.lookbackDeltaMs ?? 5 * 60 * 1000;
    this.limits = {
      maxSamples: opts.maxSamples ?? 50_000_000,
      timeoutMs: opts.timeoutMs ?? 120_000,
      maxSeries: opts.maxSeries ?? 1_000_000,
    };
    this.subqueryStepMs = opts.defaultSubqueryStepMs ?? 60_000;
    for (const [k, v] of Object.entries({
      ...this.limits,
      lookbackDeltaMs: this.lookbackMs,
      defaultSubqueryStepMs: this.subqueryStepMs,
    }))
      if (!(v > 0)) throw new RangeError(`Engine option ${k} must be a positive number, got ${v}`);
  }

  /** Evaluates `query` at one instant. */
  instantQuery(
    querierFactory: QuerierFactory,
    query: string,
    timeMs: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    return this.run(querierFactory, query, timeMs, timeMs, 0, opts);
  }

  /** Evaluates `query` at `startMs`, `startMs + stepMs`, … `endMs`; the result is always a matrix. */
  rangeQuery(
    querierFactory: QuerierFactory,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    if (endMs < startMs)
      return Promise.reject(new BadDataError('end timestamp must not be before start time'));
    if (!(stepMs > 0))
      return Promise.reject(
        new BadDataError(
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        ),
      );
    // Prometheus's API refuses more than 11 000 points per series; the engine guards it too.
    if ((endMs - startMs) / stepMs > 11_000)
      return Promise.reject(
        new BadDataError(
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        ),
      );
    return this.run(querierFactory, query, startMs, endMs, stepMs, opts);
  }

  private async run(
    querierFactory: QuerierFactory,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    const expr = parseExpr(query);
    const isRange = stepMs > 0;
    const type = exprType(expr);
    if (isRange && type !== 'scalar' && type !== 'vector')
      throw new BadDataError(
        `invalid expression type "${type === 'matrix' ? 'range vector' : type}" for range query, must be Scalar or instant Vector`,
      );
    const lookbackMs = opts.lookbackDeltaMs ?? this.lookbackMs;
    const limits = new LimitTracker(
      { ...this.limits, timeoutMs: opts.timeoutMs ?? this.limits.timeoutMs },
      opts.signal,
    );
    const evalOpts = {
      query,
      queryStartMs: startMs,
      queryEndMs: endMs,
      queryStepMs: stepMs,
      lookbackMs,
      subqueryStepMs: this.subqueryStepMs,
    };
    const plans = planLoads(expr, startMs, endMs, evalOpts);
    let minT = Infinity;
    let maxT = -Infinity;
    for (const p of plans.values()) {
      minT = Math.min(minT, p.minMs);
      maxT = Math.max(maxT, p.maxMs);
    }
    let data = new Map();
    if (plans.size > 0) {
      const querier = querierFactory(minT, maxT);
      try {
        data = await loadSeries(querier, plans, limits, stepMs);
      } finally {
        querier.close();
      }
    }
    limits.checkNow();
    const annotations = new Annotations(query);
    const ev = new Evaluator(evalOpts, data, annotations, limits);
    const grid = isRange ? makeGrid(startMs, endMs, stepMs) : makeGrid(startMs, startMs, 0);
    let value: Value;
    try {
      value = ev.eval(expr, grid);
    } catch (err) {
      if (err instanceof QueryError) throw err;
      if (err instanceof RangeError)
        throw new QueryExecutionError(`query needs too much memory: ${err.message}`);
      throw err;
    }
    const notes = { warnings: [...annotations.warnings], infos: [...annotations.infos] };
    return finish(value, grid, isRange, notes);
  }
}

/** Drops `__name__` where delayed removal asked for it, then merges series that became equal. */
function cleanupNames(series: StepSeries[], steps: number): StepSeries[] {
  const renamed = series.map((s) =>
    s.dropName ? { ...s, labels: withoutName(s.labels), dropName: false } : s,
  );
  return mergeSameLabels(renamed, steps);
}

function finish(
  value: Value,
  grid: Grid,
  isRange: boolean,
  notes: { warnings: string[]; infos: string[] },
): QueryResult {
  const t = grid.startMs;
  switch (value.kind) {
    case 'string':
      return { resultType: 'string', result: { timestampMs: t, value: value.value }, ...notes };
    case 'scalar':
      if (!isRange)
        return { resultType: 'scalar', result: { timestampMs: t, value: value.values[0]! }, ...notes };
      return {
        resultType: 'matrix',
        result: [{ metric: [], timestampsMs: allSteps(grid), values: [...value.values] }],
        ...notes,
      };
    case 'vector': {
      const series = cleanupNames(value.series, grid.steps);
      if (!isRange) {
        const result = series
          .filter((s) => s.present[0] === 1)
          .map((s) => ({ metric: s.labels, timestampMs: t, value: s.values[0]! }));
        return { resultType: 'vector', result, ...notes };
      }
      const result: RangeSeries[] = [];
      for (const s of series) {
        const ts: number[] = [];
        const vs: number[] = [];
        for (let i = 0; i < grid.steps; i++) {
          if (s.present[i] !== 1) continue;
          ts.push(stepTime(grid, i));
          vs.push(s.values[i]!);
        }
        if (ts.length > 0) result.push({ metric: s.labels, timestampsMs: ts, values: vs });
      }
      return { resultType: 'matrix', result, ...notes };
    }
    case 'matrix': {
      // An instant query of a range vector: each series' samples in its window.
      const end = value.evalTime(0);
      const start = end - value.rangeMs;
      const result: RangeSeries[] = [];
      for (const s of value.series) {
        const ts: number[] = [];
        const vs: number[] = [];
        for (let k = 0; k < s.length; k++) {
          const st = s.timestamps[k]!;
          if (st > start && st <= end) {
            ts.push(st);
            vs.push(s.values[k]!);
          }
        }
        if (ts.length > 0)
          result.push({
            metric: s.dropName ? withoutName(s.labels) : s.labels,
            timestampsMs: ts,
            values: vs,
          });
      }
      return { resultType: 'matrix', result, ...notes };
    }
  }
}

function allSteps(grid: Grid): number[] {
  const out: number[] = [];
  for (let i = 0; i < grid.steps; i++) out.push(stepTime(grid, i));
  return out;
}
