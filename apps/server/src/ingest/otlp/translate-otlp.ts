import {
  isSeedName,
  labelsFromRecord,
  labelsKey,
  STALE_NAN,
  type Labels,
  type MetricType,
} from '@tally/model';
import type { MetricMetadata } from '../../jobs/metric-metadata.js';
import { buildLabelName, PROMETHEUS_OTLP_LABELS, type LabelNamerOptions } from './otlp-label-namer.js';
import {
  buildMetricName,
  buildUnitName,
  PROMETHEUS_OTLP_DEFAULT,
  type MetricNamerOptions,
  type OtlpMetricType,
} from './otlp-metric-namer.js';
import {
  FLAG_NO_RECORDED_VALUE,
  type Attribute,
  type AttributeValue,
  type OtlpMetric,
  type ResourceMetrics,
} from './otlp-model.js';

export interface OtlpTranslateOptions {
  readonly metricNamer?: MetricNamerOptions;
  readonly labelNamer?: LabelNamerOptions;
  /** Used for points without a timestamp. */
  readonly nowMs: number;
}

/** One series' samples, in time order. */
export interface TranslatedSeries {
  readonly labels: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

export interface TranslatedJob {
  readonly series: TranslatedSeries[];
  readonly metadata: Map<string, MetricMetadata>;
}

export interface OtlpTranslation {
  readonly byJob: Map<string, TranslatedJob>;
  readonly acceptedPoints: number;
  readonly rejectedPoints: number;
  /** Why points were rejected, one line per distinct reason (at most 20). */
  readonly errors: string[];
}

const RESOURCE_IDENTITY = new Set(['service.name', 'service.namespace', 'service.instance.id']);

/**
 * OTLP metrics to Prometheus series, following Prometheus' OTLP receiver: names and labels by
 * otlptranslator's rules (UnderscoreEscapingWithSuffixes), `job` from `service.namespace/
 * service.name`, `instance` from `service.instance.id`, the other resource attributes on a
 * `target_info` series, explicit-bucket histograms as `_bucket{le}`/`_sum`/`_count`, summaries as
 * `{quantile}`/`_sum`/`_count`, "no recorded value" points as stale markers. Every series must
 * be attributed to a Tally job (the seed rule `[A-Za-z0-9_-]+`). Delta temporality is refused,
 * as Prometheus' receiver does by default: a delta point is a difference since the previous
 * export and Tally keeps no per-exporter state to add them up; exponential histograms are refused
 * because Tally stores no native histograms. Refused points are counted and explained; the rest
 * of the request goes in.
 */
export function translateOtlp(
  resources: readonly ResourceMetrics[],
  opts: OtlpTranslateOptions,
): OtlpTranslation {
  const t = new Translation(opts);
  for (const rm of resources) t.resource(rm);
  return t.result();
}

class Translation {
  private readonly byJob = new Map<
    string,
    { series: Map<string, TranslatedSeries>; metadata: Map<string, MetricMetadata> }
  >();
  private readonly errors = new Map<string, number>();
  private accepted = 0;
  private rejected = 0;
  private readonly metricNamer: MetricNamerOptions;
  private readonly labelNamer: LabelNamerOptions;

  constructor(private readonly opts: OtlpTranslateOptions) {
    this.metricNamer = opts.metricNamer ?? PROMETHEUS_OTLP_DEFAULT;
    this.labelNamer = opts.labelNamer ?? PROMETHEUS_OTLP_LABELS;
  }

  private reject(points: number, why: string): void {
    this.rejected += points;
    this.errors.set(why, (this.errors.get(why) ?? 0) + points);
  }

  resource(rm: ResourceMetrics): void {
    const attr = (key: string): string | undefined => {
      const a = rm.resource.find((x) => x.key === key);
      return a?.value === undefined ? undefined : attributeString(a.value);
    };
    const serviceName = attr('service.name');
    const namespace = attr('service.namespace');
    const job =
      serviceName !== undefined && serviceName !== ''
        ? namespace
          ? `${namespace}/${serviceName}`
          : serviceName
        : undefined;
    const identity: Record<string, string> = {};
    if (job !== undefined) identity.job = job;
    const instance = attr('service.instance.id');
    if (instance) identity.instance = instance;
    let latestMs = -Infinity;
    const jobsSeen = new Set<string>();
    for (const scope of rm.scopes) {
      for (const m of scope.metrics) {
        const r = this.metric(m, identity);
        latestMs = Math.max(latestMs, r.latestMs);
        for (const j of r.jobs) jobsSeen.add(j);
      }
    }
    // target_info: the resource's other attributes, once per resource (Prometheus' receiver).
    const info = rm.resource.filter((a) => !RESOURCE_IDENTITY.has(a.key));
    if (info.length > 0 && job !== undefined && jobsSeen.has(job) && latestMs > -Infinity) {
      const record = this.attributeLabels(info);
      if (record) {
        const labels = labelsFromRecord({ ...record, ...identity, __name__: 'target_info' });
        this.add(job, labels, latestMs, 1, 'target_info', {
          type: 'gauge',
          help: 'Target metadata',
          unit: '',
        });
      }
    }
  }

  private metric(m: OtlpMetric, identity: Record<string, string>): { latestMs: number; jobs: Set<string> } {
    const out = { latestMs: -Infinity, jobs: new Set<string>() };
    const d = m.data;
    const what = `metric ${JSON.stringify(m.name)}`;
    switch (d.kind) {
      case 'none':
        this.reject(1, `${what} has no data (gauge, sum, histogram or summary)`);
        return out;
      case 'exponential_histogram':
        this.reject(
          d.pointCount,
          `${what}: exponential histograms are not supported (Tally stores no native histograms); use explicit-bucket histograms`,
        );
        return out;
      case 'sum':
      case 'histogram':
        if (d.temporality !== 2) {
          const t = d.temporality === 1 ? 'delta' : 'unspecified';
          this.reject(
            d.points.length,
            `${what}: ${t} aggregation temporality is not supported; configure the exporter for cumulative temporality (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative)`,
          );
          return out;
        }
    }
    const type: OtlpMetricType =
      d.kind === 'sum' ? (d.monotonic ? 'monotonic_counter' : 'non_monotonic_counter') : d.kind;
    let name: string;
    try {
      name = buildMetricName(m.name, m.unit, type, this.metricNamer);
    } catch (err) {
      this.reject(d.points.length, `${what}: ${(err as Error).message}`);
      return out;
    }
    const promType: MetricType =
      type === 'monotonic_counter' ? 'counter' : type === 'non_monotonic_counter' ? 'gauge' : type;
    const family = promType === 'counter' ? name.replace(/_total$/, '') : name;
    // The unit as the name's suffix spells it (Prometheus' OTLP receiver does the same).
    const meta: MetricMetadata = { type: promType, help: m.description, unit: buildUnitName(m.unit, false) };
    const time = (ms: number): number => (ms > 0 ? ms : this.opts.nowMs);
    const value = (flags: number, v: number): number =>
      (flags & FLAG_NO_RECORDED_VALUE) !== 0 ? STALE_NAN : v;
    /** The point's labels without `__name__`, or undefined (rejected, counted) when it has no valid job. */
    const base = (attrs: Attribute[]): Record<string, string> | undefined => {
      const record = this.attributeLabels(attrs);
      if (!record) return undefined;
      Object.assign(record, identity);
      const job = record.job;
      if (job === undefined) {
        this.reject(
          1,
          `${what}: no job: set the resource attribute service.name (OTEL_SERVICE_NAME) to the Tally job id`,
        );
        return undefined;
      }
      if (!isSeedName(job)) {
        this.reject(
          1,
          `${what}: job ${JSON.stringify(job)} (from service.namespace/service.name) is not a valid Tally job id: letters, digits, "_" and "-" only`,
        );
        return undefined;
      }
      out.jobs.add(job);
      return record;
    };
    const emit = (
      b: Record<string, string>,
      sampleName: string,
      extra: Record<string, string>,
      timeMs: number,
      v: number,
    ): void => {
      this.add(b.job!, labelsFromRecord({ ...b, ...extra, __name__: sampleName }), timeMs, v, family, meta);
      out.latestMs = Math.max(out.latestMs, timeMs);
    };
    if (d.kind === 'gauge' || d.kind === 'sum') {
      for (const p of d.points) {
        const b = base(p.attributes);
        if (!b) continue;
        emit(b, name, {}, time(p.timeMs), value(p.flags, p.value));
        this.accepted++;
      }
    } else if (d.kind === 'histogram') {
      for (const p of d.points) {
        if (p.bucketCounts.length !== 0 && p.bucketCounts.length !== p.explicitBounds.length + 1) {
          this.reject(
            1,
            `${what}: ${p.bucketCounts.length} bucket counts for ${p.explicitBounds.length} bounds (expected bounds + 1)`,
          );
          continue;
        }
        const b = base(p.attributes);
        if (!b) continue;
        const ts = time(p.timeMs);
        let cumulative = 0;
        for (let i = 0; i < p.explicitBounds.length; i++) {
          cumulative += p.bucketCounts[i] ?? 0;
          emit(
            b,
            `${name}_bucket`,
            { le: formatFloatF(p.explicitBounds[i]!) },
            ts,
            value(p.flags, cumulative),
          );
        }
        emit(b, `${name}_bucket`, { le: '+Inf' }, ts, value(p.flags, p.count));
        if (p.sum !== undefined) emit(b, `${name}_sum`, {}, ts, value(p.flags, p.sum));
        emit(b, `${name}_count`, {}, ts, value(p.flags, p.count));
        this.accepted++;
      }
    } else {
      for (const p of d.points) {
        const b = base(p.attributes);
        if (!b) continue;
        const ts = time(p.timeMs);
        for (const q of p.quantiles)
          emit(b, name, { quantile: formatFloatF(q.quantile) }, ts, value(p.flags, q.value));
        emit(b, `${name}_sum`, {}, ts, value(p.flags, p.sum));
        emit(b, `${name}_count`, {}, ts, value(p.flags, p.count));
        this.accepted++;
      }
    }
    return out;
  }

  /**
   * Attributes to label pairs: names by the label namer, values of attributes that map to the
   * same name joined with `;` in key order (Prometheus), empty values dropped. The caller's
   * job/instance/le/quantile and `__name__` override them. Undefined (rejected) on a bad name.
   */
  private attributeLabels(attrs: Attribute[]): Record<string, string> | undefined {
    const record: Record<string, string> = {};
    const sorted = [...attrs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const a of sorted) {
      if (a.value === undefined) continue;
      const value = attributeString(a.value);
      if (value === '') continue;
      let labelName: string;
      try {
        labelName = buildLabelName(a.key, this.labelNamer);
      } catch (err) {
        this.reject(1, `attribute ${JSON.stringify(a.key)}: ${(err as Error).message}`);
        return undefined;
      }
      record[labelName] = labelName in record ? `${record[labelName]};${value}` : value;
    }
    return record;
  }

  private add(
    job: string,
    labels: Labels,
    timeMs: number,
    value: number,
    family: string,
    meta: MetricMetadata,
  ): void {
    let j = this.byJob.get(job);
    if (!j) this.byJob.set(job, (j = { series: new Map(), metadata: new Map() }));
    const key = labelsKey(labels);
    let s = j.series.get(key);
    if (!s) j.series.set(key, (s = { labels, timestampsMs: [], values: [] }));
    s.timestampsMs.push(timeMs);
    s.values.push(value);
    j.metadata.set(family, meta);
  }

  result(): OtlpTranslation {
    const byJob = new Map<string, TranslatedJob>();
    for (const [job, j] of this.byJob) {
      const series = [...j.series.values()].map(sortByTime);
      byJob.set(job, { series, metadata: j.metadata });
    }
    const errors = [...this.errors]
      .slice(0, 20)
      .map(([why, n]) => `${n} data point${n === 1 ? '' : 's'}: ${why}`);
    return { byJob, acceptedPoints: this.accepted, rejectedPoints: this.rejected, errors };
  }
}

function sortByTime(s: TranslatedSeries): TranslatedSeries {
  let sorted = true;
  for (let i = 1; i < s.timestampsMs.length && sorted; i++)
    sorted = s.timestampsMs[i - 1]! <= s.timestampsMs[i]!;
  if (sorted) return s;
  const order = s.timestampsMs.map((_, i) => i).sort((a, b) => s.timestampsMs[a]! - s.timestampsMs[b]!);
  return {
    labels: s.labels,
    timestampsMs: order.map((i) => s.timestampsMs[i]!),
    values: order.map((i) => s.values[i]!),
  };
}

/** An attribute value as a label value (pcommon Value.AsString). */
export function attributeString(v: AttributeValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloatF(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(v, (_, x: unknown) =>
    x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x,
  );
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent (used for `le`, `quantile`). */
export function formatFloatF(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = String(f);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const digits = int! + frac;
  const exp = Number(expText);
  if (exp >= 0) {
    return exp + 1 >= digits.length
      ? sign! + digits.padEnd(exp + 1, '0')
      : `${sign!}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return `${sign!}0.${'0'.repeat(-exp - 1)}${digits}`;
}
