import type { Expr, VectorSelector } from '../parser/ast.js';
import { children } from '../parser/ast.js';

/** The time span one selector must read, inclusive, and whether it feeds a range vector. */
export interface SelectorLoad {
  minMs: number;
  maxMs: number;
  readonly isRange: boolean;
  readonly rangeMs: number;
  readonly func: string | undefined;
}

export interface PlanOptions {
  readonly queryStartMs: number;
  readonly queryEndMs: number;
  readonly lookbackMs: number;
  readonly subqueryStepMs: number;
}

/** Resolves `@ start()` / `@ end()` (always the outermost query's start and end) and `@ t`. */
export function atTime(
  m: { atMs: number | undefined; atStartOrEnd: 'start' | 'end' | undefined },
  o: { queryStartMs: number; queryEndMs: number },
): number | undefined {
  if (m.atMs !== undefined) return m.atMs;
  if (m.atStartOrEnd === 'start') return o.queryStartMs;
  if (m.atStartOrEnd === 'end') return o.queryEndMs;
  return undefined;
}

/** First step of a subquery: the first multiple of the step strictly after `fromMs` (Prometheus). */
export function alignSubqueryStart(fromMs: number, stepMs: number): number {
  let start = stepMs * Math.trunc(fromMs / stepMs);
  if (start <= fromMs) start += stepMs;
  return start;
}

/**
 * Walks the expression with the span of evaluation times each node sees (offsets, `@` and
 * subquery grids applied) and returns, per selector, the samples to read — so each selector
 * is read from storage once per query, however many steps use it.
 */
export function planLoads(
  expr: Expr,
  firstMs: number,
  lastMs: number,
  o: PlanOptions,
): Map<VectorSelector, SelectorLoad> {
  const out = new Map<VectorSelector, SelectorLoad>();
  const visit = (e: Expr, lo: number, hi: number, func: string | undefined): void => {
    switch (e.type) {
      case 'VectorSelector': {
        const at = atTime(e, o);
        const a = (at ?? lo) - e.offsetMs;
        const b = (at ?? hi) - e.offsetMs;
        add(out, e, a - o.lookbackMs + 1, b, false, 0, func);
        return;
      }
      case 'MatrixSelector': {
        const vs = e.vectorSelector;
        const at = atTime(vs, o);
        const a = (at ?? lo) - vs.offsetMs;
        const b = (at ?? hi) - vs.offsetMs;
        add(out, vs, a - e.rangeMs + 1, b, true, e.rangeMs, func);
        return;
      }
      case 'SubqueryExpr': {
        const at = atTime(e, o);
        const a = (at ?? lo) - e.offsetMs;
        const b = (at ?? hi) - e.offsetMs;
        const step = e.stepMs || o.subqueryStepMs;
        visit(e.expr, alignSubqueryStart(a - e.rangeMs, step), b, undefined);
        return;
      }
      case 'Call':
        for (const c of e.args) visit(c, lo, hi, e.func.name);
        return;
      default:
        for (const c of children(e)) visit(c, lo, hi, undefined);
    }
  };
  visit(expr, firstMs, lastMs, undefined);
  return out;
}

function add(
  out: Map<VectorSelector, SelectorLoad>,
  vs: VectorSelector,
  minMs: number,
  maxMs: number,
  isRange: boolean,
  rangeMs: number,
  func: string | undefined,
): void {
  const prev = out.get(vs);
  if (prev) {
    prev.minMs = Math.min(prev.minMs, minMs);
    prev.maxMs = Math.max(prev.maxMs, maxMs);
    return;
  }
  out.set(vs, { minMs, maxMs, isRange, rangeMs, func });
}
