/**
 * How datagrams leave the process. Every transport is fire and forget: `send` never throws,
 * failures (with how many lines were lost) go to `onFailure`, and nothing it opens keeps the
 * process alive.
 */
export interface StatsdTransport {
  /** `payload` holds `lines` newline-separated lines, without a trailing newline. */
  send(payload: string, lines: number): void;
  /** Waits (bounded) for what was sent to leave, then releases the socket. Never rejects. */
  close(): Promise<void>;
}

/**
 * Called with the error and how many lines it cost (0 when none were lost). `error` is
 * undefined when the loss belongs to an error already reported (one refused TCP connection
 * fails every write that waited on it: one report, every line counted).
 */
export type TransportFailure = (error: Error | undefined, linesLost: number) => void;

/** How long `close()` waits for in-flight sends before giving up on them. */
export const CLOSE_TIMEOUT_MS = 2000;

/** After a failed connection or DNS lookup, sends are dropped for this long before the next try. */
export const RECONNECT_BACKOFF_MS = 1000;

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Resolves when `promise` settles or after `ms`, whichever is first; the timer is unref'd. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
}
