import { METRIC_NAME, labelsKey, type Labels } from '@tally/model';
import type { BinaryExpr, VectorMatching } from '../parser/ast.js';
import { QueryExecutionError } from '../errors.js';
import { arithmetic, compare, isComparison } from './binary-op.js';
import type { Evaluator } from './evaluator.js';
import { dropLabels, goLabelsString, keepLabels, setLabel } from './label-set.js';
import { newStepSeries, type Grid, type StepSeries, type Value, type VectorValue } from './value.js';

/** Binary operators (Prometheus `VectorBinop`, `VectorscalarBinop`, `VectorAnd/Or/Unless`). */
export function evalBinary(ev: Evaluator, e: BinaryExpr, grid: Grid): Value {
  const lhs = ev.eval(e.lhs, grid);
  const rhs = ev.eval(e.rhs, grid);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const values = new Float64Array(grid.steps);
    for (let i = 0; i < grid.steps; i++) values[i] = arithmetic(e.op, lhs.values[i]!, rhs.values[i]!);
    return { kind: 'scalar', values };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') return vectorScalar(e, lhs, rhs.values, false, grid);
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') return vectorScalar(e, rhs, lhs.values, true, grid);
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector')
    throw new QueryExecutionError('binary expression must contain only scalar and instant vector types');
  const matching = e.matching ?? { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
  switch (e.op) {
    case 'and':
      return setOperation('and', lhs, rhs, matching, grid);
    case 'or':
      return setOperation('or', lhs, rhs, matching, grid);
    case 'unless':
      return setOperation('unless', lhs, rhs, matching, grid);
    default:
      return vectorVector(ev, e, lhs, rhs, matching, grid);
  }
}

function vectorScalar(
  e: BinaryExpr,
  vec: VectorValue,
  scalar: Float64Array,
  swap: boolean,
  grid: Grid,
): VectorValue {
  const comparison = isComparison(e.op);
  const out: StepSeries[] = [];
  for (const s of vec.series) {
    const r = newStepSeries(s.labels, grid.steps, s.dropName || !comparison || e.returnBool);
    let any = false;
    for (let i = 0; i < grid.steps; i++) {
      if (s.present[i] !== 1) continue;
      const x = s.values[i]!;
      const l = swap ? scalar[i]! : x;
      const rv = swap ? x : scalar[i]!;
      if (comparison) {
        const keep = compare(e.op, l, rv);
        if (e.returnBool) r.values[i] = keep ? 1 : 0;
        else if (keep) r.values[i] = x;
        else continue;
      } else r.values[i] = arithmetic(e.op, l, rv);
      r.present[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: 'vector', series: out };
}

/** The matching signature's labels: `on` keeps the listed labels, otherwise all but the listed and `__name__`. */
function signature(labels: Labels, m: VectorMatching): string {
  const names = new Set(m.matchingLabels);
  return labelsKey(m.on ? keepLabels(labels, names) : dropLabels(labels, names));
}

function signatureLabels(labels: Labels, m: VectorMatching): Labels {
  const names = new Set(m.matchingLabels);
  return m.on ? keepLabels(labels, names) : dropLabels(labels, names);
}

function setOperation(
  op: 'and' | 'or' | 'unless',
  lhs: VectorValue,
  rhs: VectorValue,
  m: VectorMatching,
  grid: Grid,
): VectorValue {
  const steps = grid.steps;
  // Signature ids, then per step which signatures a side has.
  const ids = new Map<string, number>();
  const idOf = (labels: Labels): number => {
    const key = signature(labels, m);
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  const lIds = lhs.series.map((s) => idOf(s.labels));
  const rIds = rhs.series.map((s) => idOf(s.labels));
  const presentBy = (series: StepSeries[], sigIds: number[]): Uint8Array => {
    const has = new Uint8Array(ids.size * steps);
    series.forEach((s, k) => {
      const base = sigIds[k]! * steps;
      for (let i = 0; i < steps; i++) if (s.present[i] === 1) has[base + i] = 1;
    });
    return has;
  };
  const out: StepSeries[] = [];
  const filter = (s: StepSeries, sig: number, has: Uint8Array, want: number): void => {
    const r = newStepSeries(s.labels, steps, s.dropName);
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (s.present[i] !== 1 || has[sig * steps + i] !== want) continue;
      r.values[i] = s.values[i]!;
      r.present[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  };
  if (op === 'or') {
    out.push(...lhs.series);
    const lHas = presentBy(lhs.series, lIds);
    rhs.series.forEach((s, k) => filter(s, rIds[k]!, lHas, 0));
  } else {
    const rHas = presentBy(rhs.series, rIds);
    lhs.series.forEach((s, k) => filter(s, lIds[k]!, rHas, op === 'and' ? 1 : 0));
  }
  return { kind: 'vector', series: out };
}

function resultLabels(many: Labels, one: Labels, m: VectorMatching): Labels {
  let labels = many;
  if (m.card === 'one-to-one') {
    const names = new Set(m.matchingLabels);
    labels = m.on ? keepLabels(labels, names) : labels.filter((l) => !names.has(l.name));
  }
  for (const name of m.include) {
    const v = one.find((l) => l.name === name)?.value ?? '';
    labels = setLabel(labels, name, v);
  }
  return labels;
}

function vectorVector(
  ev: Evaluator,
  e: BinaryExpr,
  lhs: VectorValue,
  rhs: VectorValue,
  m: VectorMatching,
  grid: Grid,
): VectorValue {
  const steps = grid.steps;
  const swap = m.card === 'one-to-many';
  const many = swap ? rhs.series : lhs.series;
  const one = swap ? lhs.series : rhs.series;
  const comparison = isComparison(e.op);

  const sigIds = new Map<string, number>();
  const sigLabels: Labels[] = [];
  const idOf = (labels: Labels): number => {
    const key = signature(labels, m);
    let id = sigIds.get(key);
    if (id === undefined) {
      sigIds.set(key, (id = sigIds.size));
      sigLabels.push(signatureLabels(labels, m));
    }
    return id;
  };
  const oneBySig = new Map<number, number[]>();
  one.forEach((s, k) => {
    const id = idOf(s.labels);
    const list = oneBySig.get(id);
    if (list) list.push(k);
    else oneBySig.set(id, [k]);
  });
  const manySig = many.map((s) => idOf(s.labels));

  // Either side empty at a step: no result and no matching errors there (Prometheus' fast path).
  const anyPresent = (series: StepSeries[]): Uint8Array => {
    const a = new Uint8Array(steps);
    for (const s of series) for (let i = 0; i < steps; i++) a[i] = a[i]! | s.present[i]!;
    return a;
  };
  const lAny = anyPresent(lhs.series);
  const rAny = anyPresent(rhs.series);

  // Duplicates on the "one" side within a step.
  for (const [sig, members] of oneBySig) {
    if (members.length < 2) continue;
    for (let i = 0; i < steps; i++) {
      if (lAny[i] !== 1 || rAny[i] !== 1) continue;
      const here = members.filter((k) => one[k]!.present[i] === 1);
      if (here.length > 1) {
        const side = swap ? 'left' : 'right';
        const [a, b] = here.map((k) => goLabelsString(one[k]!.labels));
        throw new QueryExecutionError(
          `found duplicate series for the match group ${goLabelsString(sigLabels[sig]!)} on the ${side} hand-side of the operation: [${a!}, ${b!}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
    }
  }

  interface Pair {
    readonly manyIdx: number;
    readonly oneIdx: number;
    readonly sig: number;
    readonly out: StepSeries;
  }
  const outByKey = new Map<string, StepSeries>();
  const outList: StepSeries[] = [];
  const pairs: Pair[] = [];
  many.forEach((ms, manyIdx) => {
    const sig = manySig[manyIdx]!;
    for (const oneIdx of oneBySig.get(sig) ?? []) {
      const labels = resultLabels(ms.labels, one[oneIdx]!.labels, m);
      const key = labelsKey(labels);
      let out = outByKey.get(key);
      if (!out) {
        const dropName =
          e.returnBool || !comparison || ms.dropName || !labels.some((l) => l.name === METRIC_NAME);
        out = newStepSeries(labels, steps, dropName);
        outByKey.set(key, out);
        outList.push(out);
      }
      pairs.push({ manyIdx, oneIdx, sig, out });
    }
  });

  const matchedAt = new Float64Array(sigIds.size).fill(-1);
  const writtenBy = new Map<StepSeries, Float64Array>();
  for (const p of pairs) if (!writtenBy.has(p.out)) writtenBy.set(p.out, new Float64Array(steps).fill(-1));
  for (let i = 0; i < steps; i++) {
    ev.limits.check();
    if (lAny[i] !== 1 || rAny[i] !== 1) continue;
    for (const p of pairs) {
      const ms = many[p.manyIdx]!;
      const os = one[p.oneIdx]!;
      if (ms.present[i] !== 1 || os.present[i] !== 1) continue;
      // Prometheus 3 detects an ambiguous one-to-one match before filtering comparisons.
      if (m.card === 'one-to-one') {
        if (matchedAt[p.sig] === i)
          throw new QueryExecutionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        matchedAt[p.sig] = i;
      }
      const l = swap ? os.values[i]! : ms.values[i]!;
      const r = swap ? ms.values[i]! : os.values[i]!;
      let value: number;
      if (comparison) {
        const keep = compare(e.op, l, r);
        if (e.returnBool) value = keep ? 1 : 0;
        else if (keep) value = l;
        else continue;
      } else value = arithmetic(e.op, l, r);
      const written = writtenBy.get(p.out)!;
      if (written[i] === i) {
        throw new QueryExecutionError(
          m.card === 'one-to-one'
            ? 'vector cannot contain metrics with the same labelset'
            : 'multiple matches for labels: grouping labels must ensure unique matches',
        );
      }
      written[i] = i;
      p.out.values[i] = value;
      p.out.present[i] = 1;
    }
  }
  return { kind: 'vector', series: outList.filter((s) => s.present.includes(1)) };
}
