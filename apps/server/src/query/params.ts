import { parseDurationParam as promDuration, parseTimeParam as promTime } from '@tally/promql';
import { HttpError } from '../http/http-error.js';

// Prometheus' minTime/maxTime for unbounded series/labels requests (web/api/v1 MinTime/MaxTime).
export const MIN_TIME_MS = -62135596800000;
export const MAX_TIME_MS = 253402300799000;

const bad = (msg: string): HttpError => new HttpError(400, 'bad_data', msg);

/** A time parameter (float seconds or RFC 3339, `@tally/promql`'s reading); absent gives the default. */
export function parseTimeParam(name: string, value: string | null, defaultMs: number): number {
  if (value === null || value === '') return defaultMs;
  try {
    return promTime(value);
  } catch (err) {
    throw bad(`invalid parameter "${name}": ${(err as Error).message}`);
  }
}

/** A duration parameter: float seconds or a Prometheus duration (`5m`, `1h30m`). */
export function parseDurationParam(name: string, value: string): number {
  try {
    return promDuration(value);
  } catch (err) {
    throw bad(`invalid parameter "${name}": ${(err as Error).message}`);
  }
}

/** The `limit` parameter: a non-negative integer, 0 (or absent) meaning no limit. */
export function parseLimitParam(value: string | null): number {
  if (value === null || value === '') return 0;
  if (!/^\d+$/.test(value)) throw bad(`invalid parameter "limit": cannot parse "${value}" to a valid limit`);
  return Number(value);
}
