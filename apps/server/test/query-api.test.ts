import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { api, remoteWrite, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
afterEach(async () => server?.close());

const T0 = 1_700_000_000_000;

async function seed(s: RunningServer): Promise<void> {
  const samples = (f: (i: number) => number): [number, number][] =>
    Array.from({ length: 20 }, (_, i) => [T0 + i * 15_000, f(i)] as [number, number]);
  expect(
    (
      await remoteWrite(s, [
        { labels: { __name__: 'reqs_total', job: 'api', code: '200' }, samples: samples((i) => i * 10) },
        { labels: { __name__: 'reqs_total', job: 'api', code: '500' }, samples: samples((i) => i) },
        { labels: { __name__: 'acc-top1', job: 'train' }, samples: samples((i) => i / 100) },
      ])
    ).status,
  ).toBe(204);
}

describe('Prometheus HTTP API', () => {
  it('answers instant and range queries in Prometheus shapes', async () => {
    server = await startTestServer();
    await seed(server);
    const t = (T0 + 19 * 15_000) / 1000;
    const q = await api(
      server,
      'GET',
      `/api/v1/query?query=${encodeURIComponent('sum(reqs_total)')}&time=${t}`,
    );
    expect(q.status).toBe(200);
    expect(q.json).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [t, '209'] }] },
    });

    const quoted = await api(
      server,
      'GET',
      `/api/v1/query?query=${encodeURIComponent('{"acc-top1"}')}&time=${t}`,
    );
    expect(quoted.json.data.result).toEqual([
      { metric: { __name__: 'acc-top1', job: 'train' }, value: [t, '0.19'] },
    ]);

    const body = new URLSearchParams({
      query: 'rate(reqs_total[1m])',
      start: String(T0 / 1000 + 60),
      end: String(T0 / 1000 + 120),
      step: '30s',
    });
    const r = await fetch(server.url + '/api/v1/query_range', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const range = (await r.json()) as {
      status: string;
      data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    expect(range.status).toBe('success');
    expect(range.data.resultType).toBe('matrix');
    expect(range.data.result.map((x) => x.metric)).toEqual([
      { code: '200', job: 'api' },
      { code: '500', job: 'api' },
    ]);
    expect(range.data.result[0]!.values.map(([ts]) => ts)).toEqual([
      T0 / 1000 + 60,
      T0 / 1000 + 90,
      T0 / 1000 + 120,
    ]);
    expect(Number(range.data.result[0]!.values[0]![1])).toBeCloseTo(10 / 15, 9);

    const rfc = await api(server, 'GET', `/api/v1/query?query=1&time=${new Date(T0).toISOString()}`);
    expect(rfc.json.data).toEqual({ resultType: 'scalar', result: [T0 / 1000, '1'] });
  });

  it('lists series, labels, label values, metadata and build info', async () => {
    server = await startTestServer();
    await seed(server);
    const series = await api(
      server,
      'GET',
      `/api/v1/series?match[]=${encodeURIComponent('reqs_total{code="500"}')}&match[]=${encodeURIComponent('{job="train"}')}`,
    );
    expect(series.json).toEqual({
      status: 'success',
      data: [
        { __name__: 'acc-top1', job: 'train' },
        { __name__: 'reqs_total', code: '500', job: 'api' },
      ],
    });
    expect((await api(server, 'GET', '/api/v1/series')).status).toBe(400);
    expect((await api(server, 'GET', '/api/v1/labels')).json.data).toEqual(['__name__', 'code', 'job']);
    expect((await api(server, 'GET', '/api/v1/label/job/values')).json.data).toEqual(['api', 'train']);
    expect((await api(server, 'GET', '/api/v1/label/__name__/values?match[]={job="api"}')).json.data).toEqual(
      ['reqs_total'],
    );
    const info = await api(server, 'GET', '/api/v1/status/buildinfo');
    expect(info.json.status).toBe('success');
    expect(typeof info.json.data.version).toBe('string');
    await fetch(server.url + '/metrics/job/meta', {
      method: 'PUT',
      body: '# HELP g A gauge.\n# TYPE g gauge\ng 1\n',
    });
    expect((await api(server, 'GET', '/api/v1/metadata?metric=g')).json).toEqual({
      status: 'success',
      data: { g: [{ type: 'gauge', help: 'A gauge.', unit: '' }] },
    });
    // OpenMetrics' UNIT is kept (the registry stores it: registry-conformance.ts).
    const pushed = await fetch(server.url + '/metrics/job/meta2', {
      method: 'PUT',
      headers: { 'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' },
      body: '# TYPE step_seconds gauge\n# UNIT step_seconds seconds\n# HELP step_seconds Step time.\nstep_seconds 0.5\n# EOF\n',
    });
    expect(pushed.status).toBe(200);
    const stepMeta = {
      status: 'success',
      data: { step_seconds: [{ type: 'gauge', help: 'Step time.', unit: 'seconds' }] },
    };
    expect((await api(server, 'GET', '/api/v1/metadata?metric=step_seconds')).json).toEqual(stepMeta);
    const job = await api(server, 'GET', '/api/v1/jobs/meta2');
    expect(job.json.job.metrics[0]).toMatchObject({ name: 'step_seconds', unit: 'seconds' });
  });

  it('formats queries and reports errors with Prometheus error types', async () => {
    server = await startTestServer();
    const f = await api(
      server,
      'GET',
      `/api/v1/format_query?query=${encodeURIComponent('sum by(job)(rate(x[5m]))')}`,
    );
    expect(f.json).toEqual({ status: 'success', data: 'sum by (job) (rate(x[5m]))' });
    const bad = await api(server, 'GET', `/api/v1/query?query=${encodeURIComponent('sum(')}`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(bad.json.error).toMatch(/parse error/);
    const badTime = await api(server, 'GET', '/api/v1/query?query=1&time=yesterday');
    expect(badTime.status).toBe(400);
    expect(badTime.json.error).toBe(
      'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
    );
    const badStep = await api(server, 'GET', '/api/v1/query_range?query=1&start=0&end=10&step=0');
    expect(badStep.status).toBe(400);
    const tooMany = await api(server, 'GET', '/api/v1/query_range?query=1&start=0&end=100000&step=1');
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toContain('11,000 points');
  });
});

describe('auth', () => {
  it('requires tokens when configured; push tokens write and read only their job', async () => {
    server = await startTestServer(['--admin-token', 'adm1n', '--read-token', 'r3ad']);
    const admin = { authorization: 'Bearer adm1n' };
    expect((await api(server, 'GET', '/api/v1/jobs')).status).toBe(401);
    expect(
      (
        await api(
          server,
          'POST',
          '/api/v1/jobs',
          { name: 'a', kind: 'experiment' },
          { authorization: 'Bearer r3ad' },
        )
      ).status,
    ).toBe(403);
    expect(
      (await api(server, 'GET', '/api/v1/jobs', undefined, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    const a = await api(server, 'POST', '/api/v1/jobs', { name: 'a', kind: 'experiment' }, admin);
    const b = await api(server, 'POST', '/api/v1/jobs', { name: 'b', kind: 'experiment' }, admin);
    const tokenA: string = a.json.pushToken;
    // Basic auth with the token as password, as prometheus_client's basic_auth_handler sends.
    const basic = { authorization: 'Basic ' + Buffer.from(`any:${tokenA}`).toString('base64') };
    expect(
      (
        await fetch(server.url + '/metrics/job/a', {
          method: 'PUT',
          body: '# TYPE x gauge\nx 1\n',
          headers: basic,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await fetch(server.url + '/metrics/job/b', {
          method: 'PUT',
          body: '# TYPE x gauge\nx 2\n',
          headers: basic,
        })
      ).status,
    ).toBe(403);
    expect(
      (await fetch(server.url + '/metrics/job/b', { method: 'PUT', body: '# TYPE x gauge\nx 2\n' })).status,
    ).toBe(401);
    const bHeaders = { authorization: `Bearer ${b.json.pushToken as string}` };
    expect(
      (
        await fetch(server.url + '/metrics/job/b', {
          method: 'PUT',
          body: '# TYPE x gauge\nx 2\n',
          headers: bHeaders,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await remoteWrite(
          server,
          [{ labels: { __name__: 'y', job: 'b' }, samples: [[Date.now(), 1]] }],
          basic,
        )
      ).status,
    ).toBe(403);
    // A push token's queries see only its job, whatever they ask for.
    const scoped = await api(server, 'GET', '/api/v1/query?query=x', undefined, basic);
    expect(scoped.json.data.result.map((r: { metric: { job: string } }) => r.metric.job)).toEqual(['a']);
    const all = await api(server, 'GET', '/api/v1/query?query=x', undefined, {
      authorization: 'Bearer r3ad',
    });
    expect(all.json.data.result.map((r: { metric: { job: string } }) => r.metric.job).sort()).toEqual([
      'a',
      'b',
    ]);
    expect((await api(server, 'GET', '/api/v1/query?query=x')).status).toBe(401);
    expect((await api(server, 'GET', '/api/v1/jobs/b', undefined, basic)).status).toBe(403);
    expect((await api(server, 'GET', '/api/v1/jobs/a', undefined, basic)).status).toBe(200);
    expect((await api(server, 'GET', '/-/ready')).status).toBe(200);
  });

  it('refuses to start on a non-loopback address without an admin token', async () => {
    await expect(startTestServer(['--listen', '0.0.0.0:0'])).rejects.toThrow(/admin-token/);
  });
});
