import { InvalidMatcherError, type Matcher, type MatchType } from '@tally/storage';
import { newMatcher } from './re2.js';
import { METRIC_NAME } from '@tally/model';
import type { Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import type { Parser } from './parser.js';
import { describe } from './token-names.js';
import type { Token } from './token.js';

const MATCH_OPS = new Set(['=', '!=', '=~', '!~']);

/**
 * `name`, `name{…}` or `{…}`: the label matchers, Prometheus 3's quoted metric name
 * (`{"my-metric", job="a"}`) and quoted label names (`{"a.b"="c"}`) included.
 */
export function parseSelectorAfterName(p: Parser, nameTok: Token | undefined, start: number): VectorSelector {
  let name = nameTok?.text;
  const matchers: Matcher[] = [];
  let end = nameTok?.end ?? start;
  if (p.peek().kind === 'LBRACE') {
    p.next();
    while (p.peek().kind !== 'RBRACE') {
      const t = p.next();
      const after = p.peek();
      if (t.kind === 'STRING' && (after.kind === 'COMMA' || after.kind === 'RBRACE')) {
        if (name !== undefined)
          p.fail(
            t,
            `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(t.text)}`,
          );
        name = t.text;
      } else {
        if (t.kind !== 'IDENT' && t.kind !== 'STRING')
          p.fail(t, `unexpected ${describe(t)} in label matching, expected label`);
        const op = p.next();
        if (op.kind !== 'OP' || !MATCH_OPS.has(op.text))
          p.fail(op, `unexpected ${describe(op)} in label matching, expected label matching operator`);
        const value = p.next();
        if (value.kind !== 'STRING')
          p.fail(value, `unexpected ${describe(value)} in label matching, expected string`);
        if (t.text === METRIC_NAME && op.text === '=' && nameTok !== undefined)
          p.fail(
            t,
            `metric name must not be set twice: ${JSON.stringify(nameTok.text)} or ${JSON.stringify(value.text)}`,
          );
        try {
          matchers.push(newMatcher(op.text as MatchType, t.text, value.text));
        } catch (err) {
          if (err instanceof InvalidMatcherError) p.fail({ start: t.start, end: value.end }, err.message);
          throw err;
        }
      }
      const sep = p.peek();
      if (sep.kind === 'COMMA') p.next();
      else if (sep.kind === 'EOF') p.fail(sep, 'unexpected end of input inside braces');
      else if (sep.kind !== 'RBRACE')
        p.fail(sep, `unexpected ${describe(sep)} in label matching, expected "," or "}"`);
    }
    end = p.next().end;
  }
  if (name !== undefined) matchers.push(newMatcher('=', METRIC_NAME, name));
  const pos = { start, end };
  if (matchers.every((m) => m.matchesEmpty()))
    p.fail(pos, 'vector selector must contain at least one non-empty matcher');
  return {
    type: 'VectorSelector',
    name,
    matchers,
    offsetMs: 0,
    atMs: undefined,
    atStartOrEnd: undefined,
    pos,
  };
}

export function makeMatrixSelector(
  p: Parser,
  expr: Expr,
  rangeMs: number,
  open: Token,
  end: number,
): MatrixSelector {
  if (expr.type !== 'VectorSelector')
    p.fail({ start: expr.pos.start, end }, 'ranges only allowed for vector selectors');
  if (expr.offsetMs !== 0) p.fail(open, 'no offset modifiers allowed before range');
  if (expr.atMs !== undefined || expr.atStartOrEnd !== undefined)
    p.fail(open, 'no @ modifiers allowed before range');
  return { type: 'MatrixSelector', vectorSelector: expr, rangeMs, pos: { start: expr.pos.start, end } };
}

function modifierTarget(expr: Expr): VectorSelector | SubqueryExpr | undefined {
  if (expr.type === 'VectorSelector' || expr.type === 'SubqueryExpr') return expr;
  if (expr.type === 'MatrixSelector') return expr.vectorSelector;
  return undefined;
}

export function applyOffset(p: Parser, expr: Expr, offsetMs: number, tok: Token, end: number): Expr {
  const target = modifierTarget(expr);
  if (!target)
    p.fail(
      tok,
      'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    );
  if (target.offsetMs !== 0) p.fail(tok, 'offset may not be set multiple times');
  target.offsetMs = offsetMs;
  extend(expr, end);
  return expr;
}

export function applyAt(
  p: Parser,
  expr: Expr,
  at: { atMs?: number; startOrEnd?: 'start' | 'end' },
  tok: Token,
  end: number,
): Expr {
  const target = modifierTarget(expr);
  if (!target)
    p.fail(
      tok,
      '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    );
  if (target.atMs !== undefined || target.atStartOrEnd !== undefined)
    p.fail(tok, '@ <timestamp> may not be set multiple times');
  target.atMs = at.atMs;
  target.atStartOrEnd = at.startOrEnd;
  extend(expr, end);
  return expr;
}

function extend(expr: Expr, end: number): void {
  if (expr.type === 'VectorSelector' || expr.type === 'MatrixSelector' || expr.type === 'SubqueryExpr')
    expr.pos = { start: expr.pos.start, end };
}
