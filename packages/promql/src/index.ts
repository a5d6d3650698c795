export type {
  Expr,
  ValueType,
  NumberLiteral,
  StringLiteral,
  VectorSelector,
  MatrixSelector,
  SubqueryExpr,
  ParenExpr,
  UnaryExpr,
  BinaryExpr,
  Call,
  AggregateExpr,
  VectorMatching,
  Cardinality,
} from './parser/ast.js';
export { exprType } from './parser/ast.js';
export { parseExpr } from './parser/parser.js';
export type { FunctionDef } from './parser/functions.js';
export { FUNCTIONS } from './parser/functions.js';
export type { PositionRange, QueryErrorType } from './errors.js';
export {
  QueryError,
  PromQLParseError,
  QueryExecutionError,
  QueryTimeoutError,
  QueryCanceledError,
  QueryLimitError,
  BadDataError,
} from './errors.js';
export { formatQuery, prettify } from './printer/prettify.js';
export { exprToString } from './printer/expr-to-string.js';
export { Engine } from './engine/engine.js';
export type { EngineOptions, QueryOptions, QuerierFactory } from './engine/engine.js';
export { toPrometheusData } from './engine/result.js';
export type {
  QueryResult,
  InstantSample,
  RangeSeries,
  PrometheusData,
  PrometheusPoint,
} from './engine/result.js';
export { formatGoFloat } from './engine/format-float.js';
export { parseTimeParam, parseDurationParam } from './http-params.js';
