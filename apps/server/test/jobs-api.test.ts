import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { api, remoteWrite, startTestServer } from './helpers.js';

let server: RunningServer;
afterEach(async () => server.close());

describe('jobs API', () => {
  it('creates, lists, shows and deletes a job', async () => {
    server = await startTestServer();
    const created = await api(server, 'POST', '/api/v1/jobs', {
      name: 'mnist-run-1',
      kind: 'experiment',
      description: 'first run',
      metrics: ['loss', 'acc-top1'],
    });
    expect(created.status).toBe(201);
    expect(created.json.pushToken).toMatch(/^tly_/);
    expect(created.json.job).toMatchObject({
      id: 'mnist-run-1',
      name: 'mnist-run-1',
      kind: 'experiment',
      description: 'first run',
      strict: false,
      declaredMetrics: ['loss', 'acc-top1'],
      lastPushAt: null,
      lastSampleAt: null,
      metricCount: 0,
      seriesCount: 0,
    });
    expect(Date.parse(created.json.job.createdAt)).toBeGreaterThan(0);

    const list = await api(server, 'GET', '/api/v1/jobs');
    expect(list.json.jobs.map((j: { id: string }) => j.id)).toEqual(['mnist-run-1']);

    const t = Date.now();
    expect(
      (
        await remoteWrite(server, [
          { labels: { __name__: 'loss', job: 'mnist-run-1', step: '1' }, samples: [[t, 0.5]] },
        ])
      ).status,
    ).toBe(204);
    const shown = await api(server, 'GET', '/api/v1/jobs/mnist-run-1');
    expect(shown.status).toBe(200);
    expect(shown.json.job.seriesCount).toBe(1);
    expect(shown.json.job.metricCount).toBe(1);
    expect(shown.json.job.lastSampleAt).toBe(new Date(t).toISOString());
    expect(shown.json.job.metrics).toEqual([
      {
        name: 'acc-top1',
        type: 'unknown',
        help: '',
        unit: '',
        seriesCount: 0,
        lastValue: null,
        lastSampleAt: null,
        declared: true,
      },
      {
        name: 'loss',
        type: 'unknown',
        help: '',
        unit: '',
        seriesCount: 1,
        lastValue: '0.5',
        lastSampleAt: new Date(t).toISOString(),
        declared: true,
      },
    ]);

    expect(await api(server, 'DELETE', '/api/v1/jobs/mnist-run-1')).toMatchObject({
      status: 200,
      json: { deleted: 'mnist-run-1' },
    });
    const gone = await api(server, 'GET', '/api/v1/jobs/mnist-run-1');
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ status: 'error', errorType: 'not_found' });
    expect((await api(server, 'DELETE', '/api/v1/jobs/mnist-run-1')).status).toBe(404);
    // The series went with the job.
    const q = server.storage.querier(0, Date.now() + 1000);
    const { Matcher } = await import('@tally/storage');
    expect(await q.select([new Matcher('=', 'job', 'mnist-run-1')])).toEqual([]);
  });

  it('refuses bad names, listing every one with the rule', async () => {
    server = await startTestServer();
    const r = await api(server, 'POST', '/api/v1/jobs', {
      name: 'my job',
      kind: 'experiment',
      metrics: ['ok_name', 'bad.name', 'also bad!', ''],
    });
    expect(r.status).toBe(400);
    expect(r.json.status).toBe('error');
    expect(r.json.errorType).toBe('bad_data');
    for (const n of ['my job', 'bad.name', 'also bad!']) expect(r.json.error).toContain(JSON.stringify(n));
    expect(r.json.error).toContain('only letters a-z and A-Z, digits 0-9, "_" and "-"');
    expect(r.json.invalidNames.map((x: { name: string }) => x.name)).toEqual([
      'my job',
      'bad.name',
      'also bad!',
      '',
    ]);
    expect((await api(server, 'GET', '/api/v1/jobs')).json.jobs).toEqual([]);
  });

  it('refuses a bad kind, a non-object body and a duplicate name', async () => {
    server = await startTestServer();
    expect((await api(server, 'POST', '/api/v1/jobs', { name: 'a', kind: 'batch' })).status).toBe(400);
    expect((await api(server, 'POST', '/api/v1/jobs', '[1]')).status).toBe(400);
    expect((await api(server, 'POST', '/api/v1/jobs', '{not json')).status).toBe(400);
    expect((await api(server, 'POST', '/api/v1/jobs', { name: 'a', kind: 'notebook' })).status).toBe(201);
    const dup = await api(server, 'POST', '/api/v1/jobs', { name: 'a', kind: 'notebook' });
    expect(dup.status).toBe(409);
    expect(dup.json.errorType).toBe('conflict');
  });

  it("streams a job's samples as server-sent events", async () => {
    server = await startTestServer();
    await api(server, 'POST', '/api/v1/jobs', { name: 'live', kind: 'deployment' });
    const ac = new AbortController();
    const res = await fetch(server.url + '/api/v1/jobs/live/stream', { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const t = Date.now();
    await remoteWrite(server, [
      {
        labels: { __name__: 'loss', job: 'live' },
        samples: [
          [t, 0.25],
          [t + 1000, 1e-7],
        ],
      },
    ]);
    await remoteWrite(server, [{ labels: { __name__: 'other', job: 'not-watched' }, samples: [[t, 1]] }]);
    let text = '';
    while (!text.includes('event: samples')) text += new TextDecoder().decode((await reader.read()).value);
    while (!text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const data = /event: samples\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toEqual({
      series: [
        {
          labels: { __name__: 'loss', job: 'live' },
          samples: [
            [t / 1000, '0.25'],
            [(t + 1000) / 1000, '1e-07'],
          ],
        },
      ],
    });
    expect(text).not.toContain('not-watched');
    expect((await fetch(server.url + '/api/v1/jobs/nope/stream')).status).toBe(404);
  });

  it('counts a histogram as one metric (its family), not three sample names', async () => {
    server = await startTestServer();
    const body = [
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{le="0.1"} 1',
      'latency_seconds_bucket{le="+Inf"} 2',
      'latency_seconds_sum 0.3',
      'latency_seconds_count 2',
      '# TYPE loss gauge',
      'loss 0.5',
      '',
    ].join('\n');
    const put = await fetch(server.url + '/metrics/job/hist-run', { method: 'PUT', body });
    expect(put.status).toBe(200);
    const shown = await api(server, 'GET', '/api/v1/jobs/hist-run');
    expect(shown.json.job.metricCount).toBe(2);
    expect(shown.json.job.seriesCount).toBe(5);
    const listed = await api(server, 'GET', '/api/v1/jobs');
    expect(listed.json.jobs[0].metricCount).toBe(2);
  });

  it('names the bound StatsD ports at /api/v1/status/ingest, without a token', async () => {
    server = await startTestServer();
    const off = await api(server, 'GET', '/api/v1/status/ingest');
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ data: { statsdUdpPort: null, statsdTcpPort: null } });
    await server.close();
    server = await startTestServer([
      '--statsd-listen',
      '127.0.0.1:0',
      '--statsd-tcp-listen',
      '127.0.0.1:0',
      '--admin-token',
      'secret-admin',
    ]);
    const r = await fetch(server.url + '/api/v1/status/ingest');
    expect(r.status).toBe(200);
    const data = ((await r.json()) as { data: { statsdUdpPort: number; statsdTcpPort: number } }).data;
    expect(data.statsdUdpPort).toBe(server.statsdPort);
    expect(data.statsdTcpPort).toBeGreaterThan(0);
    expect((await fetch(server.url + '/api/v1/jobs')).status).toBe(401);
  });

  it('says the UI is not built when there is no UI directory', async () => {
    server = await startTestServer();
    const r = await api(server, 'GET', '/');
    expect(r.status).toBe(200);
    expect(r.text).toContain('UI is not built');
    expect((await api(server, 'GET', '/api/v1/nothing')).status).toBe(404);
    expect((await api(server, 'GET', '/-/ready')).status).toBe(200);
    expect((await api(server, 'GET', '/-/healthy')).status).toBe(200);
  });
});
