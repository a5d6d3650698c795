import { METRIC_NAME } from '@tally/model';
import type { Call } from '../../parser/ast.js';
import { re2ToRegExp } from '../../parser/re2.js';
import { QueryExecutionError } from '../../errors.js';
import type { Evaluator } from '../evaluator.js';
import { mergeSameLabels, setLabel } from '../label-set.js';
import type { Grid, StepSeries, VectorValue } from '../value.js';

function stringArg(ev: Evaluator, call: Call, i: number, grid: Grid): string {
  const v = ev.eval(call.args[i]!, grid);
  if (v.kind !== 'string')
    throw new QueryExecutionError(`expected string argument ${i + 1} to ${call.func.name}`);
  return v.value;
}

function validLabelName(name: string): boolean {
  // Prometheus 3 accepts any non-empty valid UTF-8 label name; invalid bytes decode to U+FFFD.
  return name.length > 0 && !name.includes('\uFFFD');
}

/** Go's `regexp.Expand` template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([^}]*)\}|[A-Za-z0-9_]+)/g,
    (whole, tok: string, braced: string | undefined) => {
      if (tok === '$') return '$';
      const name = braced ?? tok;
      if (braced === undefined && whole.length === 1) return whole;
      if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
      return m.groups?.[name] ?? '';
    },
  );
}

/** `label_replace(v, dst, replacement, src, regex)`. */
export function labelReplace(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const input = ev.evalVector(call.args[0]!, grid);
  const dst = stringArg(ev, call, 1, grid);
  const replacement = stringArg(ev, call, 2, grid);
  const src = stringArg(ev, call, 3, grid);
  const regexText = stringArg(ev, call, 4, grid);
  let re: RegExp;
  try {
    re = re2ToRegExp(regexText);
  } catch (err) {
    throw new QueryExecutionError(
      `invalid regular expression in label_replace(): ${regexText}: ${(err as Error).message}`,
    );
  }
  if (!validLabelName(dst))
    throw new QueryExecutionError(`invalid destination label name in label_replace(): ${dst}`);
  const out: StepSeries[] = input.series.map((s) => {
    const value = s.labels.find((l) => l.name === src)?.value ?? '';
    const m = re.exec(value);
    if (!m) return s;
    const labels = setLabel(s.labels, dst, expand(replacement, m));
    return { ...s, labels, dropName: dst === METRIC_NAME ? false : s.dropName };
  });
  return { kind: 'vector', series: mergeSameLabels(out, grid.steps) };
}

/** `label_join(v, dst, separator, src...)`. */
export function labelJoin(ev: Evaluator, call: Call, grid: Grid): VectorValue {
  const input = ev.evalVector(call.args[0]!, grid);
  const dst = stringArg(ev, call, 1, grid);
  const sep = stringArg(ev, call, 2, grid);
  const srcs: string[] = [];
  for (let i = 3; i < call.args.length; i++) {
    const name = stringArg(ev, call, i, grid);
    if (!validLabelName(name))
      throw new QueryExecutionError(`invalid source label name in label_join(): ${name}`);
    srcs.push(name);
  }
  if (!validLabelName(dst))
    throw new QueryExecutionError(`invalid destination label name in label_join(): ${dst}`);
  const out = input.series.map((s) => {
    const value = srcs.map((n) => s.labels.find((l) => l.name === n)?.value ?? '').join(sep);
    const labels = setLabel(s.labels, dst, value);
    return { ...s, labels, dropName: dst === METRIC_NAME ? false : s.dropName };
  });
  return { kind: 'vector', series: mergeSameLabels(out, grid.steps) };
}
