// Converts @tally/model families to the shape of prometheus/common's dto.MetricFamily (as the
// corpus JSON writes it), modelling expfmt's grouping: summary and histogram samples that share
// labels (without quantile/le) form one Metric, whose timestamp is the last one seen.
import type { MetricFamily } from '../src/index.js';
import { parseFloatToken } from '../src/index.js';

export interface DtoMetric {
  labels: Record<string, string>;
  timestampMs?: number;
  value?: number;
  count?: number;
  sum?: number;
  quantiles?: [number, number][];
  buckets?: [number, number][];
}
export interface DtoFamily {
  name: string;
  help?: string;
  type: string;
  metrics: DtoMetric[];
}

const TYPE: Record<string, string> = {
  counter: 'COUNTER',
  gauge: 'GAUGE',
  summary: 'SUMMARY',
  histogram: 'HISTOGRAM',
  gaugehistogram: 'GAUGE_HISTOGRAM',
  unknown: 'UNTYPED',
};

export function toDto(f: MetricFamily): DtoFamily {
  const out: DtoFamily = { name: f.name, type: TYPE[f.type]!, metrics: [] };
  if (f.help !== undefined) out.help = f.help;
  if (f.type === 'counter' && f.samples.every((s) => s.name === `${f.name}_total`))
    out.name = `${f.name}_total`;
  const grouped = f.type === 'summary' || f.type === 'histogram' || f.type === 'gaugehistogram';
  const bound = f.type === 'summary' ? 'quantile' : 'le';
  const byKey = new Map<string, DtoMetric>();
  for (const s of f.samples) {
    const labels: Record<string, string> = {};
    for (const l of s.labels) if (!grouped || l.name !== bound) labels[l.name] = l.value;
    if (!grouped) {
      const m: DtoMetric = { labels, value: s.value };
      if (s.timestampMs !== undefined) m.timestampMs = s.timestampMs;
      out.metrics.push(m);
      continue;
    }
    const key = JSON.stringify(Object.entries(labels).sort());
    let m = byKey.get(key);
    if (m === undefined) {
      m = { labels };
      byKey.set(key, m);
      out.metrics.push(m);
    }
    if (s.timestampMs !== undefined) m.timestampMs = s.timestampMs;
    const boundValue = s.labels.find((l) => l.name === bound)?.value;
    if (s.name === `${f.name}_count`) m.count = s.value;
    else if (s.name === `${f.name}_sum`) m.sum = s.value;
    else if (boundValue !== undefined) {
      const b = parseFloatToken(boundValue)!;
      if (!Number.isNaN(b)) (bound === 'le' ? (m.buckets ??= []) : (m.quantiles ??= [])).push([b, s.value]);
    }
  }
  return out;
}

/** A dto.MetricFamily as the corpus JSON writes it (NaN and infinities as strings). */
type JsonNumber = number | string;
export interface JsonFamily {
  name: string;
  help?: string;
  type: string;
  metric?: {
    label?: { name: string; value: string }[];
    timestampMs?: JsonNumber;
    counter?: { value: JsonNumber };
    gauge?: { value: JsonNumber };
    untyped?: { value: JsonNumber };
    summary?: {
      sampleCount?: JsonNumber;
      sampleSum?: JsonNumber;
      quantile?: { quantile: JsonNumber; value: JsonNumber }[];
    };
    histogram?: {
      sampleCount?: JsonNumber;
      sampleCountFloat?: JsonNumber;
      sampleSum?: JsonNumber;
      bucket?: { upperBound: JsonNumber; cumulativeCount?: JsonNumber; cumulativeCountFloat?: JsonNumber }[];
    };
  }[];
}

const num = (v: unknown): number =>
  typeof v === 'string' ? (v === 'NaN' ? NaN : v === '+Inf' ? Infinity : -Infinity) : (v as number);

/** The corpus's expected dto JSON in the same shape. */
export function expectedDto(f: JsonFamily): DtoFamily {
  const out: DtoFamily = { name: f.name, type: f.type, metrics: [] };
  if (f.help !== undefined) out.help = f.help;
  for (const m of f.metric ?? []) {
    const labels: Record<string, string> = {};
    for (const l of m.label ?? []) if (l.value !== '') labels[l.name] = l.value;
    const d: DtoMetric = { labels };
    if (m.timestampMs !== undefined) d.timestampMs = Number(m.timestampMs);
    const simple = m.counter ?? m.gauge ?? m.untyped;
    if (simple !== undefined) d.value = num(simple.value);
    if (m.summary !== undefined) {
      if (m.summary.sampleCount !== undefined) d.count = Number(m.summary.sampleCount);
      if (m.summary.sampleSum !== undefined) d.sum = num(m.summary.sampleSum);
      if (m.summary.quantile !== undefined)
        d.quantiles = m.summary.quantile.map((q) => [num(q.quantile), num(q.value)]);
    }
    if (m.histogram !== undefined) {
      const h = m.histogram;
      const count = h.sampleCount ?? h.sampleCountFloat;
      if (count !== undefined) d.count = num(count);
      if (h.sampleSum !== undefined) d.sum = num(h.sampleSum);
      if (h.bucket !== undefined) {
        d.buckets = h.bucket.map((b) => [
          num(b.upperBound),
          num(b.cumulativeCount ?? b.cumulativeCountFloat),
        ]);
      }
    }
    out.metrics.push(d);
  }
  return out;
}
