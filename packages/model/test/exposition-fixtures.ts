// Families shared by the writer golden tests, the round-trip tests and the interop test.
import { labelsFromRecord, type MetricFamily } from '../src/index.js';

const L = labelsFromRecord;

export const goldenFamilies: MetricFamily[] = [
  {
    name: 'http_requests',
    type: 'counter',
    help: 'Requests served.\nSecond line with a \\ backslash and "quotes".',
    samples: [
      {
        name: 'http_requests_total',
        labels: L({ method: 'get', path: '/' }),
        value: 1027,
        exemplar: { labels: L({ trace_id: 'abc123' }), value: 1, timestampMs: 1700000000123 },
      },
      { name: 'http_requests_created', labels: L({ method: 'get', path: '/' }), value: 1700000000.5 },
      { name: 'http_requests_total', labels: L({ method: 'post', path: 'a "quoted"\\path\nx' }), value: 3 },
      {
        name: 'http_requests_created',
        labels: L({ method: 'post', path: 'a "quoted"\\path\nx' }),
        value: 1700000001,
      },
    ],
  },
  {
    name: 'queue_depth',
    type: 'gauge',
    help: 'Items waiting.',
    samples: [
      { name: 'queue_depth', labels: L({ queue: 'a' }), value: NaN },
      { name: 'queue_depth', labels: L({ queue: 'b' }), value: Infinity },
      { name: 'queue_depth', labels: L({ queue: 'c' }), value: -Infinity },
      { name: 'queue_depth', labels: L({ queue: 'd' }), value: 0.00001, timestampMs: 1700000000000 },
      { name: 'queue_depth', labels: L({ queue: 'é 🚀' }), value: 1234567.5 },
    ],
  },
  {
    name: 'request_latency_seconds',
    type: 'histogram',
    help: 'Latency.',
    unit: 'seconds',
    samples: [
      { name: 'request_latency_seconds_bucket', labels: L({ le: '0.00001' }), value: 0 },
      {
        name: 'request_latency_seconds_bucket',
        labels: L({ le: '1' }),
        value: 2,
        exemplar: { labels: L({ trace_id: 'x' }), value: 0.5 },
      },
      { name: 'request_latency_seconds_bucket', labels: L({ le: '+Inf' }), value: 3 },
      { name: 'request_latency_seconds_sum', labels: [], value: 4.7 },
      { name: 'request_latency_seconds_count', labels: [], value: 3 },
      { name: 'request_latency_seconds_created', labels: [], value: 1700000000 },
    ],
  },
  {
    name: 'rpc_duration_seconds',
    type: 'summary',
    help: 'RPC duration.',
    samples: [
      { name: 'rpc_duration_seconds', labels: L({ quantile: '0.5' }), value: 0.25 },
      { name: 'rpc_duration_seconds', labels: L({ quantile: '1' }), value: 1.5 },
      { name: 'rpc_duration_seconds_sum', labels: [], value: 17 },
      { name: 'rpc_duration_seconds_count', labels: [], value: 10 },
    ],
  },
  {
    name: 'build',
    type: 'info',
    help: 'Build information.',
    samples: [{ name: 'build_info', labels: L({ version: '1.2.3' }), value: 1 }],
  },
  {
    name: 'feature',
    type: 'stateset',
    help: 'Feature flags.',
    samples: [
      { name: 'feature', labels: L({ feature: 'a' }), value: 1 },
      { name: 'feature', labels: L({ feature: 'b' }), value: 0 },
    ],
  },
  {
    name: 'queue_size_bytes',
    type: 'gaugehistogram',
    help: 'Queue sizes.',
    samples: [
      { name: 'queue_size_bytes_bucket', labels: L({ le: '1024' }), value: 2 },
      { name: 'queue_size_bytes_bucket', labels: L({ le: '+Inf' }), value: 5 },
      { name: 'queue_size_bytes_gcount', labels: [], value: 5 },
      { name: 'queue_size_bytes_gsum', labels: [], value: 9000 },
    ],
  },
  {
    name: 'mystery',
    type: 'unknown',
    help: 'Untyped.',
    samples: [{ name: 'mystery', labels: [], value: -0.5 }],
  },
];

/** A family whose name follows the seed rule but not Prometheus' legacy rule. */
export const dashFamily: MetricFamily = {
  name: 'my-metric',
  type: 'gauge',
  help: 'A seed-rule name.',
  samples: [{ name: 'my-metric', labels: L({ job: 'train-1' }), value: 42 }],
};
