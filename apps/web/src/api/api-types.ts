// The server's JSON contract, copied here on purpose: the web app talks HTTP and imports no
// @tally package at run time (DESIGN.md). Keep in step with apps/server's jobs API.

export type JobKind = 'experiment' | 'deployment' | 'notebook';
export const JOB_KINDS: readonly JobKind[] = ['experiment', 'deployment', 'notebook'];

export interface Job {
  readonly id: string;
  readonly name: string;
  readonly kind: JobKind;
  readonly description: string;
  readonly strict: boolean;
  /** RFC 3339. */
  readonly createdAt: string;
  readonly declaredMetrics: readonly string[];
  readonly lastPushAt: string | null;
  readonly lastSampleAt: string | null;
  readonly metricCount: number;
  readonly seriesCount: number;
}

/** 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' (open: servers may add types). */
export type MetricType = string;

export interface JobMetric {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** The family's unit ('' when none was given; absent from servers before it was stored). */
  readonly unit?: string;
  readonly seriesCount: number;
  readonly lastValue: number | string | null;
  readonly lastSampleAt: string | null;
  readonly declared: boolean;
}

export interface JobDetail extends Job {
  readonly metrics: readonly JobMetric[];
}

export interface CreateJobRequest {
  name: string;
  kind: JobKind;
  description?: string;
  metrics?: string[];
  strict?: boolean;
}

export interface CreateJobResponse {
  readonly job: Job;
  readonly pushToken: string;
}

export interface InvalidName {
  readonly name: string;
  readonly reason: string;
}

export interface ApiErrorBody {
  readonly status: 'error';
  readonly errorType: string;
  readonly error: string;
  readonly invalidNames?: readonly InvalidName[];
}

/** One series of a `samples` server-sent event: `[tSeconds, "value"]` pairs. */
export interface StreamSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly (readonly [number, string])[];
}

export interface StreamSamplesEvent {
  readonly series: readonly StreamSeries[];
}

/** Prometheus HTTP API: a range query's matrix result. */
export interface PromMatrixSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

export interface PromResponse<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly errorType?: string;
  readonly error?: string;
  readonly warnings?: readonly string[];
}

export interface PromMatrixData {
  readonly resultType: 'matrix';
  readonly result: readonly PromMatrixSeries[];
}

/** `GET /api/v1/status/ingest`: the ports clients send to; null when that listener is off. */
export interface IngestEndpoints {
  readonly statsdUdpPort: number | null;
  readonly statsdTcpPort: number | null;
}
