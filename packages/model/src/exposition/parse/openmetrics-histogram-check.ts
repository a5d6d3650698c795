// The per-series checks OpenMetrics puts on (gauge) histograms, run over each group of samples
// that share labels (minus `le`) and timestamp, as Python's reference parser does
// (prometheus_client/openmetrics/parser.py `_check_histogram`).
import { ExpositionParseError, quote } from './parse-error.js';

export class HistogramGroupCheck {
  private active = false;
  private timestampSeconds: number | undefined;
  private line = 0;
  private count: number | undefined;
  private bucket: number | undefined;
  private bucketValue = 0;
  private negativeBuckets = false;
  private hasSum = false;
  private hasGsum = false;
  private negativeGsum = false;

  constructor(
    private readonly family: string,
    private readonly gauge: boolean,
  ) {}

  /**
   * Adds one sample; `sameGroup` says it continues the previous sample's series group,
   * `suffix` is its name past the family name, `le` its parsed bound.
   */
  add(
    sameGroup: boolean,
    timestampSeconds: number | undefined,
    suffix: string,
    le: number,
    value: number,
    line: number,
  ): string | undefined {
    if (!this.active || !sameGroup || timestampSeconds !== this.timestampSeconds) {
      this.finish();
      this.active = true;
      this.timestampSeconds = timestampSeconds;
      this.count = undefined;
      this.bucket = undefined;
      this.bucketValue = 0;
      this.negativeBuckets = false;
      this.hasSum = false;
      this.hasGsum = false;
      this.negativeGsum = false;
    }
    this.line = line;
    if (suffix === '_bucket') {
      if (le < 0) this.negativeBuckets = true;
      if (this.bucket !== undefined && le <= this.bucket)
        return `buckets of histogram ${quote(this.family)} out of order`;
      if (value < this.bucketValue) return `bucket counts of histogram ${quote(this.family)} decrease`;
      this.bucket = le;
      this.bucketValue = value;
    } else if (suffix === '_count' || suffix === '_gcount') this.count = value;
    else if (suffix === '_sum') this.hasSum = true;
    else if (suffix === '_gsum') {
      this.hasGsum = true;
      if (value < 0) this.negativeGsum = true;
    }
    return undefined;
  }

  /** Checks the group in progress; throws at its last line when it is incomplete. */
  finish(): void {
    if (!this.active) return;
    this.active = false;
    const problem = this.problem();
    if (problem !== undefined) {
      throw new ExpositionParseError(`histogram ${quote(this.family)}: ${problem}`, this.line, 1);
    }
  }

  private problem(): string | undefined {
    if (this.bucket !== Infinity) return 'no +Inf bucket';
    if (this.count !== undefined && this.count !== this.bucketValue)
      return 'count differs from the +Inf bucket';
    if (this.hasSum && this.count === undefined) return '_sum without _count';
    if (this.hasGsum && this.count === undefined) return '_gsum without _gcount';
    if (!(this.hasSum || this.hasGsum) && this.count !== undefined) {
      return this.gauge ? '_gcount without _gsum' : '_count without _sum';
    }
    if (this.negativeBuckets && this.hasSum) return '_sum with negative buckets';
    if (!this.negativeBuckets && this.negativeGsum) return 'negative _gsum without negative buckets';
    return undefined;
  }
}
