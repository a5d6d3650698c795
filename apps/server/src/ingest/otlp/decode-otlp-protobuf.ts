import {
  OtlpDecodeError,
  type Attribute,
  type AttributeValue,
  type HistogramPoint,
  type MetricData,
  type NumberPoint,
  type OtlpMetric,
  type ResourceMetrics,
  type ScopeMetrics,
  type SummaryPoint,
  type Temporality,
} from './otlp-model.js';
import { nanosToMs, WireReader } from './protobuf-wire.js';

// Field numbers from opentelemetry-proto v1: collector/metrics/v1/metrics_service.proto,
// metrics/v1/metrics.proto, common/v1/common.proto, resource/v1/resource.proto. Unknown fields
// are skipped, as protobuf requires; exemplars and start times are not used by Tally.

/** Decodes an `ExportMetricsServiceRequest` (field 1: repeated ResourceMetrics). */
export function decodeOtlpProtobuf(buf: Uint8Array): ResourceMetrics[] {
  const r = new WireReader(buf);
  const out: ResourceMetrics[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) out.push(resourceMetrics(r.message()));
    else r.skip(wire);
  }
  return out;
}

function resourceMetrics(r: WireReader): ResourceMetrics {
  let resource: Attribute[] = [];
  const scopes: ScopeMetrics[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) resource = resourceAttributes(r.message());
    else if (field === 2 && wire === 2) scopes.push(scopeMetrics(r.message()));
    else r.skip(wire);
  }
  return { resource, scopes };
}

function resourceAttributes(r: WireReader): Attribute[] {
  const attrs: Attribute[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) attrs.push(keyValue(r.message()));
    else r.skip(wire);
  }
  return attrs;
}

function scopeMetrics(r: WireReader): ScopeMetrics {
  let scopeName = '';
  let scopeVersion = '';
  const metrics: OtlpMetric[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) {
      const s = r.message();
      while (!s.done()) {
        const [f, w] = s.tag();
        if (f === 1 && w === 2) scopeName = s.string();
        else if (f === 2 && w === 2) scopeVersion = s.string();
        else s.skip(w);
      }
    } else if (field === 2 && wire === 2) metrics.push(metric(r.message()));
    else r.skip(wire);
  }
  return { scopeName, scopeVersion, metrics };
}

function metric(r: WireReader): OtlpMetric {
  let name = '';
  let description = '';
  let unit = '';
  let data: MetricData = { kind: 'none' };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    switch (field) {
      case 1:
        name = r.string();
        break;
      case 2:
        description = r.string();
        break;
      case 3:
        unit = r.string();
        break;
      case 5:
        data = { kind: 'gauge', points: numberPoints(r.message()).points };
        break;
      case 7: {
        const s = numberPoints(r.message());
        data = { kind: 'sum', points: s.points, temporality: s.temporality, monotonic: s.monotonic };
        break;
      }
      case 9: {
        const h = histogram(r.message());
        data = { kind: 'histogram', points: h.points, temporality: h.temporality };
        break;
      }
      case 10:
        data = { kind: 'exponential_histogram', pointCount: countField(r.message(), 1) };
        break;
      case 11:
        data = { kind: 'summary', points: summaryPoints(r.message()) };
        break;
      default:
        r.delimited();
    }
  }
  return { name, description, unit, data };
}

function temporality(n: number): Temporality {
  return n === 1 || n === 2 ? n : 0;
}

/** Gauge or Sum: data_points = 1, aggregation_temporality = 2, is_monotonic = 3. */
function numberPoints(r: WireReader): {
  points: NumberPoint[];
  temporality: Temporality;
  monotonic: boolean;
} {
  const points: NumberPoint[] = [];
  let temp: Temporality = 0;
  let monotonic = false;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) points.push(numberPoint(r.message()));
    else if (field === 2 && wire === 0) temp = temporality(r.varint());
    else if (field === 3 && wire === 0) monotonic = r.varint() !== 0;
    else r.skip(wire);
  }
  return { points, temporality: temp, monotonic };
}

/** NumberDataPoint: attributes 7, time_unix_nano 3, as_double 4, as_int 6, flags 8. */
function numberPoint(r: WireReader): NumberPoint {
  const attributes: Attribute[] = [];
  let timeMs = 0;
  let value = 0;
  let flags = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 7 && wire === 2) attributes.push(keyValue(r.message()));
    else if (field === 3 && wire === 1) timeMs = nanosToMs(r.fixed64Unsigned());
    else if (field === 4 && wire === 1) value = r.double();
    else if (field === 6 && wire === 1) value = Number(r.fixed64Signed());
    else if (field === 8 && wire === 0) flags = r.varint();
    else r.skip(wire);
  }
  return { attributes, timeMs, value, flags };
}

function histogram(r: WireReader): { points: HistogramPoint[]; temporality: Temporality } {
  const points: HistogramPoint[] = [];
  let temp: Temporality = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) points.push(histogramPoint(r.message()));
    else if (field === 2 && wire === 0) temp = temporality(r.varint());
    else r.skip(wire);
  }
  return { points, temporality: temp };
}

/** HistogramDataPoint: attributes 9, time 3, count 4, sum 5, bucket_counts 6, explicit_bounds 7, flags 10. */
function histogramPoint(r: WireReader): HistogramPoint {
  const attributes: Attribute[] = [];
  let timeMs = 0;
  let count = 0;
  let sum: number | undefined;
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  let flags = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 9 && wire === 2) attributes.push(keyValue(r.message()));
    else if (field === 3 && wire === 1) timeMs = nanosToMs(r.fixed64Unsigned());
    else if (field === 4 && wire === 1) count = Number(r.fixed64Unsigned());
    else if (field === 5 && wire === 1) sum = r.double();
    else if (field === 6) r.packed64(wire, (s) => bucketCounts.push(Number(s.fixed64Unsigned())));
    else if (field === 7) r.packed64(wire, (s) => explicitBounds.push(s.double()));
    else if (field === 10 && wire === 0) flags = r.varint();
    else r.skip(wire);
  }
  return { attributes, timeMs, count, sum, bucketCounts, explicitBounds, flags };
}

/** Summary { data_points = 1 }; SummaryDataPoint: attributes 7, time 3, count 4, sum 5, quantile_values 6, flags 8. */
function summaryPoints(r: WireReader): SummaryPoint[] {
  const points: SummaryPoint[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field !== 1 || wire !== 2) {
      r.skip(wire);
      continue;
    }
    const p = r.message();
    const attributes: Attribute[] = [];
    let timeMs = 0;
    let count = 0;
    let sum = 0;
    let flags = 0;
    const quantiles: { quantile: number; value: number }[] = [];
    while (!p.done()) {
      const [f, w] = p.tag();
      if (f === 7 && w === 2) attributes.push(keyValue(p.message()));
      else if (f === 3 && w === 1) timeMs = nanosToMs(p.fixed64Unsigned());
      else if (f === 4 && w === 1) count = Number(p.fixed64Unsigned());
      else if (f === 5 && w === 1) sum = p.double();
      else if (f === 8 && w === 0) flags = p.varint();
      else if (f === 6 && w === 2) {
        const q = p.message();
        let quantile = 0;
        let value = 0;
        while (!q.done()) {
          const [qf, qw] = q.tag();
          if (qf === 1 && qw === 1) quantile = q.double();
          else if (qf === 2 && qw === 1) value = q.double();
          else q.skip(qw);
        }
        quantiles.push({ quantile, value });
      } else p.skip(w);
    }
    points.push({ attributes, timeMs, count, sum, quantiles, flags });
  }
  return points;
}

/** How many times `field` occurs in a message (for data points Tally refuses). */
function countField(r: WireReader, wanted: number): number {
  let n = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === wanted) n++;
    r.skip(wire);
  }
  return n;
}

/** KeyValue { key = 1; AnyValue value = 2 }. */
function keyValue(r: WireReader, depth = 0): Attribute {
  let key = '';
  let value: AttributeValue | undefined;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) key = r.string();
    else if (field === 2 && wire === 2) value = anyValue(r.message(), depth + 1);
    else r.skip(wire);
  }
  return { key, value };
}

/** AnyValue: string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7. */
function anyValue(r: WireReader, depth = 0): AttributeValue | undefined {
  if (depth > 32) throw new OtlpDecodeError('protobuf: attribute values nested too deeply');
  let value: AttributeValue | undefined;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) value = r.string();
    else if (field === 2 && wire === 0) value = r.varint() !== 0;
    else if (field === 3 && wire === 0) value = r.int64();
    else if (field === 4 && wire === 1) value = r.double();
    else if (field === 5 && wire === 2) {
      const a = r.message();
      const items: AttributeValue[] = [];
      while (!a.done()) {
        const [f, w] = a.tag();
        if (f === 1 && w === 2) items.push(anyValue(a.message(), depth + 1) ?? '');
        else a.skip(w);
      }
      value = items;
    } else if (field === 6 && wire === 2) {
      const kv = r.message();
      const obj: Record<string, AttributeValue> = {};
      while (!kv.done()) {
        const [f, w] = kv.tag();
        if (f === 1 && w === 2) {
          const item = keyValue(kv.message(), depth + 1);
          obj[item.key] = item.value ?? '';
        } else kv.skip(w);
      }
      value = obj;
    } else if (field === 7 && wire === 2) {
      const [s, e] = r.delimited();
      value = r.buf.slice(s, e);
    } else r.skip(wire);
  }
  return value;
}
