import { formatGoFloat } from '../http/go-float.js';

type LabelValues = Readonly<Record<string, string>>;

/** A labelled counter of the server's own activity. */
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

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const { labels, value } of this.values.values())
      out += `${this.name}${renderLabels(labels)} ${formatGoFloat(value)}\n`;
    return out;
  }
}

function renderLabels(labels: LabelValues): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

/**
 * Tally's own metrics, appended to `GET /metrics` after the pushed groups (`tally_` prefix, so
 * they never collide with a pushed family a user would scrape with honor_labels).
 */
export class SelfMetrics {
  readonly samplesIngested = new SelfCounter(
    'tally_samples_ingested_total',
    'Samples written to storage, by ingest path.',
  );
  readonly samplesRefused = new SelfCounter(
    'tally_samples_refused_total',
    'Samples the store refused (out of order, duplicate, too old), by ingest path and reason.',
  );
  readonly refusedRequests = new SelfCounter(
    'tally_ingest_requests_refused_total',
    'Ingest requests refused as a whole, by ingest path and reason.',
  );
  readonly pushes = new SelfCounter(
    'tally_pushes_total',
    'Pushgateway API requests, by method and HTTP status code.',
  );
  readonly statsdLines = new SelfCounter('tally_statsd_lines_received_total', 'StatsD lines received.');
  readonly statsdLinesRefused = new SelfCounter(
    'tally_statsd_lines_refused_total',
    'StatsD lines refused, by reason (malformed, unattributed, unknown_job, strict, limit).',
  );
  readonly statsdPackets = new SelfCounter(
    'tally_statsd_packets_received_total',
    'StatsD UDP packets received.',
  );
  readonly httpRequests = new SelfCounter(
    'tally_http_requests_total',
    'HTTP requests, by handler and status code.',
  );
  private readonly gauges: (() => string)[] = [];

  /** Adds a gauge computed at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push(
      () => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${formatGoFloat(read())}\n`,
    );
  }

  render(): string {
    return (
      [
        this.samplesIngested,
        this.samplesRefused,
        this.refusedRequests,
        this.pushes,
        this.statsdPackets,
        this.statsdLines,
        this.statsdLinesRefused,
        this.httpRequests,
      ]
        .map((c) => c.render())
        .join('') + this.gauges.map((g) => g()).join('')
    );
  }
}
