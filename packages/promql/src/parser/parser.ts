import { PromQLParseError, type PositionRange } from '../errors.js';
import type { AggregateExpr, Expr, NumberLiteral, VectorMatching } from './ast.js';
import { checkAggregate, checkBinary, checkCall, checkSubquery, checkUnary } from './check-types.js';
import { FUNCTIONS } from './functions.js';
import { LexError, lex } from './lexer.js';
import { parseNumberLiteral } from './parse-number.js';
import { applyAt, applyOffset, makeMatrixSelector, parseSelectorAfterName } from './parse-selector.js';
import { parsePromDuration } from './duration.js';
import { KIND_NAMES, describe } from './token-names.js';
import {
  AGGREGATORS,
  AGGREGATORS_WITH_PARAM,
  BINARY_PRECEDENCE,
  SET_OPERATORS,
  type Token,
} from './token.js';

const POW_PRECEDENCE = 6;

/** Parses a PromQL expression into its AST, type-checked. Throws {@link PromQLParseError}. */
export function parseExpr(query: string): Expr {
  let tokens: Token[];
  try {
    tokens = lex(query);
  } catch (err) {
    if (err instanceof LexError)
      throw new PromQLParseError(query, { start: err.start, end: err.end }, err.message);
    throw err;
  }
  return new Parser(query, tokens).parseQuery();
}

/** Recursive descent with precedence climbing; node checks mirror Prometheus's `checkAST`. */
export class Parser {
  private i = 0;
  constructor(
    readonly query: string,
    private readonly tokens: Token[],
  ) {}

  parseQuery(): Expr {
    if (this.peek().kind === 'EOF') this.fail(this.peek(), 'no expression found in input');
    const expr = this.parseBinary(0);
    const t = this.peek();
    if (t.kind !== 'EOF') this.fail(t, `unexpected ${describe(t)}`);
    return expr;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  fail(at: PositionRange, message: string): never {
    throw new PromQLParseError(this.query, { start: at.start, end: at.end }, message);
  }

  expect(kind: Token['kind'], context: string): Token {
    const t = this.peek();
    if (t.kind !== kind)
      this.fail(t, `unexpected ${describe(t)} in ${context}, expected ${KIND_NAMES[kind]}`);
    return this.next();
  }

  isKeyword(t: Token, word: string): boolean {
    return t.kind === 'IDENT' && t.text.toLowerCase() === word;
  }

  parseBinary(minPrecedence: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const opTok = this.peek();
      const op = binaryOperator(opTok);
      if (op === undefined) break;
      const precedence = BINARY_PRECEDENCE[op]!;
      if (precedence < minPrecedence) break;
      this.next();
      let returnBool = false;
      if (this.isKeyword(this.peek(), 'bool')) {
        this.next();
        returnBool = true;
      }
      const matching = this.parseMatching(op);
      const rhs = this.parseBinary(op === '^' ? precedence : precedence + 1);
      lhs = checkBinary(
        this,
        { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching, pos: span(lhs.pos, rhs.pos) },
        opTok,
      );
    }
    return lhs;
  }

  private parseMatching(op: string): VectorMatching | undefined {
    const t = this.peek();
    const isSet = SET_OPERATORS.has(op);
    let on = false;
    let matchingLabels: string[] = [];
    let given = false;
    if (this.isKeyword(t, 'on') || this.isKeyword(t, 'ignoring')) {
      this.next();
      on = t.text.toLowerCase() === 'on';
      given = true;
      matchingLabels = this.parseLabelList('grouping opts');
    }
    let card: VectorMatching['card'] = isSet ? 'many-to-many' : 'one-to-one';
    let include: string[] = [];
    const g = this.peek();
    if (this.isKeyword(g, 'group_left') || this.isKeyword(g, 'group_right')) {
      if (!given) this.fail(g, `unexpected <${g.text.toLowerCase()}>`);
      this.next();
      if (isSet) this.fail(g, `no grouping allowed for "${op}" operation`);
      card = g.text.toLowerCase() === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.peek().kind === 'LPAREN') include = this.parseLabelList('grouping opts');
      for (const l of include)
        if (matchingLabels.includes(l) && on)
          this.fail(g, `label "${l}" must not occur in ON and GROUP clause at once`);
    }
    return { card, matchingLabels, on, include };
  }

  /** `(a, b, "c.d")`: label names (keywords allowed, quoted names allowed), trailing comma allowed. */
  parseLabelList(context: string): string[] {
    this.expect('LPAREN', context);
    const labels: string[] = [];
    while (this.peek().kind !== 'RPAREN') {
      const t = this.next();
      if (t.kind === 'IDENT' || t.kind === 'STRING') labels.push(t.text);
      else this.fail(t, `unexpected ${describe(t)} in ${context}, expected label`);
      const sep = this.peek();
      if (sep.kind === 'COMMA') this.next();
      else if (sep.kind !== 'RPAREN')
        this.fail(sep, `unexpected ${describe(sep)} in ${context}, expected "," or ")"`);
    }
    this.next();
    return labels;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'OP' && (t.text === '-' || t.text === '+')) {
      this.next();
      // Prometheus: `unary_expr: unary_op expr %prec MUL` — `-a^b` is `-(a^b)`, `-a*b` is `(-a)*b`.
      const operand = this.parseBinary(POW_PRECEDENCE);
      const pos = { start: t.start, end: operand.pos.end };
      if (operand.type === 'NumberLiteral') {
        const lit: NumberLiteral = {
          ...operand,
          value: t.text === '-' ? -operand.value : operand.value,
          pos,
        };
        return lit;
      }
      return checkUnary(this, { type: 'UnaryExpr', op: t.text, expr: operand, pos });
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'NUMBER': {
        this.next();
        const value = parseNumberLiteral(t.text);
        if (value === undefined) this.fail(t, `bad number or duration syntax: "${t.text}"`);
        return { type: 'NumberLiteral', value, duration: false, pos: t };
      }
      case 'DURATION': {
        this.next();
        return { type: 'NumberLiteral', value: this.durationMs(t) / 1000, duration: true, pos: t };
      }
      case 'STRING':
        this.next();
        return { type: 'StringLiteral', value: t.text, pos: t };
      case 'LPAREN': {
        this.next();
        const inner = this.parseBinary(0);
        const close = this.expect('RPAREN', 'paren expression');
        return { type: 'ParenExpr', expr: inner, pos: { start: t.start, end: close.end } };
      }
      case 'LBRACE':
        return parseSelectorAfterName(this, undefined, t.start);
      case 'IDENT':
      case 'METRIC_IDENT':
        return this.parseIdentifier(t);
      default:
        return this.fail(t, `unexpected ${describe(t)}`);
    }
  }

  private parseIdentifier(t: Token): Expr {
    const lower = t.text.toLowerCase();
    const after = this.peek(1);
    if (
      t.kind === 'IDENT' &&
      AGGREGATORS.has(lower) &&
      (after.kind === 'LPAREN' || this.isKeyword(after, 'by') || this.isKeyword(after, 'without'))
    )
      return this.parseAggregate();
    if (t.kind === 'IDENT' && after.kind === 'LPAREN') {
      const func = FUNCTIONS.get(t.text);
      if (!func) this.fail(t, `unknown function with name "${t.text}"`);
      this.next();
      this.next();
      const args = this.parseArgs('function call');
      const close = this.peek(-1);
      return checkCall(this, { type: 'Call', func, args, pos: { start: t.start, end: close.end } });
    }
    if (t.kind === 'IDENT' && (lower === 'inf' || lower === 'nan')) {
      this.next();
      return { type: 'NumberLiteral', value: lower === 'inf' ? Infinity : NaN, duration: false, pos: t };
    }
    this.next();
    return parseSelectorAfterName(this, t, t.start);
  }

  /** Arguments up to and including `)`; trailing comma allowed. */
  private parseArgs(context: string): Expr[] {
    const args: Expr[] = [];
    while (this.peek().kind !== 'RPAREN') {
      args.push(this.parseBinary(0));
      const sep = this.peek();
      if (sep.kind === 'COMMA') this.next();
      else if (sep.kind !== 'RPAREN')
        this.fail(sep, `unexpected ${describe(sep)} in ${context}, expected "," or ")"`);
    }
    this.next();
    return args;
  }

  private parseAggregate(): AggregateExpr {
    const opTok = this.next();
    const op = opTok.text.toLowerCase();
    let grouping: string[] = [];
    let without = false;
    let modifierSeen = false;
    const modifier = (): void => {
      const k = this.peek();
      if (this.isKeyword(k, 'by') || this.isKeyword(k, 'without')) {
        this.next();
        without = k.text.toLowerCase() === 'without';
        grouping = this.parseLabelList('grouping opts');
        modifierSeen = true;
      }
    };
    modifier();
    this.expect('LPAREN', 'aggregation');
    const args = this.parseArgs('aggregation');
    let end = this.peek(-1).end;
    if (!modifierSeen) {
      modifier();
      if (modifierSeen) end = this.peek(-1).end;
    }
    const pos = { start: opTok.start, end };
    const want = AGGREGATORS_WITH_PARAM.has(op) ? 2 : 1;
    if (args.length !== want)
      this.fail(
        pos,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    const expr = args[want - 1]!;
    const param = want === 2 ? args[0] : undefined;
    return checkAggregate(this, { type: 'AggregateExpr', op, expr, param, grouping, without, pos });
  }

  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'LBRACKET') expr = this.parseRangeOrSubquery(expr);
      else if (this.isKeyword(t, 'offset')) {
        this.next();
        const sign = this.peek();
        let negative = false;
        if (sign.kind === 'OP' && (sign.text === '-' || sign.text === '+')) {
          this.next();
          negative = sign.text === '-';
        }
        const d = this.next();
        if (d.kind !== 'DURATION' && d.kind !== 'NUMBER')
          this.fail(d, `unexpected ${describe(d)} in offset, expected duration`);
        const ms = this.durationMs(d);
        expr = applyOffset(this, expr, negative ? -ms : ms, t, d.end);
      } else if (t.kind === 'AT') {
        this.next();
        expr = this.parseAt(expr, t);
      } else return expr;
    }
  }

  private parseAt(expr: Expr, at: Token): Expr {
    const t = this.next();
    if (this.isKeyword(t, 'start') || this.isKeyword(t, 'end')) {
      this.expect('LPAREN', '@ modifier');
      const close = this.expect('RPAREN', '@ modifier');
      return applyAt(this, expr, { startOrEnd: t.text.toLowerCase() as 'start' | 'end' }, at, close.end);
    }
    let sign = 1;
    let num = t;
    if (t.kind === 'OP' && (t.text === '-' || t.text === '+')) {
      sign = t.text === '-' ? -1 : 1;
      num = this.next();
    }
    let value: number | undefined;
    if (num.kind === 'NUMBER') value = parseNumberLiteral(num.text);
    else if (num.kind === 'IDENT' && ['inf', 'nan'].includes(num.text.toLowerCase()))
      value = parseNumberLiteral(num.text);
    if (value === undefined) this.fail(num, `unexpected ${describe(num)} in @, expected timestamp`);
    value *= sign;
    if (!Number.isFinite(value) || Math.abs(value * 1000) > 9.2e18)
      this.fail({ start: at.start, end: num.end }, `timestamp out of bounds for @ modifier: ${value}`);
    return applyAt(this, expr, { atMs: Math.round(value * 1000) }, at, num.end);
  }

  private parseRangeOrSubquery(expr: Expr): Expr {
    const open = this.next();
    const range = this.next();
    if (range.kind !== 'DURATION' && range.kind !== 'NUMBER')
      this.fail(range, `unexpected ${describe(range)} in subquery or range selector, expected duration`);
    const rangeMs = this.durationMs(range);
    if (rangeMs <= 0) this.fail(range, `duration must be greater than 0`);
    const t = this.next();
    if (t.kind === 'RBRACKET') return makeMatrixSelector(this, expr, rangeMs, open, t.end);
    if (t.kind !== 'COLON')
      this.fail(t, `unexpected ${describe(t)} in subquery or range selector, expected "]" or ":"`);
    let stepMs = 0;
    let close = this.next();
    if (close.kind === 'DURATION' || close.kind === 'NUMBER') {
      stepMs = this.durationMs(close);
      if (stepMs <= 0) this.fail(close, `step must be greater than 0`);
      close = this.next();
    }
    if (close.kind !== 'RBRACKET')
      this.fail(close, `unexpected ${describe(close)} in subquery, expected "]"`);
    return checkSubquery(this, {
      type: 'SubqueryExpr',
      expr,
      rangeMs,
      stepMs,
      offsetMs: 0,
      atMs: undefined,
      atStartOrEnd: undefined,
      pos: { start: expr.pos.start, end: close.end },
    });
  }

  /** A DURATION token (`1h30m`) or a NUMBER of seconds, in milliseconds. */
  durationMs(t: Token): number {
    if (t.kind === 'DURATION') {
      const ms = parsePromDuration(t.text);
      if (ms === undefined) this.fail(t, `bad duration syntax: "${t.text}"`);
      return ms;
    }
    const seconds = parseNumberLiteral(t.text);
    if (seconds === undefined || !Number.isFinite(seconds))
      this.fail(t, `bad number or duration syntax: "${t.text}"`);
    return Math.round(seconds * 1000);
  }
}

function binaryOperator(t: Token): string | undefined {
  if (t.kind === 'OP') return t.text in BINARY_PRECEDENCE ? t.text : undefined;
  if (t.kind === 'IDENT') {
    const lower = t.text.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'unless' || lower === 'atan2') return lower;
  }
  return undefined;
}

function span(a: PositionRange, b: PositionRange): PositionRange {
  return { start: a.start, end: b.end };
}
