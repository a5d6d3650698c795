import { labelsFromRecord, parseStatsdPacket } from '@tally/model';
import { HttpError } from '../../http/http-error.js';
import { declarableNames } from '../../jobs/metric-metadata.js';
import { seriesProblem } from '../../limits/check-series.js';
import type { ServerParts } from '../../server.js';
import { StatsdAggregator, statsdKey } from './statsd-aggregator.js';
import { statsdMetricName } from './statsd-name.js';

/** Where a listener hands what it received. */
export interface StatsdLineSink {
  /** A datagram, or a chunk of whole lines from TCP (`\n`-separated). Never throws. */
  handle(lines: Buffer): void;
  /** Counts `n` lines refused before parsing (e.g. too long). */
  refuse(reason: string, n?: number): void;
}

/** Series a histogram adds to storage: one per bucket, +Inf, _sum and _count. */
const HISTOGRAM_SERIES = 14;

/**
 * What both StatsD listeners (UDP datagrams, TCP lines) feed: parses lines with `@tally/model`'s
 * parser, attributes every event to a job (the `job` tag, else gradient-statsd's
 * `container_name`), labels it with this instance's name, aggregates, and flushes to storage
 * every `--statsd-flush-interval`. Lines that are malformed or cannot be attributed are refused
 * and counted by reason on /metrics; nothing a client sends can throw out of {@link handle}.
 */
export class StatsdIngest implements StatsdLineSink {
  private readonly agg = new StatsdAggregator();
  private flushing = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param instanceName the `instance` label of every series this ingest writes; settable until
   * the first line arrives (a listener on port 0 learns its port only once bound).
   */
  constructor(
    private readonly parts: ServerParts,
    public instanceName: string,
  ) {
    parts.jobs.onDelete.push((jobId) => this.agg.forgetJob(jobId));
  }

  refuse(reason: string, n = 1): void {
    this.parts.metrics.statsdLinesRefused.inc({ reason }, n);
  }

  handle(lines: Buffer): void {
    try {
      this.handleLines(lines);
    } catch (err) {
      this.refuse('internal');
      this.parts.log.error('StatsD packet handling failed', { err });
    }
  }

  private handleLines(packet: Buffer): void {
    const { config, jobs, metrics } = this.parts;
    const nowMs = Date.now();
    const parsed = parseStatsdPacket(packet);
    let lines = 0;
    for (let i = 0; i < packet.length; i++) if (packet[i] === 10) lines++;
    if (packet.length > 0 && packet[packet.length - 1] !== 10) lines++;
    metrics.statsdLines.inc({}, lines);
    for (const e of parsed.errors) if (e.kind === 'sample') this.refuse(`malformed_${e.reason}`);
    for (const ev of parsed.events) {
      const { job: jobTag, container_name: container, ...rest } = ev.labels;
      const jobId = jobTag ?? container;
      if (jobId === undefined) {
        this.refuse('unattributed');
        continue;
      }
      const name = statsdMetricName(ev.name);
      if (name === undefined) {
        this.refuse('invalid_name');
        continue;
      }
      let job;
      try {
        job = jobs.resolveForIngest(jobId, nowMs);
      } catch (err) {
        this.refuse(err instanceof HttpError && err.status === 404 ? 'unknown_job' : 'invalid_job');
        continue;
      }
      if (job.strict && !declarableNames(name).some((n) => job.declaredMetrics.includes(n))) {
        this.refuse('strict');
        continue;
      }
      const labelRecord = withInstance(rest, this.instanceName);
      labelRecord.job = jobId;
      const labels = labelsFromRecord({ ...labelRecord, __name__: name });
      const key = statsdKey(name, labels);
      const kind = ev.type === 'observer' ? 'histogram' : ev.type;
      const existing = this.agg.kindOf(jobId, name);
      if (existing !== undefined && existing !== kind) {
        this.refuse('type_conflict');
        continue;
      }
      if (!this.agg.has(jobId, key)) {
        if (seriesProblem(labels, config.limits) !== undefined) {
          this.refuse('limit');
          continue;
        }
        const adds = kind === 'histogram' ? HISTOGRAM_SERIES : 1;
        if (
          jobs.statsOf(jobId).seriesCount + this.agg.seriesOf(jobId) + adds >
          config.limits.maxSeriesPerJob
        ) {
          this.refuse('limit');
          continue;
        }
      }
      this.agg.apply(jobId, key, name, labelRecord, ev, nowMs);
    }
  }

  /** Writes the aggregated state to storage (one ingest per job). */
  async flush(): Promise<void> {
    const { ingester, log, config } = this.parts;
    const nowMs = Date.now();
    for (const [jobId, batch] of this.agg.flush(nowMs, config.statsdSeriesTtlMs)) {
      try {
        await ingester.ingest(
          { jobId, series: batch.series, metadata: batch.metadata, serverTimestamps: true, source: 'statsd' },
          nowMs,
        );
      } catch (err) {
        log.warn('StatsD flush refused for a job', { job: jobId, err });
      }
    }
  }

  /** Flushes every `--statsd-flush-interval`, one flush at a time. */
  startFlushing(): void {
    this.timer = setInterval(() => {
      this.flushing = this.flushing.then(() => this.flush());
    }, this.parts.config.statsdFlushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and flushes what is held (listeners must be closed first). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }
}

/**
 * The tags as labels with `instance` set to this instance's name. A client's own `instance`
 * tag is kept as `exported_instance` — what Prometheus does (honor_labels: false) when it
 * scrapes statsd_exporter — so two instances never write the same series.
 */
export function withInstance(
  tags: Readonly<Record<string, string>>,
  instanceName: string,
): Record<string, string> {
  const out: Record<string, string> = { ...tags };
  const clientInstance = out.instance;
  if (clientInstance !== undefined) {
    let name = 'exported_instance';
    while (out[name] !== undefined) name = 'exported_' + name;
    out[name] = clientInstance;
  }
  out.instance = instanceName;
  return out;
}
