import { labelsKey, formatLabels, type Labels } from '@tally/model';
import {
  DuplicateSampleError,
  InvalidLabelsError,
  OutOfBoundsSampleError,
  OutOfOrderSampleError,
  UnknownSeriesRefError,
  type Appender,
  type Storage,
} from '@tally/storage';
import { FutureSampleError, InvalidTimestampError } from '@tally/tsdb';
import type { Limits } from '../config/serve-config.js';
import { HttpError } from '../http/http-error.js';
import type { JobService } from '../jobs/job-service.js';
import { declarableNames, type MetricMetadata } from '../jobs/metric-metadata.js';
import type { SeriesStat } from '../jobs/job-stats.js';
import { seriesProblem } from '../limits/check-series.js';
import type { LiveHub, LiveSeries } from '../live/live-hub.js';
import type { SelfMetrics } from '../self-metrics/self-metrics.js';

/** One series' samples to write. `labels` includes `__name__` and `job`. */
export interface IngestSeries {
  readonly labels: Labels;
  /** `labelsKey(labels)`, filled in by the check so the write does not compute it again. */
  key?: string;
  /**
   * The labels already passed the label limits and name rules (`seriesProblem`) in an earlier
   * request that was accepted — a caller that caches series (a Pushgateway group pushed again)
   * sets it so the check is not repeated. The limits are fixed for the process's life.
   */
  readonly labelsChecked?: boolean;
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /**
   * The series' samples are [start, end) of the two arrays (default: all of them). Remote write
   * hands a request's series runs of one pair of arrays instead of a view each.
   */
  readonly start?: number;
  readonly end?: number;
  /**
   * The series' entry in its job's stats: passed in by a caller that kept it from an earlier
   * request (used instead of a lookup while it belongs to the job's current stats, see
   * `SeriesStat.owner`), filled in by the check (`null`: not there) for the write right after,
   * and by the write (the entry after it) for the caller to keep.
   */
  stat?: SeriesStat | null;
}

export interface IngestRequest {
  readonly jobId: string;
  readonly series: readonly IngestSeries[];
  readonly metadata?: Iterable<readonly [string, MetricMetadata]>;
  /**
   * Samples stamped by the server (a push, a StatsD flush): a series' new sample is moved to
   * 1 ms after its newest if the clock gives the same or an earlier time, so a push is never
   * refused as a duplicate of the previous one.
   */
  readonly serverTimestamps: boolean;
  readonly source: 'push' | 'statsd' | 'remote_write' | 'otlp' | 'scrape';
  /** Answer with the Pushgateway's plain-text error bodies. */
  readonly plain?: boolean;
}

export interface IngestResult {
  readonly accepted: number;
  /** Samples the store refused (out of order, duplicate, too old), by reason. */
  readonly refused: Map<string, number>;
  readonly firstRefusal: string | undefined;
}

/**
 * The one write path every ingest path ends in: checks the whole request first (job, strict
 * metric names, label limits, series per job) so a refused request harms nothing; then
 * appends, commits (durable when it resolves), updates the job's stats and metadata and
 * publishes to live subscribers.
 */
export class Ingester {
  constructor(
    private readonly storage: Storage,
    private readonly jobs: JobService,
    private readonly limits: Limits,
    private readonly live: LiveHub,
    private readonly metrics: SelfMetrics,
  ) {}

  /** Throws an {@link HttpError} when the request must be refused as a whole. */
  check(req: IngestRequest, nowMs: number): void {
    const fail = (status: number, type: 'bad_data' | 'limit' | 'too_large', msg: string): never => {
      this.metrics.refusedRequests.inc({ source: req.source, reason: type });
      throw new HttpError(status, type, msg, {}, req.plain ?? false);
    };
    const job = this.jobs.resolveForIngest(req.jobId, nowMs, req.plain ?? false);
    let samples = 0;
    for (const s of req.series) samples += (s.end ?? s.values.length) - (s.start ?? 0);
    if (samples > this.limits.maxSamplesPerRequest) {
      fail(
        413,
        'too_large',
        `${samples} samples in one request, more than the limit of ${this.limits.maxSamplesPerRequest} (--max-samples-per-request)`,
      );
    }
    const stats = this.jobs.statsOf(job.id);
    let newSeries = 0;
    const undeclared = new Set<string>();
    const declared = job.strict ? new Set(job.declaredMetrics) : undefined;
    const seen = new Set<string>();
    for (const s of req.series) {
      const problem = s.labelsChecked === true ? undefined : seriesProblem(s.labels, this.limits);
      if (problem) fail(400, 'bad_data', `series ${formatLabels(s.labels)}: ${problem}`);
      const key = (s.key ??= labelsKey(s.labels));
      let stat = s.stat;
      if (stat?.owner !== stats) s.stat = stat = stats.get(key) ?? null;
      if (!stat && !seen.has(key)) {
        seen.add(key);
        newSeries++;
      }
      if (declared) {
        const name = s.labels.find((l) => l.name === '__name__')?.value ?? '';
        if (!declarableNames(name).some((n) => declared.has(n))) undeclared.add(name);
      }
    }
    if (undeclared.size > 0) {
      fail(
        400,
        'bad_data',
        `job ${job.id} is strict and these metrics are not declared: ${[...undeclared].sort().join(', ')} (declared: ${job.declaredMetrics.join(', ') || 'none'})`,
      );
    }
    if (stats.seriesCount + newSeries > this.limits.maxSeriesPerJob) {
      this.metrics.refusedRequests.inc({ source: req.source, reason: 'series_limit' });
      throw new HttpError(
        429,
        'limit',
        `job ${job.id} has ${stats.seriesCount} series and this request adds ${newSeries}: more than the limit of ${this.limits.maxSeriesPerJob} series per job (--max-series-per-job)`,
        {},
        req.plain ?? false,
      );
    }
  }

  /** Checks, writes and publishes. Resolves once the samples are durable. */
  async ingest(req: IngestRequest, nowMs = Date.now(), alreadyChecked = false): Promise<IngestResult> {
    if (!alreadyChecked) this.check(req, nowMs);
    const app: KeyedAppender = this.storage.appender();
    const { accepted, refused, firstRefusal, liveOut } = this.appendAll(req, app);
    try {
      await app.commit();
    } catch (err) {
      this.metrics.refusedRequests.inc({ source: req.source, reason: 'storage' });
      throw new HttpError(
        503,
        'unavailable',
        `storage could not commit the samples: ${(err as Error).message}`,
        {},
        req.plain ?? false,
      );
    }
    this.metrics.samplesIngested.inc({ source: req.source }, accepted);
    for (const [reason, n] of refused) this.metrics.samplesRefused.inc({ source: req.source, reason }, n);
    if (req.metadata) this.jobs.metadata.record(req.jobId, req.metadata);
    this.jobs.touch(req.jobId, nowMs);
    this.live.publish(req.jobId, liveOut);
    return { accepted, refused, firstRefusal };
  }

  /**
   * Appends every series' samples (not yet committed). A function of its own, so that nothing
   * runs after its loop in the same function: V8 optimizes a long loop mid-call (on-stack
   * replacement), and code after it that had not run yet made that code deoptimize later.
   */
  private appendAll(
    req: IngestRequest,
    app: KeyedAppender,
  ): {
    accepted: number;
    refused: Map<string, number>;
    firstRefusal: string | undefined;
    liveOut: LiveSeries[];
  } {
    const stats = this.jobs.statsOf(req.jobId);
    const refused = new Map<string, number>();
    let firstRefusal: string | undefined;
    let accepted = 0;
    const watched = this.live.hasListeners(req.jobId);
    const liveOut: LiveSeries[] = [];
    for (const s of req.series) {
      const key = (s.key ??= labelsKey(s.labels));
      const stat = s.stat?.owner === stats ? s.stat : stats.get(key);
      let ref = stat?.ref;
      let lastT = stat ? stat.lastTimestampMs : -Infinity;
      const live: LiveSeries | undefined = watched
        ? { labels: s.labels, timestampsMs: [], values: [] }
        : undefined;
      const { timestampsMs, values } = s;
      const end = s.end ?? values.length;
      let stored = 0;
      let lastV = 0;
      // Remote write's typed arrays go in as runs (one call, no boxed numbers per sample); the
      // sample a run stops at, and every sample of other paths, go one by one below.
      const runs =
        app.appendRunByRef !== undefined &&
        !req.serverTimestamps &&
        live === undefined &&
        timestampsMs instanceof Float64Array &&
        values instanceof Float64Array;
      for (let i = s.start ?? 0; i < end; i++) {
        if (runs && ref !== undefined) {
          const k = appendRun(app, ref, timestampsMs, values, i, end);
          if (k > 0) {
            stored += k;
            i += k;
            lastT = timestampsMs[i - 1]!;
            lastV = values[i - 1]!;
            if (i === end) break;
          }
        }
        let t = timestampsMs[i]!;
        const v = values[i]!;
        if (req.serverTimestamps && t <= lastT) t = lastT + 1;
        try {
          ref = appendOne(app, ref, s.labels, key, t, v);
        } catch (err) {
          const reason = refusalReason(err);
          if (reason === undefined) {
            app.rollback();
            throw err;
          }
          refused.set(reason, (refused.get(reason) ?? 0) + 1);
          firstRefusal ??= (err as Error).message;
          continue;
        }
        stored++;
        lastT = t;
        lastV = v;
        if (live) {
          live.timestampsMs.push(t);
          live.values.push(v);
        }
      }
      // Accepted samples only ever move forward, so the last one is the series' newest.
      if (stored > 0) s.stat = stats.record(key, s.labels, lastT, lastV, ref, stat);
      accepted += stored;
      if (live && live.values.length > 0) liveOut.push(live);
    }
    return { accepted, refused, firstRefusal, liveOut };
  }
}

/**
 * An appender that may take the series' precomputed `labelsKey` (`@tally/tsdb`'s does; one that
 * ignores the extra argument computes the key itself, so passing it is always safe).
 */
interface KeyedAppender extends Appender {
  append(labels: Labels, timestampMs: number, value: number, key?: string): number;
  /** `@tally/tsdb`'s bulk append: how many of samples [from, to) it took, in order. */
  appendRunByRef?(ref: number, ts: Float64Array, vs: Float64Array, from: number, to: number): number;
}

/** Samples from `from` on through the appender's bulk path; 0 when the ref is gone (the one-by-one path re-creates it). */
function appendRun(
  app: KeyedAppender,
  ref: number,
  ts: Float64Array,
  vs: Float64Array,
  from: number,
  to: number,
): number {
  try {
    return app.appendRunByRef!(ref, ts, vs, from, to);
  } catch (err) {
    if (err instanceof UnknownSeriesRefError) return 0;
    app.rollback();
    throw err;
  }
}

function appendOne(
  app: KeyedAppender,
  ref: number | undefined,
  labels: Labels,
  key: string,
  t: number,
  v: number,
): number {
  if (ref !== undefined) {
    try {
      app.appendByRef(ref, t, v);
      return ref;
    } catch (err) {
      if (!(err instanceof UnknownSeriesRefError)) throw err;
    }
  }
  return app.append(labels, t, v, key);
}

function refusalReason(err: unknown): string | undefined {
  if (err instanceof OutOfOrderSampleError) return 'out_of_order';
  if (err instanceof DuplicateSampleError) return 'duplicate';
  if (err instanceof OutOfBoundsSampleError) return 'out_of_bounds';
  if (err instanceof InvalidLabelsError) return 'invalid_labels';
  if (err instanceof FutureSampleError) return 'too_far_in_the_future';
  if (err instanceof InvalidTimestampError) return 'invalid_timestamp';
  return undefined;
}
