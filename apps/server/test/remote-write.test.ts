import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { Matcher } from '@tally/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWriteRequest } from '../src/ingest/remote-write/decode-write-request.js';
import type { RunningServer } from '../src/server.js';
import { remoteWrite, startTestServer } from './helpers.js';

// prompb/remote.proto + types.proto, the parts remote write 1.0 uses.
const root = protobuf.parse(`
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message MetricMetadata { enum MetricType { UNKNOWN = 0; COUNTER = 1; GAUGE = 2; HISTOGRAM = 3; GAUGEHISTOGRAM = 4; SUMMARY = 5; INFO = 6; STATESET = 7; }
  MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message Sample { double value = 1; int64 timestamp = 2; }
message Label { string name = 1; string value = 2; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
`).root;
const WriteRequest = root.lookupType('prometheus.WriteRequest');

describe('decodeWriteRequest', () => {
  it('agrees with protobufjs on a message protobufjs encoded', () => {
    const msg = {
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'up' },
            { name: 'job', value: 'node' },
            { name: 'zone', value: 'ünïcode' },
          ],
          samples: [
            { value: 1, timestamp: 1700000000000 },
            { value: -0.5, timestamp: 1700000015000 },
            { value: NaN, timestamp: 1700000030000 },
          ],
        },
        {
          labels: [
            { name: 'job', value: 'x' },
            { name: '__name__', value: 'b' },
            { name: 'empty', value: '' },
          ],
          samples: [],
        },
      ],
      metadata: [{ type: 1, metricFamilyName: 'up', help: 'Up.', unit: '' }],
    };
    const buf = Buffer.from(WriteRequest.encode(WriteRequest.fromObject(msg)).finish());
    const decoded = decodeWriteRequest(buf);
    expect(decoded.series[0]!.labels).toEqual(msg.timeseries[0]!.labels);
    expect([...decoded.series[0]!.timestampsMs]).toEqual([1700000000000, 1700000015000, 1700000030000]);
    expect([...decoded.series[0]!.values.slice(0, 2)]).toEqual([1, -0.5]);
    expect(decoded.series[0]!.values[2]).toBeNaN();
    // Sorted, empty values dropped.
    expect(decoded.series[1]!.labels).toEqual([
      { name: '__name__', value: 'b' },
      { name: 'job', value: 'x' },
    ]);
    expect(decoded.metadata).toEqual([{ type: 'counter', family: 'up', help: 'Up.', unit: '' }]);
    expect(decoded.sampleCount).toBe(3);
  });

  it('decodes negative int64 timestamps', () => {
    const buf = Buffer.from(
      WriteRequest.encode(
        WriteRequest.fromObject({
          timeseries: [
            { labels: [{ name: '__name__', value: 'a' }], samples: [{ value: 2, timestamp: -1000 }] },
          ],
        }),
      ).finish(),
    );
    expect([...decodeWriteRequest(buf).series[0]!.timestampsMs]).toEqual([-1000]);
  });

  it('throws on truncated input instead of reading past the end', () => {
    const buf = Buffer.from(
      WriteRequest.encode(
        WriteRequest.fromObject({
          timeseries: [
            { labels: [{ name: '__name__', value: 'abc' }], samples: [{ value: 2, timestamp: 5 }] },
          ],
        }),
      ).finish(),
    );
    for (let cut = 1; cut < buf.length; cut++)
      expect(() => decodeWriteRequest(buf.subarray(0, cut))).toThrow();
  });
});

let server: RunningServer | undefined;
afterEach(async () => server?.close());

async function values(job: string, name: string): Promise<[number, number][]> {
  const q = server!.storage.querier(-1e15, 1e15);
  const out: [number, number][] = [];
  for (const s of await q.select([new Matcher('=', 'job', job), new Matcher('=', '__name__', name)])) {
    const it = s.iterator();
    while (it.next()) out.push([it.t, it.v]);
  }
  return out;
}

describe('POST /api/v1/write', () => {
  it('stores samples at their timestamps (backfill included) and answers 204', async () => {
    server = await startTestServer();
    const old = Date.UTC(2020, 0, 1);
    const r = await remoteWrite(server, [
      {
        labels: { __name__: 'cpu', job: 'node', instance: 'a' },
        samples: [
          [old, 1],
          [old + 15_000, 2],
        ],
      },
      { labels: { __name__: 'mem', job: 'node2' }, samples: [[old, 5]] },
    ]);
    expect(r.status).toBe(204);
    expect(await values('node', 'cpu')).toEqual([
      [old, 1],
      [old + 15_000, 2],
    ]);
    expect(await values('node2', 'mem')).toEqual([[old, 5]]);
  });

  it('keeps concurrent requests apart (one decode memory for all of them)', async () => {
    // The embedded TSDB, whose commits wait for the WAL: other requests run meanwhile.
    server = await startTestServer(['--storage', 'tsdb']);
    const t0 = Date.UTC(2024, 0, 1);
    // Two jobs per request, so each request awaits one commit before it ingests its second job.
    const request = (k: number) =>
      remoteWrite(
        server!,
        ['a', 'b'].map((job) => ({
          labels: { __name__: `m${k}`, job },
          samples: Array.from({ length: 50 }, (_, i): [number, number] => [t0 + i * 1000, k * 1000 + i]),
        })),
      );
    const answers = await Promise.all(Array.from({ length: 12 }, (_, k) => request(k)));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 204));
    for (let k = 0; k < 12; k++)
      for (const job of ['a', 'b'])
        expect(await values(job, `m${k}`)).toEqual(
          Array.from({ length: 50 }, (_, i) => [t0 + i * 1000, k * 1000 + i]),
        );
  });

  it('counts a series again in a job deleted and created anew (no stale cached stats)', async () => {
    server = await startTestServer();
    const series = (t: number) => [
      { labels: { __name__: 'gone', job: 'again', i: '1' }, samples: [[t, t] as [number, number]] },
    ];
    const seriesCount = async (): Promise<number> => {
      const res = await fetch(`${server!.url}/api/v1/jobs/again`);
      const body = (await res.json()) as { job: { metrics: { name: string; seriesCount: number }[] } };
      return body.job.metrics.find((m) => m.name === 'gone')?.seriesCount ?? 0;
    };
    expect((await remoteWrite(server, series(1000))).status).toBe(204);
    expect((await remoteWrite(server, series(2000))).status).toBe(204);
    expect(await seriesCount()).toBe(1);
    expect((await fetch(`${server.url}/api/v1/jobs/again`, { method: 'DELETE' })).status).toBe(200);
    expect((await remoteWrite(server, series(3000))).status).toBe(204);
    expect(await seriesCount()).toBe(1);
    expect(await values('again', 'gone')).toEqual([[3000, 3000]]);
  });

  it('refuses only the out-of-order samples, with a 400 naming them', async () => {
    server = await startTestServer();
    await remoteWrite(server, [{ labels: { __name__: 'c', job: 'j' }, samples: [[2000, 2]] }]);
    const r = await remoteWrite(server, [
      {
        labels: { __name__: 'c', job: 'j' },
        samples: [
          [1000, 1],
          [3000, 3],
        ],
      },
      { labels: { __name__: 'd', job: 'j' }, samples: [[1000, 1]] },
    ]);
    expect(r.status).toBe(400);
    expect(r.text).toContain('1 out of order');
    expect(await values('j', 'c')).toEqual([
      [2000, 2],
      [3000, 3],
    ]);
    expect(await values('j', 'd')).toEqual([[1000, 1]]);
  });

  it('refuses series without a job label, and bad bodies, writing nothing', async () => {
    server = await startTestServer();
    const r = await remoteWrite(server, [
      { labels: { __name__: 'ok', job: 'j' }, samples: [[1, 1]] },
      { labels: { __name__: 'orphan' }, samples: [[1, 1]] },
    ]);
    expect(r.status).toBe(400);
    expect(r.text).toContain('without a job label');
    expect(await values('j', 'ok')).toEqual([]);
    const garbage = await fetch(server.url + '/api/v1/write', {
      method: 'POST',
      body: Buffer.from('not snappy at all'),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
    expect(garbage.status).toBe(400);
    const notProto = await fetch(server.url + '/api/v1/write', {
      method: 'POST',
      body: Buffer.from(snappy.compress(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]))),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
    expect(notProto.status).toBe(400);
  });

  it('applies limits with clear refusals and harms nothing stored', async () => {
    server = await startTestServer([
      '--max-series-per-job',
      '3',
      '--max-labels-per-series',
      '4',
      '--max-label-value-length',
      '10',
      '--max-samples-per-request',
      '5',
      '--max-body-bytes',
      '2000',
    ]);
    const ok = await remoteWrite(server, [{ labels: { __name__: 's1', job: 'lim' }, samples: [[1, 1]] }]);
    expect(ok.status).toBe(204);
    const many = await remoteWrite(
      server,
      [1, 2, 3].map((i) => ({
        labels: { __name__: `n${i}`, job: 'lim' },
        samples: [[2, i]] as [number, number][],
      })),
    );
    expect(many.status).toBe(429);
    expect(many.text).toContain('--max-series-per-job');
    const labels = await remoteWrite(server, [
      { labels: { __name__: 's1', job: 'lim', a: '1', b: '2', c: '3' }, samples: [[2, 1]] },
    ]);
    expect(labels.status).toBe(400);
    expect(labels.text).toContain('--max-labels-per-series');
    const long = await remoteWrite(server, [
      { labels: { __name__: 's1', job: 'lim', a: 'x'.repeat(11) }, samples: [[2, 1]] },
    ]);
    expect(long.status).toBe(400);
    const samples = await remoteWrite(server, [
      {
        labels: { __name__: 's1', job: 'lim' },
        samples: [
          [2, 1],
          [3, 1],
          [4, 1],
          [5, 1],
          [6, 1],
          [7, 1],
        ],
      },
    ]);
    expect(samples.status).toBe(413);
    const big = await remoteWrite(server, [
      {
        labels: { __name__: 's1', job: 'lim', a: Math.random().toString(36).repeat(200) },
        samples: [[2, 1]],
      },
    ]);
    expect(big.status).toBe(413);
    expect(await values('lim', 's1')).toEqual([[1, 1]]);
  });
});

describe('remote write metadata', () => {
  const post = (body: object) =>
    fetch(server!.url + '/api/v1/write', {
      method: 'POST',
      body: Buffer.from(snappy.compress(WriteRequest.encode(WriteRequest.fromObject(body)).finish())),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
  const metricsOf = async (job: string) => {
    const res = await fetch(`${server!.url}/api/v1/jobs/${job}`);
    const body = (await res.json()) as { job: { metrics: { name: string; type: string; help: string }[] } };
    return body.job.metrics.map(({ name, type, help }) => ({ name, type, help }));
  };

  it('records a metadata-only request for the jobs that have the family, and later ones when they arrive', async () => {
    server = await startTestServer();
    await remoteWrite(server, [
      { labels: { __name__: 'reqs_total', job: 'api' }, samples: [[1000, 1]] },
      { labels: { __name__: 'temp', job: 'lab' }, samples: [[1000, 20]] },
    ]);
    const r = await post({
      metadata: [
        { type: 1, metricFamilyName: 'reqs', help: 'Requests served.', unit: '' },
        { type: 2, metricFamilyName: 'temp', help: 'Temperature.', unit: 'celsius' },
        { type: 2, metricFamilyName: 'queue_depth', help: 'Queue depth.', unit: '' },
      ],
    });
    expect(r.status).toBe(204);
    expect(await metricsOf('api')).toEqual([
      { name: 'reqs_total', type: 'counter', help: 'Requests served.' },
    ]);
    expect(await metricsOf('lab')).toEqual([{ name: 'temp', type: 'gauge', help: 'Temperature.' }]);
    expect(server.jobs.metadata.get('lab', 'temp')).toEqual({
      type: 'gauge',
      help: 'Temperature.',
      unit: 'celsius',
    });
    const listed = await fetch(`${server.url}/api/v1/metadata?metric=temp`);
    expect(await listed.json()).toEqual({
      status: 'success',
      data: { temp: [{ type: 'gauge', help: 'Temperature.', unit: 'celsius' }] },
    });
    // No job had queue_depth yet: its metadata waits for the series.
    await remoteWrite(server, [{ labels: { __name__: 'queue_depth', job: 'lab' }, samples: [[2000, 3]] }]);
    expect(await metricsOf('lab')).toContainEqual({
      name: 'queue_depth',
      type: 'gauge',
      help: 'Queue depth.',
    });
  });

  it('records a push token’s metadata-only request for its job, and refuses one without a token', async () => {
    server = await startTestServer(['--admin-token', 'adm']);
    const created = await fetch(server.url + '/api/v1/jobs', {
      method: 'POST',
      headers: { authorization: 'Bearer adm', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'train', kind: 'experiment', metrics: ['loss'] }),
    });
    const { pushToken } = (await created.json()) as { pushToken: string };
    const body = Buffer.from(
      snappy.compress(
        WriteRequest.encode(
          WriteRequest.fromObject({
            metadata: [{ type: 2, metricFamilyName: 'loss', help: 'Training loss.' }],
          }),
        ).finish(),
      ),
    );
    const send = (headers: Record<string, string>) =>
      fetch(server!.url + '/api/v1/write', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', ...headers },
      });
    expect((await send({})).status).toBe(401);
    expect((await send({ authorization: `Bearer ${pushToken}` })).status).toBe(204);
    expect(server.jobs.metadata.get('train', 'loss')).toEqual({
      type: 'gauge',
      help: 'Training loss.',
      unit: '',
    });
  });
});

describe('samples far in the future', () => {
  it('refuses them with 400 naming the sample time, stores the rest, and keeps taking normal samples', async () => {
    server = await startTestServer(['--storage', 'tsdb']);
    const now = Date.now();
    const year = now + 365 * 86_400_000;
    const r = await remoteWrite(server, [
      {
        labels: { __name__: 'temp', job: 'lab' },
        samples: [
          [now - 1000, 1],
          [year, 2],
        ],
      },
    ]);
    expect(r.status).toBe(400);
    expect(r.text).toContain('1 too far in the future');
    expect(r.text).toContain(new Date(year).toISOString());
    const later = await remoteWrite(server, [
      { labels: { __name__: 'temp', job: 'lab' }, samples: [[now, 3]] },
    ]);
    expect(later.status).toBe(204);
    expect(await values('lab', 'temp')).toEqual([
      [now - 1000, 1],
      [now, 3],
    ]);
  });

  it('takes them with --max-future 0', async () => {
    server = await startTestServer(['--storage', 'tsdb', '--max-future', '0']);
    const year = Date.now() + 365 * 86_400_000;
    const r = await remoteWrite(server, [{ labels: { __name__: 'temp', job: 'lab' }, samples: [[year, 2]] }]);
    expect(r.status).toBe(204);
    expect(await values('lab', 'temp')).toEqual([[year, 2]]);
  });
});
