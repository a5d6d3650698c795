/** `'10s'`, `'500ms'`, `'1.5m'`, `'1h'`, or a number of milliseconds, as milliseconds. */
export function parseDurationMs(value: string | number, what: string): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
    if (!match) {
      throw new TypeError(
        `${what}: ${JSON.stringify(value)} is not a duration like '10s', '500ms', '2m' or '1h'`,
      );
    }
    const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    ms = Number(match[1]) * unitMs;
  }
  if (!Number.isFinite(ms) || ms <= 0)
    throw new RangeError(`${what}: must be a positive duration, got ${String(value)}`);
  return ms;
}
