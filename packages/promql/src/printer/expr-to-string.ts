import { METRIC_NAME, isValidLabelName, isValidMetricName } from '@tally/model';
import type { Matcher } from '@tally/storage';
import type {
  AggregateExpr,
  BinaryExpr,
  Expr,
  SubqueryExpr,
  TimeModifiers,
  VectorSelector,
} from '../parser/ast.js';
import { formatPromDuration } from '../parser/duration.js';
import { quoteString } from '../parser/unquote.js';
import { formatFloatF } from '../engine/format-float.js';

// The one-line form of an expression, as Prometheus's `Expr.String()` (promql/parser/printer.go).

function labelName(name: string): string {
  return isValidLabelName(name) ? name : quoteString(name);
}

export function joinLabels(labels: readonly string[]): string {
  return labels.map(labelName).join(', ');
}

function matcherString(m: Matcher): string {
  return `${labelName(m.name)}${m.type}${quoteString(m.value)}`;
}

function durationString(ms: number): string {
  return ms < 0 ? `-${formatPromDuration(-ms)}` : formatPromDuration(ms);
}

function modifiersString(m: TimeModifiers): string {
  let at = '';
  if (m.atMs !== undefined) at = ` @ ${(m.atMs / 1000).toFixed(3)}`;
  else if (m.atStartOrEnd !== undefined) at = ` @ ${m.atStartOrEnd}()`;
  let offset = '';
  if (m.offsetMs > 0) offset = ` offset ${formatPromDuration(m.offsetMs)}`;
  else if (m.offsetMs < 0) offset = ` offset -${formatPromDuration(-m.offsetMs)}`;
  return at + offset;
}

function selectorString(vs: VectorSelector): string {
  const parts: string[] = [];
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME && m.type === '=' && m.value === vs.name && m.value !== '') continue;
    parts.push(matcherString(m));
  }
  if (vs.name !== undefined && vs.name !== '') {
    if (!isValidMetricName(vs.name)) return `{${[quoteString(vs.name), ...parts].join(', ')}}`;
    return parts.length > 0 ? `${vs.name}{${parts.join(', ')}}` : vs.name;
  }
  return `{${parts.join(', ')}}`;
}

export function numberString(value: number): string {
  if (value === Infinity) return 'Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return formatFloatF(value);
}

export function aggregateOpString(e: AggregateExpr): string {
  if (e.without) return `${e.op} without (${joinLabels(e.grouping)}) `;
  if (e.grouping.length > 0) return `${e.op} by (${joinLabels(e.grouping)}) `;
  return e.op;
}

export function matchingString(e: BinaryExpr): string {
  const vm = e.matching;
  if (!vm || (vm.matchingLabels.length === 0 && !vm.on)) return '';
  let s = ` ${vm.on ? 'on' : 'ignoring'} (${joinLabels(vm.matchingLabels)})`;
  if (vm.card === 'many-to-one' || vm.card === 'one-to-many')
    s += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${joinLabels(vm.include)})`;
  return s;
}

export function subqueryTimeSuffix(e: SubqueryExpr): string {
  const step = e.stepMs === 0 ? '' : formatPromDuration(e.stepMs);
  return `[${formatPromDuration(e.rangeMs)}:${step}]${modifiersString(e)}`;
}

/** The canonical one-line text of an expression. */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return e.duration && Number.isFinite(e.value)
        ? durationString(Math.round(e.value * 1000))
        : numberString(e.value);
    case 'StringLiteral':
      return quoteString(e.value);
    case 'VectorSelector':
      return selectorString(e) + modifiersString(e);
    case 'MatrixSelector':
      return `${selectorString(e.vectorSelector)}[${formatPromDuration(e.rangeMs)}]${modifiersString(e.vectorSelector)}`;
    case 'SubqueryExpr':
      return exprToString(e.expr) + subqueryTimeSuffix(e);
    case 'ParenExpr':
      return `(${exprToString(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${exprToString(e.expr)}`;
    case 'BinaryExpr':
      return `${exprToString(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matchingString(e)} ${exprToString(e.rhs)}`;
    case 'Call':
      return `${e.func.name}(${e.args.map(exprToString).join(', ')})`;
    case 'AggregateExpr': {
      const param = e.param ? `${exprToString(e.param)}, ` : '';
      return `${aggregateOpString(e)}(${param}${exprToString(e.expr)})`;
    }
  }
}
