import { METRIC_NAME, labelsFromRecord, type Labels } from '@tally/model';
import type { Call, Expr } from '../../parser/ast.js';
import type { Evaluator } from '../evaluator.js';
import { newStepSeries, type Grid, type VectorValue } from '../value.js';
import { evalOverWindows } from './range-window.js';

/**
 * The labels `absent` reports: the selector's equality matchers, a label matched more than once
 * by equality dropped (Prometheus `createLabelsForAbsentFunction`).
 */
function absentLabels(arg: Expr): Labels {
  let e = arg;
  while (e.type === 'ParenExpr') e = e.expr;
  const vs = e.type === 'VectorSelector' ? e : e.type === 'MatrixSelector' ? e.vectorSelector : undefined;
  if (!vs) return [];
  // Prometheus createLabelsForAbsentFunction: the first equality matcher of a name sets it,
  // any later matcher of that name removes it again.
  const record = new Map<string, string>();
  const has = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !has.has(m.name)) {
      record.set(m.name, m.value);
      has.add(m.name);
    } else record.delete(m.name);
  }
  return labelsFromRecord(Object.fromEntries(record));
}

function fromPresence(has: Uint8Array, labels: Labels, grid: Grid): VectorValue {
  const out = newStepSeries(labels, grid.steps, false);
  let any = false;
  for (let i = 0; i < grid.steps; i++) {
    if (has[i] === 1) continue;
    out.values[i] = 1;
    out.present[i] = 1;
    any = true;
  }
  return { kind: 'vector', series: any ? [out] : [] };
}

export function absent(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const input = ev.evalVector(call.args[0]!, grid);
  const has = new Uint8Array(grid.steps);
  for (const s of input.series) for (let i = 0; i < grid.steps; i++) has[i] = has[i]! | s.present[i]!;
  return fromPresence(has, absentLabels(call.args[0]!), grid);
}

export function absentOverTime(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const m = ev.evalMatrix(call.args[0]!, grid);
  const counted = evalOverWindows(ev, m, grid, () => 1, false);
  const has = new Uint8Array(grid.steps);
  for (const s of counted.series) for (let i = 0; i < grid.steps; i++) has[i] = has[i]! | s.present[i]!;
  return fromPresence(has, absentLabels(call.args[0]!), grid);
}
