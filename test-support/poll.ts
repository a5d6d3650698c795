// Polling for a condition in tests against running servers and peers — never a fixed sleep, and
// a generous deadline, because CI machines are loaded.

/** Calls `fn` until `ok(value)` holds, and returns that value; fails naming `what` and the last value. */
export async function until<T>(
  what: string,
  fn: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Calls `fn` until it returns something other than undefined, and returns that. */
export async function untilDefined<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  return (await until('a value', fn, (v) => v !== undefined, timeoutMs, 25)) as T;
}

/** Calls `check` until it is true; fails naming `what`. */
export async function untilTrue(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  await until(what, check, (v) => v, timeoutMs, 50);
}
