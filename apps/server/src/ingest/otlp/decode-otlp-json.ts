import {
  OtlpDecodeError,
  type Attribute,
  type AttributeValue,
  type HistogramPoint,
  type MetricData,
  type NumberPoint,
  type OtlpMetric,
  type ResourceMetrics,
  type SummaryPoint,
  type Temporality,
} from './otlp-model.js';

// OTLP/JSON (OTLP spec, "JSON Protobuf Encoding"): the proto3 JSON mapping with lowerCamelCase
// names (the original snake_case names are accepted too, as proto3 JSON parsers do), 64-bit
// integers as decimal strings or numbers, enums as integers, doubles as numbers or the strings
// "NaN", "Infinity", "-Infinity". Unknown fields are ignored.

type Json = Record<string, unknown>;

/** Decodes an `ExportMetricsServiceRequest` in OTLP/JSON. */
export function decodeOtlpJson(text: string): ResourceMetrics[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(err as Error).message}`);
  }
  return list(object(root, 'request'), 'resourceMetrics', 'request').map((rm, i) => {
    const path = `resourceMetrics[${i}]`;
    const o = object(rm, path);
    const resource = field(o, 'resource');
    return {
      resource:
        resource === undefined ? [] : attributes(object(resource, `${path}.resource`), `${path}.resource`),
      scopes: list(o, 'scopeMetrics', path).map((sm, j) => {
        const sp = `${path}.scopeMetrics[${j}]`;
        const so = object(sm, sp);
        const scope = field(so, 'scope');
        const scopeObj = scope === undefined ? {} : object(scope, `${sp}.scope`);
        return {
          scopeName: str(field(scopeObj, 'name'), `${sp}.scope.name`),
          scopeVersion: str(field(scopeObj, 'version'), `${sp}.scope.version`),
          metrics: list(so, 'metrics', sp).map((m, k) =>
            metric(object(m, `${sp}.metrics[${k}]`), `${sp}.metrics[${k}]`),
          ),
        };
      }),
    };
  });
}

function metric(o: Json, path: string): OtlpMetric {
  return {
    name: str(field(o, 'name'), `${path}.name`),
    description: str(field(o, 'description'), `${path}.description`),
    unit: str(field(o, 'unit'), `${path}.unit`),
    data: metricData(o, path),
  };
}

function metricData(o: Json, path: string): MetricData {
  const gauge = field(o, 'gauge');
  if (gauge !== undefined) {
    const g = object(gauge, `${path}.gauge`);
    return {
      kind: 'gauge',
      points: list(g, 'dataPoints', `${path}.gauge`).map((p, i) =>
        numberPoint(p, `${path}.gauge.dataPoints[${i}]`),
      ),
    };
  }
  const sum = field(o, 'sum');
  if (sum !== undefined) {
    const s = object(sum, `${path}.sum`);
    return {
      kind: 'sum',
      points: list(s, 'dataPoints', `${path}.sum`).map((p, i) =>
        numberPoint(p, `${path}.sum.dataPoints[${i}]`),
      ),
      temporality: temporality(field(s, 'aggregationTemporality'), `${path}.sum`),
      monotonic: bool(field(s, 'isMonotonic'), `${path}.sum.isMonotonic`),
    };
  }
  const histogram = field(o, 'histogram');
  if (histogram !== undefined) {
    const h = object(histogram, `${path}.histogram`);
    return {
      kind: 'histogram',
      points: list(h, 'dataPoints', `${path}.histogram`).map((p, i) =>
        histogramPoint(p, `${path}.histogram.dataPoints[${i}]`),
      ),
      temporality: temporality(field(h, 'aggregationTemporality'), `${path}.histogram`),
    };
  }
  const summary = field(o, 'summary');
  if (summary !== undefined) {
    const s = object(summary, `${path}.summary`);
    return {
      kind: 'summary',
      points: list(s, 'dataPoints', `${path}.summary`).map((p, i) =>
        summaryPoint(p, `${path}.summary.dataPoints[${i}]`),
      ),
    };
  }
  const exp = field(o, 'exponentialHistogram');
  if (exp !== undefined) {
    return {
      kind: 'exponential_histogram',
      pointCount: list(object(exp, `${path}.exponentialHistogram`), 'dataPoints', path).length,
    };
  }
  return { kind: 'none' };
}

function numberPoint(p: unknown, path: string): NumberPoint {
  const o = object(p, path);
  const asDouble = field(o, 'asDouble');
  const asInt = field(o, 'asInt');
  return {
    attributes: attributes(o, path),
    timeMs: nanos(field(o, 'timeUnixNano'), `${path}.timeUnixNano`),
    value:
      asDouble !== undefined
        ? double(asDouble, `${path}.asDouble`)
        : asInt !== undefined
          ? int(asInt, `${path}.asInt`)
          : 0,
    flags: int(field(o, 'flags') ?? 0, `${path}.flags`),
  };
}

function histogramPoint(p: unknown, path: string): HistogramPoint {
  const o = object(p, path);
  const sum = field(o, 'sum');
  return {
    attributes: attributes(o, path),
    timeMs: nanos(field(o, 'timeUnixNano'), `${path}.timeUnixNano`),
    count: int(field(o, 'count') ?? 0, `${path}.count`),
    sum: sum === undefined ? undefined : double(sum, `${path}.sum`),
    bucketCounts: list(o, 'bucketCounts', path).map((c, i) => int(c, `${path}.bucketCounts[${i}]`)),
    explicitBounds: list(o, 'explicitBounds', path).map((b, i) => double(b, `${path}.explicitBounds[${i}]`)),
    flags: int(field(o, 'flags') ?? 0, `${path}.flags`),
  };
}

function summaryPoint(p: unknown, path: string): SummaryPoint {
  const o = object(p, path);
  return {
    attributes: attributes(o, path),
    timeMs: nanos(field(o, 'timeUnixNano'), `${path}.timeUnixNano`),
    count: int(field(o, 'count') ?? 0, `${path}.count`),
    sum: double(field(o, 'sum') ?? 0, `${path}.sum`),
    quantiles: list(o, 'quantileValues', path).map((q, i) => {
      const qo = object(q, `${path}.quantileValues[${i}]`);
      return {
        quantile: double(field(qo, 'quantile') ?? 0, `${path}.quantileValues[${i}].quantile`),
        value: double(field(qo, 'value') ?? 0, `${path}.quantileValues[${i}].value`),
      };
    }),
    flags: int(field(o, 'flags') ?? 0, `${path}.flags`),
  };
}

function attributes(o: Json, path: string): Attribute[] {
  return list(o, 'attributes', path).map((a, i) => {
    const ao = object(a, `${path}.attributes[${i}]`);
    const value = field(ao, 'value');
    return {
      key: str(field(ao, 'key'), `${path}.attributes[${i}].key`),
      value: value === undefined ? undefined : anyValue(object(value, `${path}.attributes[${i}].value`), 0),
    };
  });
}

function anyValue(o: Json, depth: number): AttributeValue | undefined {
  if (depth > 32) throw new OtlpDecodeError('attribute values nested too deeply');
  const s = field(o, 'stringValue');
  if (typeof s === 'string') return s;
  const b = field(o, 'boolValue');
  if (typeof b === 'boolean') return b;
  const i = field(o, 'intValue');
  if (i !== undefined) return int(i, 'intValue');
  const d = field(o, 'doubleValue');
  if (d !== undefined) return double(d, 'doubleValue');
  const arr = field(o, 'arrayValue');
  if (arr !== undefined) {
    return list(object(arr, 'arrayValue'), 'values', 'arrayValue').map(
      (v) => anyValue(object(v, 'arrayValue.values'), depth + 1) ?? '',
    );
  }
  const kv = field(o, 'kvlistValue');
  if (kv !== undefined) {
    const out: Record<string, AttributeValue> = {};
    for (const item of list(object(kv, 'kvlistValue'), 'values', 'kvlistValue')) {
      const io = object(item, 'kvlistValue.values');
      const v = field(io, 'value');
      out[str(field(io, 'key'), 'kvlistValue.key')] =
        v === undefined ? '' : (anyValue(object(v, 'kvlistValue.value'), depth + 1) ?? '');
    }
    return out;
  }
  const bytes = field(o, 'bytesValue');
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64');
  return undefined;
}

// --- proto3 JSON scalars ---

function field(o: Json, camel: string): unknown {
  if (camel in o) return o[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return o[snake];
}

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new OtlpDecodeError(`${path}: expected an object`);
  return v as Json;
}

function list(o: Json, name: string, path: string): unknown[] {
  const v = field(o, name);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${path}.${name}: expected an array`);
  return v;
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError(`${path}: expected a string`);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new OtlpDecodeError(`${path}: expected true or false`);
  return v;
}

function int(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new OtlpDecodeError(
    `${path}: expected an integer (number or decimal string), got ${JSON.stringify(v)}`,
  );
}

function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new OtlpDecodeError(`${path}: expected a number, got ${JSON.stringify(v)}`);
}

/** Nanoseconds (decimal string or number) to milliseconds, truncated, without losing precision on strings. */
function nanos(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(BigInt(v) / 1_000_000n);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.floor(v / 1e6);
  throw new OtlpDecodeError(`${path}: expected nanoseconds since the epoch, got ${JSON.stringify(v)}`);
}

const TEMPORALITY_NAMES: Record<string, Temporality> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

function temporality(v: unknown, path: string): Temporality {
  if (v === undefined || v === null) return 0;
  if (v === 0 || v === 1 || v === 2) return v;
  if (typeof v === 'string' && v in TEMPORALITY_NAMES) return TEMPORALITY_NAMES[v]!;
  throw new OtlpDecodeError(`${path}.aggregationTemporality: expected 0, 1 or 2, got ${JSON.stringify(v)}`);
}
