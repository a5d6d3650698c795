/** A span of the query text, as byte offsets (start inclusive, end exclusive). */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** Prometheus `errorType` values an HTTP layer maps to status codes (400 / 422 / 503 / 503). */
export type QueryErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled';

/** Base of every error the engine throws on purpose; `errorType` says how the HTTP API reports it. */
export class QueryError extends Error {
  override readonly name: string = 'QueryError';
  readonly errorType: QueryErrorType;
  constructor(errorType: QueryErrorType, message: string) {
    super(message);
    this.errorType = errorType;
  }
}

/** `1:5` (line, 1-based column) for an offset in the query, as Prometheus' `PositionRange.StartPosInput`. */
export function positionString(query: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

/**
 * A query that does not parse or type-check. The message reads like Prometheus's
 * (`1:5: parse error: unexpected end of input`); `positionRange` locates the fault.
 */
export class PromQLParseError extends QueryError {
  override readonly name = 'PromQLParseError';
  readonly positionRange: PositionRange;
  /** The message without the position prefix. */
  readonly detail: string;
  constructor(query: string, positionRange: PositionRange, detail: string) {
    super('bad_data', `${positionString(query, positionRange.start)}: parse error: ${detail}`);
    this.positionRange = positionRange;
    this.detail = detail;
  }
}

/** A failure while evaluating (collisions, bad arguments at run time): Prometheus `execution`, HTTP 422. */
export class QueryExecutionError extends QueryError {
  override readonly name = 'QueryExecutionError';
  constructor(message: string) {
    super('execution', message);
  }
}

/** The query ran past its time limit: Prometheus `timeout`, HTTP 503. */
export class QueryTimeoutError extends QueryError {
  override readonly name = 'QueryTimeoutError';
  constructor(message: string) {
    super('timeout', message);
  }
}

/** The caller aborted the query: Prometheus `canceled`, HTTP 503. */
export class QueryCanceledError extends QueryError {
  override readonly name = 'QueryCanceledError';
  constructor(message: string) {
    super('canceled', message);
  }
}

/** A resource limit (samples, series) was exceeded: Prometheus reports these as `execution` errors. */
export class QueryLimitError extends QueryError {
  override readonly name = 'QueryLimitError';
  constructor(message: string) {
    super('execution', message);
  }
}

/** A bad API parameter (time, duration): `bad_data`, HTTP 400. */
export class BadDataError extends QueryError {
  override readonly name = 'BadDataError';
  constructor(message: string) {
    super('bad_data', message);
  }
}
