/** A push that failed: the Pushgateway answered non-2xx (`status` and its message), or no answer came. */
export class PushgatewayError extends Error {
  override readonly name = 'PushgatewayError';

  constructor(
    message: string,
    /** The HTTP status, or undefined when the request failed before a reply (network, timeout). */
    readonly status: number | undefined,
    /** The Pushgateway's reply body (its error message), '' when there was none. */
    readonly body: string,
    readonly method: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
