// The parts of the OTLP metrics data model (opentelemetry-proto, metrics/v1/metrics.proto) that
// Tally reads, as both the protobuf and the JSON decoder produce them.

export type AttributeValue =
  string | number | boolean | bigint | AttributeValue[] | Uint8Array | { [key: string]: AttributeValue };

export interface Attribute {
  readonly key: string;
  readonly value: AttributeValue | undefined;
}

/** AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
export type Temporality = 0 | 1 | 2;

/** DataPointFlags.FLAG_NO_RECORDED_VALUE: the point marks a gone series (Prometheus: stale marker). */
export const FLAG_NO_RECORDED_VALUE = 1;

export interface NumberPoint {
  readonly attributes: Attribute[];
  readonly timeMs: number;
  readonly value: number;
  readonly flags: number;
}

export interface HistogramPoint {
  readonly attributes: Attribute[];
  readonly timeMs: number;
  readonly count: number;
  readonly sum: number | undefined;
  readonly bucketCounts: number[];
  readonly explicitBounds: number[];
  readonly flags: number;
}

export interface SummaryPoint {
  readonly attributes: Attribute[];
  readonly timeMs: number;
  readonly count: number;
  readonly sum: number;
  readonly quantiles: { readonly quantile: number; readonly value: number }[];
  readonly flags: number;
}

export type MetricData =
  | { readonly kind: 'gauge'; readonly points: NumberPoint[] }
  | {
      readonly kind: 'sum';
      readonly points: NumberPoint[];
      readonly temporality: Temporality;
      readonly monotonic: boolean;
    }
  | { readonly kind: 'histogram'; readonly points: HistogramPoint[]; readonly temporality: Temporality }
  | { readonly kind: 'summary'; readonly points: SummaryPoint[] }
  | { readonly kind: 'exponential_histogram'; readonly pointCount: number }
  | { readonly kind: 'none' };

export interface OtlpMetric {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly data: MetricData;
}

export interface ScopeMetrics {
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly metrics: OtlpMetric[];
}

export interface ResourceMetrics {
  readonly resource: Attribute[];
  readonly scopes: ScopeMetrics[];
}

/** A malformed OTLP request (HTTP 400). */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
