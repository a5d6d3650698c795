import { BadDataError } from './errors.js';
import { parsePromDuration } from './parser/duration.js';

// Prometheus's API bounds (web/api/v1: MinTime / MaxTime), which clients send formatted.
const MIN_TIME_MS = Number(-9223372036854775n + 62135596801n) * 1000;
const MAX_TIME_MS = Number(9223372036854775n - 62135596801n) * 1000 + 999;
const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * A `time`/`start`/`end` API parameter as Prometheus reads it: float Unix seconds (rounded to
 * the millisecond) or RFC 3339 (`2015-07-01T20:10:51.781Z`). Returns milliseconds since the
 * epoch; throws {@link BadDataError} naming the bad value.
 */
export function parseTimeParam(text: string): number {
  if (FLOAT_RE.test(text)) {
    const t = Number(text);
    if (Number.isFinite(t)) {
      const whole = Math.trunc(t);
      return whole * 1000 + roundHalfAway((t - whole) * 1000);
    }
  }
  const m = RFC3339_RE.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const valid =
      Number(mo) >= 1 &&
      Number(mo) <= 12 &&
      Number(d) >= 1 &&
      Number(h) < 24 &&
      Number(mi) < 60 &&
      Number(s) < 60;
    if (valid && new Date(base).getUTCDate() === Number(d)) {
      const fracMs = frac ? Math.trunc(Number(`0${frac}`) * 1000 + 1e-9) : 0;
      let offsetMs = 0;
      if (zone !== undefined && zone.toUpperCase() !== 'Z') {
        const sign = zone.startsWith('-') ? -1 : 1;
        offsetMs = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
      }
      return base + fracMs - offsetMs;
    }
  }
  if (text === MIN_TIME_FORMATTED) return MIN_TIME_MS;
  if (text === MAX_TIME_FORMATTED) return MAX_TIME_MS;
  throw new BadDataError(`cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

/**
 * A `step`/`timeout`/`lookback_delta` API parameter: float seconds or a Prometheus duration
 * (`1m30s`). Returns milliseconds (fractions kept: `0.5` is 500 ms).
 */
export function parseDurationParam(text: string): number {
  if (FLOAT_RE.test(text)) {
    const seconds = Number(text);
    if (Math.abs(seconds * 1e9) > 9.223372036854775e18)
      throw new BadDataError(`cannot parse ${JSON.stringify(text)} to a valid duration. It overflows int64`);
    return seconds * 1000;
  }
  const ms = parsePromDuration(text);
  if (ms === undefined) throw new BadDataError(`cannot parse ${JSON.stringify(text)} to a valid duration`);
  return ms;
}
