import type { AggregateExpr, BinaryExpr, Call, Expr, SubqueryExpr, UnaryExpr, ValueType } from './ast.js';
import { describeType, exprType } from './ast.js';
import type { Parser } from './parser.js';
import { COMPARISON_OPERATORS, SET_OPERATORS, type Token } from './token.js';

// These checks follow Prometheus's `checkAST` and use its messages.

function expectType(p: Parser, e: Expr, want: ValueType, context: string): void {
  const got = exprType(e);
  if (got !== want)
    p.fail(e.pos, `expected type ${describeType(want)} in ${context}, got ${describeType(got)}`);
}

export function checkBinary(p: Parser, e: BinaryExpr, opTok: Token): BinaryExpr {
  const lt = exprType(e.lhs);
  const rt = exprType(e.rhs);
  const pos = e.pos;
  const isComparison = COMPARISON_OPERATORS.has(e.op);
  const isSet = SET_OPERATORS.has(e.op);
  if (e.returnBool && !isComparison) p.fail(opTok, 'bool modifier can only be used on comparison operators');
  if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector'))
    p.fail(pos, 'binary expression must contain only scalar and instant vector types');
  if (lt === 'scalar' && rt === 'scalar' && isComparison && !e.returnBool)
    p.fail(pos, 'comparisons between scalars must use BOOL modifier');
  if ((lt === 'scalar' || rt === 'scalar') && isSet)
    p.fail(pos, `set operator "${e.op}" not allowed in binary scalar expression`);
  if (lt !== 'vector' || rt !== 'vector') {
    if (
      e.matching &&
      (e.matching.matchingLabels.length > 0 || e.matching.on || e.matching.include.length > 0)
    )
      p.fail(pos, 'vector matching only allowed between instant vectors');
    return { ...e, matching: undefined };
  }
  return e;
}

export function checkUnary(p: Parser, e: UnaryExpr): UnaryExpr {
  const t = exprType(e.expr);
  if (t !== 'scalar' && t !== 'vector')
    p.fail(
      e.pos,
      `unary expression only allowed on expressions of type scalar or instant vector, got "${describeType(t)}"`,
    );
  return e;
}

export function checkSubquery(p: Parser, e: SubqueryExpr): SubqueryExpr {
  const t = exprType(e.expr);
  if (t !== 'vector') p.fail(e.pos, `subquery is only allowed on instant vector, got ${t} instead`);
  return e;
}

export function checkCall(p: Parser, e: Call): Call {
  const f = e.func;
  const n = f.argTypes.length;
  if (f.variadic === 0) {
    if (n !== e.args.length)
      p.fail(e.pos, `expected ${n} argument(s) in call to "${f.name}", got ${e.args.length}`);
  } else {
    const min = n - 1;
    if (min > e.args.length)
      p.fail(e.pos, `expected at least ${min} argument(s) in call to "${f.name}", got ${e.args.length}`);
    if (f.variadic > 0 && min + f.variadic < e.args.length)
      p.fail(
        e.pos,
        `expected at most ${min + f.variadic} argument(s) in call to "${f.name}", got ${e.args.length}`,
      );
  }
  e.args.forEach((arg, i) => {
    const want = f.argTypes[Math.min(i, n - 1)]!;
    expectType(p, arg, want, `call to function "${f.name}"`);
  });
  return e;
}

export function checkAggregate(p: Parser, e: AggregateExpr): AggregateExpr {
  const t = exprType(e.expr);
  if (t !== 'vector')
    p.fail(e.pos, `expected type instant vector in aggregation expression, got ${describeType(t)}`);
  if (e.param) expectType(p, e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
  return e;
}
