import { QueryCanceledError, QueryLimitError, QueryTimeoutError } from '../errors.js';

/** Limits of one query; exceeding one throws an error that maps to Prometheus's error shape. */
export interface QueryLimits {
  /** Samples held in memory at once (loaded plus produced), as Prometheus's `--query.max-samples`. */
  readonly maxSamples: number;
  readonly timeoutMs: number;
  /** Series a query may select from storage in total. */
  readonly maxSeries: number;
}

/** Counts what a query holds and checks its deadline; cheap enough to call in inner loops. */
export class LimitTracker {
  private samples = 0;
  private series = 0;
  private readonly deadline: number;
  private ticks = 0;

  constructor(
    readonly limits: QueryLimits,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  addSamples(n: number): void {
    this.samples += n;
    if (this.samples > this.limits.maxSamples)
      throw new QueryLimitError(
        'query processing would load too many samples into memory in query execution',
      );
  }

  releaseSamples(n: number): void {
    this.samples = Math.max(0, this.samples - n);
  }

  addSeries(n: number): void {
    this.series += n;
    if (this.series > this.limits.maxSeries)
      throw new QueryLimitError(
        `query would select more than ${this.limits.maxSeries} series (the engine's series limit)`,
      );
  }

  /** Throws when the deadline passed or the caller aborted; checks the clock every 256 calls. */
  check(): void {
    if ((++this.ticks & 255) !== 0) return;
    this.checkNow();
  }

  checkNow(): void {
    if (this.signal?.aborted) throw new QueryCanceledError('query was canceled in query execution');
    if (Date.now() > this.deadline) throw new QueryTimeoutError('query timed out in query execution');
  }
}
