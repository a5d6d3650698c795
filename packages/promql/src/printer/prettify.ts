import type { Expr } from '../parser/ast.js';
import { parseExpr } from '../parser/parser.js';
import { aggregateOpString, exprToString, matchingString, subqueryTimeSuffix } from './expr-to-string.js';

// Prometheus's `parser.Prettify` (promql/parser/prettier.go), which `/api/v1/format_query`
// returns: a node whose one-line form exceeds 100 characters is split over lines, two
// spaces of indent per level.
const MAX_CHARACTERS_PER_LINE = 100;

const indent = (level: number): string => '  '.repeat(level);
const needsSplit = (e: Expr): boolean => exprToString(e).length > MAX_CHARACTERS_PER_LINE;

export function prettify(e: Expr, level = 0): string {
  switch (e.type) {
    case 'AggregateExpr': {
      if (!needsSplit(e)) return indent(level) + exprToString(e);
      let s = `${indent(level)}${aggregateOpString(e)}(\n`;
      if (e.param) s += `${prettify(e.param, level + 1)},\n`;
      return `${s}${prettify(e.expr, level + 1)}\n${indent(level)})`;
    }
    case 'BinaryExpr': {
      if (!needsSplit(e)) return indent(level) + exprToString(e);
      const bool = e.returnBool ? ' bool' : '';
      return `${prettify(e.lhs, level + 1)}\n${indent(level)}${e.op}${bool}${matchingString(e)}\n${prettify(e.rhs, level + 1)}`;
    }
    case 'Call': {
      if (!needsSplit(e)) return indent(level) + exprToString(e);
      const args = e.args.map((a) => prettify(a, level + 1)).join(',\n');
      return `${indent(level)}${e.func.name}(\n${args}\n${indent(level)})`;
    }
    case 'ParenExpr':
      if (!needsSplit(e)) return indent(level) + exprToString(e);
      return `${indent(level)}(\n${prettify(e.expr, level + 1)}\n${indent(level)})`;
    case 'SubqueryExpr':
      if (!needsSplit(e)) return exprToString(e);
      return prettify(e.expr, level) + subqueryTimeSuffix(e);
    case 'UnaryExpr':
      return `${indent(level)}${e.op}${prettify(e.expr, level).trim()}`;
    default:
      return indent(level) + exprToString(e);
  }
}

/** `/api/v1/format_query`: parses and pretty-prints a query. Throws `PromQLParseError`. */
export function formatQuery(query: string): string {
  return prettify(parseExpr(query));
}
