import {
  labelsFromPairs,
  type ExposedSample,
  type Label,
  type MetricFamily,
  type MetricType,
} from '@tally/model';
import { ProtobufReader } from '../protobuf-reader.js';

// io.prometheus.client.MetricType
const TYPES: MetricType[] = ['counter', 'gauge', 'summary', 'unknown', 'histogram', 'gaugehistogram'];

/**
 * Decodes a body of varint-length-delimited `io.prometheus.client.MetricFamily` messages
 * (client_model/metrics.proto), what Go clients push with `Content-Type:
 * application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited`.
 * Families come back in the model's shape: counters' samples keep the name as sent, summaries
 * and classic histograms expand into `_sum`/`_count`/quantile and `_bucket` samples.
 * Native histogram fields are not supported and are refused.
 */
export function decodeProtobufFamilies(buf: Buffer): MetricFamily[] {
  const r = new ProtobufReader(buf);
  const families: MetricFamily[] = [];
  while (!r.done()) {
    const [start, end] = r.bytes();
    families.push(decodeFamily(buf, start, end));
  }
  return families;
}

function decodeFamily(buf: Buffer, start: number, end: number): MetricFamily {
  const r = new ProtobufReader(buf, start, end);
  let name = '';
  let help: string | undefined;
  let type: MetricType = 'counter';
  let unit: string | undefined;
  const metrics: [number, number][] = [];
  while (!r.done()) {
    const tag = r.varint();
    if (tag === 10) name = r.string();
    else if (tag === 18) help = r.string();
    else if (tag === 24) type = TYPES[r.varint()] ?? 'unknown';
    else if (tag === 34) metrics.push(r.bytes());
    else if (tag === 42) unit = r.string();
    else r.skip(tag & 7);
  }
  if (name === '') throw new Error('a metric family without a name');
  const samples: ExposedSample[] = [];
  for (const [ms, me] of metrics) decodeMetric(buf, ms, me, name, samples);
  return { name, type, ...(help === undefined ? {} : { help }), ...(unit ? { unit } : {}), samples };
}

function decodeMetric(buf: Buffer, start: number, end: number, name: string, out: ExposedSample[]): void {
  const r = new ProtobufReader(buf, start, end);
  const pairs: string[] = [];
  let timestampMs: number | undefined;
  let value: number | undefined;
  let summary: [number, number] | undefined;
  let histogram: [number, number] | undefined;
  while (!r.done()) {
    const tag = r.varint();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === 2) {
      const [ls, le] = r.bytes();
      const lr = new ProtobufReader(buf, ls, le);
      let n = '';
      let v = '';
      while (!lr.done()) {
        const t = lr.varint();
        if (t === 10) n = lr.string();
        else if (t === 18) v = lr.string();
        else lr.skip(t & 7);
      }
      pairs.push(n, v);
    } else if ((field === 2 || field === 3 || field === 5) && (tag & 7) === 2) {
      const [vs, ve] = r.bytes();
      const vr = new ProtobufReader(buf, vs, ve);
      value = 0;
      while (!vr.done()) {
        const t = vr.varint();
        if (t === 9) value = vr.double();
        else vr.skip(t & 7);
      }
    } else if (field === 4 && (tag & 7) === 2) summary = r.bytes();
    else if (field === 7 && (tag & 7) === 2) histogram = r.bytes();
    else if (field === 6 && (tag & 7) === 0) timestampMs = r.int64();
    else r.skip(tag & 7);
  }
  const labels = labelsFromPairs(...pairs);
  const ts = timestampMs === undefined ? {} : { timestampMs };
  const push = (n: string, extra: Label[] | undefined, v: number): void => {
    const ls = extra ? labelsFromPairs(...pairs, ...extra.flatMap((l) => [l.name, l.value])) : labels;
    out.push({ name: n, labels: ls, value: v, ...ts });
  };
  if (summary) {
    const sr = new ProtobufReader(buf, summary[0], summary[1]);
    let count = 0;
    let sum = 0;
    while (!sr.done()) {
      const t = sr.varint();
      if (t === 8) count = sr.varint();
      else if (t === 17) sum = sr.double();
      else if (t === 26) {
        const [qs, qe] = sr.bytes();
        const qr = new ProtobufReader(buf, qs, qe);
        let q = 0;
        let v = 0;
        while (!qr.done()) {
          const qt = qr.varint();
          if (qt === 9) q = qr.double();
          else if (qt === 17) v = qr.double();
          else qr.skip(qt & 7);
        }
        push(name, [{ name: 'quantile', value: formatBound(q) }], v);
      } else sr.skip(t & 7);
    }
    push(`${name}_sum`, undefined, sum);
    push(`${name}_count`, undefined, count);
  } else if (histogram) {
    const hr = new ProtobufReader(buf, histogram[0], histogram[1]);
    let count = 0;
    let sum = 0;
    let sawInf = false;
    const buckets: [number, number][] = [];
    while (!hr.done()) {
      const t = hr.varint();
      if (t === 8) count = hr.varint();
      else if (t === 33) count = hr.double();
      else if (t === 17) sum = hr.double();
      else if (t === 26) {
        const [bs, be] = hr.bytes();
        const br = new ProtobufReader(buf, bs, be);
        let c = 0;
        let ub = 0;
        while (!br.done()) {
          const bt = br.varint();
          if (bt === 8) c = br.varint();
          else if (bt === 33) c = br.double();
          else if (bt === 17) ub = br.double();
          else br.skip(bt & 7);
        }
        if (ub === Infinity) sawInf = true;
        buckets.push([ub, c]);
      } else if (t >>> 3 === 5 || t >>> 3 === 9 || t >>> 3 === 12) {
        throw new Error(`metric ${name}: native histograms are not supported`);
      } else hr.skip(t & 7);
    }
    for (const [ub, c] of buckets) push(`${name}_bucket`, [{ name: 'le', value: formatBound(ub) }], c);
    if (!sawInf) push(`${name}_bucket`, [{ name: 'le', value: '+Inf' }], count);
    push(`${name}_sum`, undefined, sum);
    push(`${name}_count`, undefined, count);
  } else {
    push(name, undefined, value ?? 0);
  }
}

function formatBound(v: number): string {
  return v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}
