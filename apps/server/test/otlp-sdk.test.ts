import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLabels } from '@tally/model';
import {
  OTLPMetricExporter as JsonExporter,
  AggregationTemporalityPreference,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { readBody } from '../src/http/body.js';
import { handleOtlpExport, otlpEncodingOf, type OtlpSink } from '../src/ingest/otlp/handle-otlp-export.js';

// The OpenTelemetry JS SDK's own OTLP/HTTP exporters (JSON and protobuf, gzip) as real clients
// of the OTLP handler, which writes into a collecting sink.
const written = new Map<string, [number, number][]>();
const requests: { encoding: string; gzip: boolean; status: number }[] = [];
const sink: OtlpSink = {
  check: () => undefined,
  write: (_job, job) => {
    for (const s of job.series) {
      const key = formatLabels(s.labels);
      written.set(key, [
        ...(written.get(key) ?? []),
        ...s.timestampsMs.map((t, i): [number, number] => [t, s.values[i]!]),
      ]);
    }
    return Promise.resolve({ refused: 0, firstRefusal: undefined });
  },
};
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const encoding = otlpEncodingOf(req.headers['content-type']);
      if (!encoding) {
        res.writeHead(415).end();
        return;
      }
      const body = await readBody(req, 10 << 20);
      const answer = await handleOtlpExport(body, encoding, sink);
      requests.push({ encoding, gzip: req.headers['content-encoding'] === 'gzip', status: answer.status });
      res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function record(exporter: PushMetricExporter, job: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': job,
      'service.instance.id': 'worker-0',
      'ml.framework': 'torch',
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('tally-test', '1.0.0');
  meter
    .createCounter('train.steps', { unit: '{step}', description: 'Steps done' })
    .add(5, { phase: 'warmup' });
  meter.createUpDownCounter('queue.size').add(-2);
  meter
    .createHistogram('step.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } })
    .record(0.5);
  meter.createGauge('loss').record(0.25, { split: 'val' });
  await reader.forceFlush();
  await provider.shutdown();
}

const seriesOf = (job: string): string[] =>
  [...written.keys()].filter((k) => k.includes(`job="${job}"`)).sort();

describe('OTLP/HTTP with the OpenTelemetry JS SDK exporters', () => {
  it.each([
    ['JSON', (u: string) => new JsonExporter({ url: u })],
    ['protobuf', (u: string) => new ProtoExporter({ url: u })],
  ])('takes counters, up-down counters, histograms and gauges over %s', async (_, make) => {
    const job = `otel-${_.toLowerCase()}`;
    await record(make(url), job);
    expect(seriesOf(job)).toEqual([
      `loss{instance="worker-0", job="${job}", split="val"}`,
      `queue_size{instance="worker-0", job="${job}"}`,
      `step_duration_seconds_bucket{instance="worker-0", job="${job}", le="+Inf"}`,
      `step_duration_seconds_bucket{instance="worker-0", job="${job}", le="0.1"}`,
      `step_duration_seconds_bucket{instance="worker-0", job="${job}", le="1"}`,
      `step_duration_seconds_count{instance="worker-0", job="${job}"}`,
      `step_duration_seconds_sum{instance="worker-0", job="${job}"}`,
      `target_info{instance="worker-0", job="${job}", ml_framework="torch"}`,
      `train_steps_total{instance="worker-0", job="${job}", phase="warmup"}`,
    ]);
    const v = (name: string): number => written.get(name)!.at(-1)![1];
    expect(v(`train_steps_total{instance="worker-0", job="${job}", phase="warmup"}`)).toBe(5);
    expect(v(`queue_size{instance="worker-0", job="${job}"}`)).toBe(-2);
    expect(v(`step_duration_seconds_bucket{instance="worker-0", job="${job}", le="0.1"}`)).toBe(0);
    expect(v(`step_duration_seconds_bucket{instance="worker-0", job="${job}", le="1"}`)).toBe(1);
    expect(v(`step_duration_seconds_sum{instance="worker-0", job="${job}"}`)).toBe(0.5);
    const t = written.get(`loss{instance="worker-0", job="${job}", split="val"}`)![0]![0];
    expect(Math.abs(t - Date.now())).toBeLessThan(60_000);
    expect(requests.at(-1)).toMatchObject({ encoding: _ === 'JSON' ? 'json' : 'protobuf', status: 200 });
  });

  it('takes gzip-compressed requests', async () => {
    process.env.OTEL_EXPORTER_OTLP_METRICS_COMPRESSION = 'gzip';
    try {
      await record(new ProtoExporter({ url }), 'otel-gzip');
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_METRICS_COMPRESSION;
    }
    expect(requests.at(-1)).toMatchObject({ gzip: true, status: 200 });
    expect(seriesOf('otel-gzip')).toContain('loss{instance="worker-0", job="otel-gzip", split="val"}');
  });

  it('answers a delta-temporality exporter with partial success: its sums and histograms are refused, its gauges kept', async () => {
    await record(
      new ProtoExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA }),
      'otel-delta',
    );
    expect(requests.at(-1)).toMatchObject({ status: 200 });
    expect(seriesOf('otel-delta').some((k) => k.startsWith('loss{'))).toBe(true);
    expect(seriesOf('otel-delta').some((k) => k.startsWith('train_steps_total{'))).toBe(false);
  });
});
