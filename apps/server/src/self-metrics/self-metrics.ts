import { labelsFromRecord, type MetricFamily } from '@tally/model';

type LabelValues = Readonly<Record<string, string>>;

/** A labelled counter of the server's own activity. `name` is the family name (no `_total`). */
export class SelfCounter {
  private readonly values = new Map<string, { labels: LabelValues; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: LabelValues = {}, by = 1): void {
    const key = JSON.stringify(labels);
    const e = this.values.get(key);
    if (e) e.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: LabelValues = {}): number {
    return this.values.get(JSON.stringify(labels))?.value ?? 0;
  }

  family(): MetricFamily {
    return {
      name: this.name,
      type: 'counter',
      help: this.help,
      samples: [...this.values.values()].map(({ labels, value }) => ({
        name: `${this.name}_total`,
        labels: labelsFromRecord(labels),
        value,
      })),
    };
  }
}

/**
 * Tally's own metrics, exposed on `GET /metrics` after the pushed groups (`tally_` prefix, so
 * they never collide with a pushed family a user would scrape with honor_labels).
 */
export class SelfMetrics {
  readonly samplesIngested = new SelfCounter(
    'tally_samples_ingested',
    'Samples written to storage, by ingest path.',
  );
  readonly samplesRefused = new SelfCounter(
    'tally_samples_refused',
    'Samples the store refused (out of order, duplicate, too old), by ingest path and reason.',
  );
  readonly refusedRequests = new SelfCounter(
    'tally_ingest_requests_refused',
    'Ingest requests refused as a whole, by ingest path and reason.',
  );
  readonly pushes = new SelfCounter(
    'tally_pushes',
    'Pushgateway API requests, by method and HTTP status code.',
  );
  readonly statsdPackets = new SelfCounter('tally_statsd_packets_received', 'StatsD UDP packets received.');
  readonly statsdLines = new SelfCounter('tally_statsd_lines_received', 'StatsD lines received.');
  readonly statsdLinesRefused = new SelfCounter(
    'tally_statsd_lines_refused',
    'StatsD lines (or samples of a multi-value line) refused, by reason: malformed_<parser reason>, unattributed, invalid_name, invalid_job, unknown_job, strict, type_conflict, limit; over TCP also line_too_long, truncated_line, tcp_connection_limit.',
  );
  private readonly gauges: { name: string; help: string; read: () => number }[] = [];

  /** Adds a gauge computed at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push({ name, help, read });
  }

  families(): MetricFamily[] {
    const counters = [
      this.samplesIngested,
      this.samplesRefused,
      this.refusedRequests,
      this.pushes,
      this.statsdPackets,
      this.statsdLines,
      this.statsdLinesRefused,
    ];
    return [
      ...counters.map((c) => c.family()),
      ...this.gauges.map((g) => ({
        name: g.name,
        type: 'gauge' as const,
        help: g.help,
        samples: [{ name: g.name, labels: [], value: g.read() }],
      })),
    ];
  }
}
