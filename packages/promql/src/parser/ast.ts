import type { Matcher } from '@tally/storage';
import type { PositionRange } from '../errors.js';
import type { FunctionDef } from './functions.js';

/** The four PromQL value types. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Prometheus's names for value types, used in error messages. */
export function describeType(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  readonly value: number;
  /** Written as a duration (`5m`), printed back as one. */
  readonly duration: boolean;
  readonly pos: PositionRange;
}

export interface StringLiteral {
  readonly type: 'StringLiteral';
  readonly value: string;
  readonly pos: PositionRange;
}

/** `@ <time>` / `@ start()` / `@ end()` and `offset`, shared by selectors and subqueries. */
export interface TimeModifiers {
  /** Offset in ms (negative offsets allowed). */
  offsetMs: number;
  /** `@ <t>` in ms since the epoch. */
  atMs: number | undefined;
  atStartOrEnd: 'start' | 'end' | undefined;
}

export interface VectorSelector extends TimeModifiers {
  readonly type: 'VectorSelector';
  /** The metric name when one was given (outside or inside the braces). */
  readonly name: string | undefined;
  /** Every matcher, the name matcher included. */
  readonly matchers: readonly Matcher[];
  pos: PositionRange;
}

export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  readonly rangeMs: number;
  pos: PositionRange;
}

export interface SubqueryExpr extends TimeModifiers {
  readonly type: 'SubqueryExpr';
  readonly expr: Expr;
  readonly rangeMs: number;
  /** 0 means the default: the engine's evaluation interval. */
  readonly stepMs: number;
  pos: PositionRange;
}

export interface ParenExpr {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export interface UnaryExpr {
  readonly type: 'UnaryExpr';
  readonly op: '-' | '+';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  readonly card: Cardinality;
  /** `on(...)` labels when `on`, else `ignoring(...)` labels. */
  readonly matchingLabels: readonly string[];
  readonly on: boolean;
  /** Extra labels of `group_left(...)` / `group_right(...)`. */
  readonly include: readonly string[];
}

export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: string;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  /** Set when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
  readonly pos: PositionRange;
}

export interface Call {
  readonly type: 'Call';
  readonly func: FunctionDef;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  readonly op: string;
  readonly expr: Expr;
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | Call
  | AggregateExpr;

/** The value type an expression evaluates to. */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'ParenExpr':
      return exprType(e.expr);
    case 'UnaryExpr':
      return exprType(e.expr);
    case 'BinaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call':
      return e.func.returnType;
    case 'AggregateExpr':
      return 'vector';
  }
}

/** Children of a node, for walks. */
export function children(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      return [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'Call':
      return e.args;
    case 'AggregateExpr':
      return e.param ? [e.param, e.expr] : [e.expr];
    default:
      return [];
  }
}
