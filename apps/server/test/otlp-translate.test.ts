import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLabels } from '@tally/model';
import { decodeOtlpJson } from '../src/ingest/otlp/decode-otlp-json.js';
import { decodeOtlpProtobuf } from '../src/ingest/otlp/decode-otlp-protobuf.js';
import { isStaleMarker } from '../src/storage/remote/float-bits.js';
import { OtlpDecodeError } from '../src/ingest/otlp/otlp-model.js';
import { formatFloatF, translateOtlp, type OtlpTranslation } from '../src/ingest/otlp/translate-otlp.js';
import { corpusPath } from '../../../test-support/corpora.js';

const NOW = 1_700_000_000_000;
const T = '1700000000000000000'; // ns
const T_MS = 1_700_000_000_000;

/** Series as `labels → [[t, v], …]` for compact expectations. */
function flat(t: OtlpTranslation): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const job of t.byJob.values()) {
    for (const s of job.series)
      out[formatLabels(s.labels)] = s.timestampsMs.map((ts, i) => [ts, s.values[i]!]);
  }
  return out;
}

const resource = (attrs: Record<string, string>, metrics: unknown[]) => ({
  resourceMetrics: [
    {
      resource: { attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })) },
      scopeMetrics: [{ scope: { name: 'test' }, metrics }],
    },
  ],
});
const translate = (req: unknown): OtlpTranslation =>
  translateOtlp(decodeOtlpJson(JSON.stringify(req)), { nowMs: NOW });
const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });

describe('OTLP → Prometheus series', () => {
  it('translates the corpus request (opentelemetry-proto example) and refuses its delta sum and histogram', () => {
    const t = translateOtlp(decodeOtlpJson(readFileSync(corpusPath('otlp/metrics.json'), 'utf8')), {
      nowMs: NOW,
    });
    // service.name "my.service" is not a Tally job id (a "."): every point is refused, with the reason.
    expect(t.acceptedPoints).toBe(0);
    expect(t.errors.join('\n')).toContain('delta aggregation temporality is not supported');
    expect(t.errors.join('\n')).toContain(
      '"my.service" (from service.namespace/service.name) is not a valid Tally job id',
    );
  });

  it('maps gauges, cumulative sums and attributes, with job and instance from the resource', () => {
    const t = translate(
      resource({ 'service.name': 'train-1', 'service.instance.id': 'pod-7', 'host.name': 'gpu01' }, [
        {
          name: 'gpu.utilization',
          unit: '1',
          gauge: { dataPoints: [{ asDouble: 0.5, timeUnixNano: T, attributes: [attr('gpu.index', '0')] }] },
        },
        {
          name: 'samples.processed',
          unit: '{sample}',
          description: 'Samples seen',
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [{ asInt: '42', timeUnixNano: T }],
          },
        },
        {
          name: 'queue.depth',
          sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ asInt: 3, timeUnixNano: T }] },
        },
      ]),
    );
    expect(flat(t)).toEqual({
      'gpu_utilization_ratio{gpu_index="0", instance="pod-7", job="train-1"}': [[T_MS, 0.5]],
      'samples_processed_total{instance="pod-7", job="train-1"}': [[T_MS, 42]],
      'queue_depth{instance="pod-7", job="train-1"}': [[T_MS, 3]],
      'target_info{host_name="gpu01", instance="pod-7", job="train-1"}': [[T_MS, 1]],
    });
    const meta = t.byJob.get('train-1')!.metadata;
    expect(meta.get('samples_processed')).toEqual({ type: 'counter', help: 'Samples seen', unit: '' });
    expect(meta.get('queue_depth')?.type).toBe('gauge');
    // The unit as the name's suffix spells it: "1" on a gauge is the _ratio suffix, not a unit word.
    expect(meta.get('gpu_utilization_ratio')?.unit).toBe('');
  });

  it('turns explicit-bucket histograms into cumulative _bucket{le}, _sum and _count', () => {
    const t = translate(
      resource({ 'service.name': 'svc' }, [
        {
          name: 'http.server.duration',
          unit: 's',
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [
              {
                timeUnixNano: T,
                count: '6',
                sum: 2.5,
                bucketCounts: ['1', '2', '3'],
                explicitBounds: [0.1, 1e-7],
              },
            ],
          },
        },
      ]),
    );
    expect(flat(t)).toEqual({
      'http_server_duration_seconds_bucket{job="svc", le="0.1"}': [[T_MS, 1]],
      'http_server_duration_seconds_bucket{job="svc", le="0.0000001"}': [[T_MS, 3]],
      'http_server_duration_seconds_bucket{job="svc", le="+Inf"}': [[T_MS, 6]],
      'http_server_duration_seconds_sum{job="svc"}': [[T_MS, 2.5]],
      'http_server_duration_seconds_count{job="svc"}': [[T_MS, 6]],
    });
    expect(t.byJob.get('svc')!.metadata.get('http_server_duration_seconds')).toMatchObject({
      type: 'histogram',
      unit: 'seconds',
    });
  });

  it('turns summaries into {quantile}, _sum and _count', () => {
    const t = translate(
      resource({ 'service.name': 'svc' }, [
        {
          name: 'latency',
          unit: 'ms',
          summary: {
            dataPoints: [
              {
                timeUnixNano: T,
                count: 10,
                sum: 55,
                quantileValues: [
                  { quantile: 0.5, value: 4 },
                  { quantile: 0.99, value: 9 },
                ],
              },
            ],
          },
        },
      ]),
    );
    expect(Object.keys(flat(t)).sort()).toEqual(
      [
        'latency_milliseconds{job="svc", quantile="0.5"}',
        'latency_milliseconds{job="svc", quantile="0.99"}',
        'latency_milliseconds_count{job="svc"}',
        'latency_milliseconds_sum{job="svc"}',
      ].sort(),
    );
  });

  it('joins attributes that map to one label name with ";" in key order, drops empty values', () => {
    const t = translate(
      resource({ 'service.name': 'svc' }, [
        {
          name: 'm',
          gauge: {
            dataPoints: [
              {
                asDouble: 1,
                timeUnixNano: T,
                attributes: [attr('a_b', 'second'), attr('a.b', 'first'), attr('empty', '')],
              },
            ],
          },
        },
      ]),
    );
    expect(Object.keys(flat(t))).toEqual(['m{a_b="first;second", job="svc"}']);
  });

  it('writes a stale marker for a point flagged "no recorded value"', () => {
    const t = translate(
      resource({ 'service.name': 'svc' }, [
        { name: 'g', gauge: { dataPoints: [{ asDouble: 5, flags: 1, timeUnixNano: T }] } },
      ]),
    );
    const v = t.byJob.get('svc')!.series[0]!.values[0]!;
    expect(isStaleMarker(v)).toBe(true);
  });

  it('refuses with a reason, counting data points: no job, bad job id, delta, unspecified temporality, exponential histograms, bad buckets', () => {
    const bad = [
      {
        name: 'd',
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [
            { asInt: 1, timeUnixNano: T },
            { asInt: 2, timeUnixNano: T },
          ],
        },
      },
      { name: 'u', histogram: { dataPoints: [{ count: 1, timeUnixNano: T }] } },
      { name: 'e', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{}] } },
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [{ count: 1, bucketCounts: [1], explicitBounds: [1, 2], timeUnixNano: T }],
        },
      },
      { name: 'ok', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: T }] } },
    ];
    const t = translate(resource({ 'service.name': 'svc' }, bad));
    expect(t.acceptedPoints).toBe(1);
    expect(t.rejectedPoints).toBe(5);
    const text = t.errors.join('\n');
    expect(text).toContain('2 data points: metric "d": delta aggregation temporality is not supported');
    expect(text).toContain('metric "u": unspecified aggregation temporality');
    expect(text).toContain('metric "e": exponential histograms are not supported');
    expect(text).toContain('metric "h": 1 bucket counts for 2 bounds');

    const noJob = translate(resource({}, [bad[4]]));
    expect(noJob.errors[0]).toContain('no job: set the resource attribute service.name');
    const unknown = translate(resource({ 'service.name': 'unknown_service:node' }, [bad[4]]));
    expect(unknown.errors[0]).toContain('"unknown_service:node"');
    const ns = translate(resource({ 'service.name': 'a', 'service.namespace': 'team' }, [bad[4]]));
    expect(ns.errors[0]).toContain('"team/a"');
  });

  it("formats le and quantile like Go strconv.FormatFloat(f, 'f', -1, 64)", () => {
    expect([0.1, 1, 2.5e-7, 1e21, 1.5e22, -3e-8, Infinity].map(formatFloatF)).toEqual([
      '0.1',
      '1',
      '0.00000025',
      '1000000000000000000000',
      '15000000000000000000000',
      '-0.00000003',
      '+Inf',
    ]);
  });
});

describe('OTLP decoders: bad input', () => {
  it.each([
    ['not JSON', '{'],
    ['resourceMetrics not an array', '{"resourceMetrics": 3}'],
    ['metric not an object', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[7]}]}]}'],
    [
      'bad asInt',
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x","gauge":{"dataPoints":[{"asInt":"1.5"}]}}]}]}]}',
    ],
    [
      'bad time',
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x","gauge":{"dataPoints":[{"timeUnixNano":"soon"}]}}]}]}]}',
    ],
    [
      'bad temporality',
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x","sum":{"aggregationTemporality":7}}]}]}]}',
    ],
  ])('JSON: %s', (_, text) => {
    expect(() => decodeOtlpJson(text)).toThrow(OtlpDecodeError);
  });

  it.each([
    ['truncated varint', [0x0a, 0x80]],
    ['length past the end', [0x0a, 0x05, 0x01]],
    ['wire type 7', [0x0f]],
    [
      'odd packed bounds',
      [0x0a, 0x0c, 0x12, 0x0a, 0x12, 0x08, 0x4a, 0x06, 0x0a, 0x04, 0x3a, 0x02, 0x00, 0x00],
    ],
  ])('protobuf: %s', (_, bytes) => {
    expect(() => decodeOtlpProtobuf(Uint8Array.from(bytes))).toThrow(OtlpDecodeError);
  });

  it('fuzz: random bytes and random JSON either decode or throw OtlpDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          translateOtlp(decodeOtlpProtobuf(bytes), { nowMs: NOW });
        } catch (err) {
          expect(err).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.json(), (text) => {
        try {
          translateOtlp(decodeOtlpJson(`{"resourceMetrics":[{"scopeMetrics":[{"metrics":[${text}]}]}]}`), {
            nowMs: NOW,
          });
        } catch (err) {
          expect(err).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
