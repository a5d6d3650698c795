import {
  labelsFromRecord,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_TEXT_CONTENT_TYPE,
  openMetricsFamily,
  prometheusTextFamily,
  type ExpositionFormat,
  type MetricFamily,
} from '@tally/model';
import { metricFamily } from '../exposition/metric-family.js';
import type { DefaultLabels } from '../exposition/series-layout.js';
import { writeMetric, type AnyMetric } from '../exposition/write-metric.js';
import type { Metric } from '../metrics/metric.js';
import type { MetricValues } from '../metrics/metric-values.js';
import type { Series } from '../metrics/series.js';
import { droppedSeriesFamily } from './dropped-series.js';

export type RegistryContentType = typeof PROMETHEUS_TEXT_CONTENT_TYPE | typeof OPENMETRICS_CONTENT_TYPE;

/** Serialising yields to the event loop after this many series (between families). */
const SERIES_PER_SLICE = 2_000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A set of metrics exposed together: the default `register` or one of your own. `metrics()`
 * writes them in the registry's content type (Prometheus text 0.0.4 by default, or OpenMetrics);
 * `collect()` gives them as `MetricFamily` objects.
 */
export class Registry {
  static readonly PROMETHEUS_CONTENT_TYPE = PROMETHEUS_TEXT_CONTENT_TYPE;
  static readonly OPENMETRICS_CONTENT_TYPE = OPENMETRICS_CONTENT_TYPE;

  private readonly byName = new Map<string, AnyMetric>();
  private defaults: DefaultLabels = [];
  private defaultRecord: Readonly<Record<string, string>> = {};
  private type: RegistryContentType;

  constructor(contentType: RegistryContentType = PROMETHEUS_TEXT_CONTENT_TYPE) {
    this.type = checkContentType(contentType);
  }

  get contentType(): RegistryContentType {
    return this.type;
  }

  setContentType(contentType: RegistryContentType): void {
    this.type = checkContentType(contentType);
  }

  /** Adds a metric; a different metric with the same name is an error (the same one is a no-op). */
  registerMetric(metric: Metric<string, Series>): void {
    const existing = this.byName.get(metric.name);
    if (existing !== undefined && existing !== metric) {
      throw new Error(`A metric with the name ${metric.name} has already been registered.`);
    }
    this.byName.set(metric.name, metric as unknown as AnyMetric);
  }

  getMetricsAsArray(): AnyMetric[] {
    return [...this.byName.values()];
  }

  /** The metric of that name; a Tally counter is found by its name with or without `_total`. */
  getSingleMetric(name: string): AnyMetric | undefined {
    return this.byName.get(name) ?? (name.endsWith('_total') ? this.counterNamed(name) : undefined);
  }

  private counterNamed(name: string): AnyMetric | undefined {
    const m = this.byName.get(name.slice(0, -'_total'.length));
    return m?.type === 'counter' && m._textSampleName === name ? m : undefined;
  }

  removeSingleMetric(name: string): void {
    const m = this.getSingleMetric(name);
    if (m !== undefined) this.byName.delete(m.name);
  }

  /** Removes every metric and the default labels (prom-client's `clear`). */
  clear(): void {
    this.byName.clear();
    this.setDefaultLabels({});
  }

  /** Resets every metric: labelled series removed, unlabelled values back to zero. */
  resetMetrics(): void {
    for (const m of this.byName.values()) m.reset();
  }

  /** Labels added to every series this registry exposes (a series' own label wins). */
  setDefaultLabels(labels: Readonly<Record<string, string | number>>): void {
    const record: Record<string, string> = {};
    for (const [name, value] of Object.entries(labels)) record[name] = String(value);
    this.defaultRecord = Object.freeze(record);
    this.defaults = Object.freeze(labelsFromRecord(record));
  }

  getDefaultLabels(): Readonly<Record<string, string>> {
    return this.defaultRecord;
  }

  /**
   * Every metric in the exposition format (default: this registry's content type). Runs each
   * metric's `collect` hook first; yields to the event loop between families every
   * {@link SERIES_PER_SLICE} series, so a large registry does not hold the loop.
   */
  async metrics(format: ExpositionFormat = this.format()): Promise<string> {
    await this.runCollectHooks();
    let out = '';
    let sinceYield = 0;
    for (const metric of this.byName.values()) {
      out += writeMetric(metric, format, this.defaults);
      sinceYield += metric.seriesSize;
      if (sinceYield >= SERIES_PER_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
    const dropped = droppedSeriesFamily(this.byName.values(), this.defaults);
    if (dropped !== undefined) {
      out += format === 'openmetrics' ? openMetricsFamily(dropped) : prometheusTextFamily(dropped);
    }
    return format === 'openmetrics' ? `${out}# EOF\n` : out;
  }

  /**
   * Runs every `collect` hook before any family is written, so a hook that sets other metrics
   * (the CPU counters, say) is seen by all of them in the same scrape.
   */
  private async runCollectHooks(): Promise<void> {
    for (const metric of this.byName.values()) {
      const pending = metric._collect();
      if (pending !== undefined) await pending;
    }
  }

  /** Every metric as a `MetricFamily`, after the `collect` hooks ran. */
  async collect(): Promise<MetricFamily[]> {
    await this.runCollectHooks();
    const families: MetricFamily[] = [];
    for (const metric of this.byName.values()) families.push(metricFamily(metric, this.defaults));
    const dropped = droppedSeriesFamily(this.byName.values(), this.defaults);
    if (dropped !== undefined) families.push(dropped);
    return families;
  }

  /** One metric in the registry's format (no `# EOF`), as prom-client's `getSingleMetricAsString`. */
  async getSingleMetricAsString(name: string): Promise<string> {
    const metric = this.getSingleMetric(name);
    if (metric === undefined) throw new Error(`no metric named ${name} in this registry`);
    const pending = metric._collect();
    if (pending !== undefined) await pending;
    return writeMetric(metric, this.format(), this.defaults);
  }

  /** prom-client's JSON form: `get()` of every metric, default labels added. */
  async getMetricsAsJSON(): Promise<MetricValues[]> {
    const out: MetricValues[] = [];
    for (const metric of this.byName.values()) {
      const values = await metric.get();
      for (const v of values.values) v.labels = { ...this.defaultRecord, ...v.labels };
      out.push(values);
    }
    return out;
  }

  private format(): ExpositionFormat {
    return this.type === OPENMETRICS_CONTENT_TYPE ? 'openmetrics' : 'prometheus';
  }

  /** One registry holding the metrics of all (prom-client's `Registry.merge`); names must not clash. */
  static merge(registries: readonly Registry[]): Registry {
    const first = registries[0];
    if (first === undefined) return new Registry();
    for (const r of registries) {
      if (r.contentType !== first.contentType)
        throw new Error('Registries can only be merged if they have the same content type');
    }
    const merged = new Registry(first.contentType);
    for (const r of registries) for (const m of r.byName.values()) merged.registerMetric(m);
    return merged;
  }
}

function checkContentType(contentType: string): RegistryContentType {
  if (contentType !== PROMETHEUS_TEXT_CONTENT_TYPE && contentType !== OPENMETRICS_CONTENT_TYPE) {
    throw new TypeError(
      `Content type ${contentType} is unsupported (use Registry.PROMETHEUS_CONTENT_TYPE or Registry.OPENMETRICS_CONTENT_TYPE)`,
    );
  }
  return contentType;
}
