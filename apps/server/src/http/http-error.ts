/** Prometheus API error types (`errorType` in the JSON body) plus Tally's own. */
export type ErrorType =
  | 'bad_data'
  | 'execution'
  | 'timeout'
  | 'canceled'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'limit';

/**
 * An error that carries its HTTP answer. Handlers throw it; {@link errorResponse} is the one
 * place that turns any error into a status and a body. `plain` answers as text, the way the
 * Pushgateway and Prometheus' remote-write receiver do (their clients print the body).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly errorType: ErrorType,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly plain = false,
  ) {
    super(message);
  }
}

export const badData = (message: string, extra: Record<string, unknown> = {}): HttpError =>
  new HttpError(400, 'bad_data', message, extra);
export const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);

export interface ErrorAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Maps any thrown value to an HTTP answer; unknown errors are 500 `internal`. */
export function errorResponse(err: unknown): ErrorAnswer {
  const e =
    err instanceof HttpError
      ? err
      : new HttpError(500, 'internal', err instanceof Error ? err.message : String(err));
  if (e.plain) return { status: e.status, contentType: 'text/plain; charset=utf-8', body: e.message + '\n' };
  return {
    status: e.status,
    contentType: 'application/json',
    body: JSON.stringify({ status: 'error', errorType: e.errorType, error: e.message, ...e.extra }),
  };
}
