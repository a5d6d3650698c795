import { labelsFromRecord, labelsKey, parseExposition, STALE_NAN, type Labels } from '@tally/model';
import type { ScrapeTargetConfig } from './scrape-config.js';
import { fetchExposition, ScrapeError } from './fetch-exposition.js';
import { attachTargetLabels, instanceOf, type ScrapedSample } from './target-labels.js';

/** One series' samples to store. */
export interface ScrapeSeries {
  readonly labels: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

/** Where a scrape's samples go (the server's ingest pipeline). Throwing fails the scrape. */
export type ScrapeSink = (jobId: string, series: ScrapeSeries[]) => Promise<void>;

export interface ScrapeResult {
  readonly up: boolean;
  readonly error: string | undefined;
  readonly samplesScraped: number;
  readonly durationSeconds: number;
  readonly staleMarkers: number;
}

/**
 * Scrapes one target on its interval, like a Prometheus scrape loop: every scrape writes the
 * samples plus `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
 * `scrape_samples_post_metric_relabeling` and `scrape_series_added`, all at the scrape's start
 * time; a series the previous scrape had and this one lacks gets a stale marker, and so does
 * every series of the previous scrape when this one fails (Prometheus scrape/scrape.go). When
 * the target is removed (`stop({ stale: true })`) its series, report series included, are
 * marked stale. Samples with exposed timestamps are stored as given and never marked stale.
 */
export class ScrapeLoop {
  readonly instance: string;
  private readonly targetLabels: Record<string, string>;
  private previous = new Map<string, Labels>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  lastResult: ScrapeResult | undefined;

  constructor(
    readonly jobId: string,
    readonly config: ScrapeTargetConfig,
    private readonly sink: ScrapeSink,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.instance = instanceOf(config.url);
    this.targetLabels = { ...config.labels, job: jobId, instance: this.instance };
  }

  /** Starts scraping after a random offset within the interval (spreads targets, as Prometheus does). */
  start(): void {
    const tick = (): void => {
      if (this.stopped) return;
      const startedAt = Date.now();
      this.running = this.scrapeOnce(startedAt).catch(this.onError);
      void this.running.then(() => {
        const delayMs = Math.max(0, this.config.intervalMs - (Date.now() - startedAt));
        if (!this.stopped) this.timer = setTimeout(tick, delayMs);
      });
    };
    this.timer = setTimeout(tick, Math.floor(Math.random() * this.config.intervalMs));
  }

  /** One scrape, stored; never throws for a target's failure (that is `up` 0). */
  async scrapeOnce(nowMs = Date.now()): Promise<ScrapeResult> {
    const startedAt = performance.now();
    let samples: ScrapedSample[] = [];
    let error: string | undefined;
    try {
      const { body, contentType } = await fetchExposition(
        this.config.url,
        this.config.timeoutMs,
        this.config.bodySizeLimitBytes,
      );
      const limit = this.config.sampleLimit;
      const families = parseExposition(body, contentType, limit > 0 ? { maxSamples: limit + 1 } : {});
      samples = attachTargetLabels(families, this.targetLabels, this.config.honorLabels);
      if (limit > 0 && samples.length > limit)
        throw new ScrapeError(`sample limit exceeded (limit: ${limit})`);
    } catch (err) {
      error = err instanceof ScrapeError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
      samples = [];
    }
    const durationSeconds = (performance.now() - startedAt) / 1000;
    const up = error === undefined;
    const series = new Map<string, ScrapeSeries>();
    const current = new Map<string, Labels>();
    const put = (labels: Labels, t: number, v: number): void => {
      const key = labelsKey(labels);
      let s = series.get(key);
      if (!s) series.set(key, (s = { labels, timestampsMs: [], values: [] }));
      s.timestampsMs.push(t);
      s.values.push(v);
    };
    for (const s of samples) {
      put(s.labels, s.timestampMs ?? nowMs, s.value);
      if (s.timestampMs === undefined) current.set(labelsKey(s.labels), s.labels);
    }
    let added = 0;
    for (const key of current.keys()) if (!this.previous.has(key)) added++;
    let staleMarkers = 0;
    for (const [key, labels] of this.previous) {
      if (current.has(key)) continue;
      put(labels, nowMs, STALE_NAN);
      staleMarkers++;
    }
    for (const [name, value] of this.reportSeries(up, durationSeconds, samples.length, added)) {
      put(labelsFromRecord({ ...this.targetLabels, __name__: name }), nowMs, value);
    }
    this.previous = current;
    const result = { up, error, samplesScraped: samples.length, durationSeconds, staleMarkers };
    this.lastResult = result;
    await this.sink(this.jobId, [...series.values()]);
    return result;
  }

  private reportSeries(
    up: boolean,
    durationSeconds: number,
    scraped: number,
    added: number,
  ): [string, number][] {
    return [
      ['up', up ? 1 : 0],
      ['scrape_duration_seconds', durationSeconds],
      ['scrape_samples_scraped', scraped],
      ['scrape_samples_post_metric_relabeling', scraped],
      ['scrape_series_added', added],
    ];
  }

  /** Stops the loop; with `stale`, the target is gone: its series and report series get stale markers. */
  async stop(opts: { stale: boolean } = { stale: false }, nowMs = Date.now()): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!opts.stale) return;
    const series: ScrapeSeries[] = [...this.previous.values()].map((labels) => ({
      labels,
      timestampsMs: [nowMs],
      values: [STALE_NAN],
    }));
    for (const [name] of this.reportSeries(false, 0, 0, 0)) {
      series.push({
        labels: labelsFromRecord({ ...this.targetLabels, __name__: name }),
        timestampsMs: [nowMs],
        values: [STALE_NAN],
      });
    }
    this.previous = new Map();
    await this.sink(this.jobId, series);
  }
}
