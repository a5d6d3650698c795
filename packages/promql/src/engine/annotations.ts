import { positionString, type PositionRange } from '../errors.js';

/**
 * Warnings and infos of one query, deduplicated, worded and positioned as Prometheus's
 * `util/annotations` (`PromQL warning: … (1:6)`).
 */
export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();
  constructor(private readonly query: string) {}

  warn(message: string, pos: PositionRange): void {
    this.warnings.add(`PromQL warning: ${message} (${positionString(this.query, pos.start)})`);
  }

  info(message: string, pos: PositionRange): void {
    this.infos.add(`PromQL info: ${message} (${positionString(this.query, pos.start)})`);
  }
}

/** Go's `%q` for a metric name in a message. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
