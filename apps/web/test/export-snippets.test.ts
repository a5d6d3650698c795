import { describe, expect, it } from 'vitest';
import { toCsv, toJson } from '../src/lib/export.js';
import { familyOf } from '../src/lib/family.js';
import { jobStatus } from '../src/lib/job-status.js';
import { metricFamilies, orderMetrics } from '../src/lib/order-metrics.js';
import { labelsKey, seriesName } from '../src/lib/series-name.js';
import { snippets } from '../src/lib/snippets.js';
import { snippetAddresses } from '../src/lib/server-address.js';

describe('export', () => {
  const series = [
    { name: '{phase="train"}', t: [1, 2], v: [0.5, null] },
    { name: 'a,"b"', t: [3], v: [Infinity] },
  ];
  it('writes one CSV row per point, quoting where needed', () => {
    expect(toCsv(series)).toBe(
      'series,timestamp,time,value\n' +
        '"{phase=""train""}",1,1970-01-01T00:00:01.000Z,0.5\n' +
        '"a,""b""",3,1970-01-01T00:00:03.000Z,+Inf\n',
    );
  });
  it('writes JSON with [t, v] points', () => {
    expect(JSON.parse(toJson('loss', series))).toEqual({
      metric: 'loss',
      series: [
        { name: '{phase="train"}', points: [[1, 0.5]] },
        { name: 'a,"b"', points: [[3, '+Inf']] },
      ],
    });
  });
});

describe('series names', () => {
  it('drop __name__ and job unless comparing', () => {
    const m = { __name__: 'x', job: 'j', b: '2', a: '1' };
    expect(seriesName(m, { fallback: 'x' })).toBe('{a="1", b="2"}');
    expect(seriesName({ __name__: 'x', job: 'j' }, { fallback: 'x' })).toBe('x');
    expect(seriesName({ job: 'j' }, { fallback: 'x', keepJob: true, legend: 'p50' })).toBe('p50 {job="j"}');
    expect(labelsKey({ b: '1', a: '2', __name__: 'q' })).toBe(labelsKey({ a: '2', b: '1' }));
  });
});

describe('families and order', () => {
  it('maps suffixed sample names to their family', () => {
    const known = new Set(['lat', 'steps']);
    expect(familyOf('lat_bucket', known)).toBe('lat');
    expect(familyOf('steps_total', known)).toBe('steps');
    expect(familyOf('other_sum', known)).toBe('other_sum');
  });
  it('puts declared metrics first, in declaration order', () => {
    const m = (name: string, type = 'gauge') => ({
      name,
      type,
      help: '',
      seriesCount: 1,
      lastValue: null,
      lastSampleAt: null,
      declared: false,
    });
    const order = orderMetrics({
      declaredMetrics: ['zeta', 'acc'],
      metrics: [m('b'), m('acc', 'counter'), m('a')],
    });
    expect(order.map((x) => [x.name, x.type, x.declared])).toEqual([
      ['zeta', 'unknown', true],
      ['acc', 'counter', true],
      ['a', 'gauge', false],
      ['b', 'gauge', false],
    ]);
  });
});

describe('metric families', () => {
  it('folds the per-sample-name entries of the server into families', () => {
    const e = (name: string, type: string, declared = false) => ({
      name,
      type,
      help: '',
      seriesCount: 1,
      lastValue: null,
      lastSampleAt: null,
      declared,
    });
    const fams = metricFamilies([
      e('lat_bucket', 'histogram'),
      e('lat_count', 'histogram'),
      e('lat_sum', 'histogram'),
      e('steps', 'unknown', true),
      e('steps_total', 'counter', true),
      e('req', 'summary'),
      e('req_count', 'summary'),
      e('loss_total', 'gauge'),
    ]);
    expect(fams.map((f) => [f.name, f.type, f.declared])).toEqual([
      ['lat', 'histogram', false],
      ['steps', 'counter', true],
      ['req', 'summary', false],
      ['loss_total', 'gauge', false],
    ]);
  });
});

describe('job status', () => {
  it('is receiving, idle since, or waiting', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    expect(jobStatus({ lastSampleAt: '2026-01-01T00:09:30Z', lastPushAt: null }, now).state).toBe(
      'receiving',
    );
    expect(jobStatus({ lastSampleAt: '2026-01-01T00:05:00Z', lastPushAt: null }, now).text).toBe(
      'idle since 5m ago',
    );
    expect(jobStatus({ lastSampleAt: null, lastPushAt: null }, now).state).toBe('waiting');
  });
});

describe('snippets', () => {
  const all = snippets({
    baseUrl: 'http://127.0.0.1:9091',
    jobId: 'run-7',
    token: 'tok123',
    statsd: '127.0.0.1:8125',
    metrics: ['loss', 'steps'],
  });
  it('fill in the URL, job id, token and metric names', () => {
    const byId = Object.fromEntries(all.map((s) => [s.id, s.code]));
    expect(byId['sdk-logger']).toContain(
      'TALLY_URL=http://127.0.0.1:9091 TALLY_JOB_ID=run-7 TALLY_TOKEN=tok123',
    );
    expect(byId['sdk-logger']).toContain("logger.addGauge('loss')");
    expect(byId['sdk-statsd']).toContain('TALLY_STATSD=127.0.0.1:8125 TALLY_JOB_ID=run-7');
    expect(byId['python-push']).toContain("push_to_gateway('127.0.0.1:9091', job='run-7'");
    expect(byId['python-push']).toContain("'tally', 'tok123'");
    expect(byId.statsd).toContain('echo "steps:1|c|#job:run-7" | nc -u -w0 127.0.0.1 8125');
    expect(byId.curl).toContain("Bearer tok123' --data-binary @- http://127.0.0.1:9091/metrics/job/run-7");
  });
  it('say so when the server has no StatsD listener', () => {
    const byId = Object.fromEntries(
      snippets({ baseUrl: 'http://h:1', jobId: 'j', statsd: undefined, metrics: [] }).map((s) => [
        s.id,
        s.code,
      ]),
    );
    expect(byId['sdk-statsd']).toContain('This server has no StatsD listener');
    expect(byId['sdk-statsd']).toContain('TALLY_STATSD=<host:port>');
    expect(byId.statsd).toMatch(/^# This server has no StatsD listener/);
    expect(byId.statsd).toContain('nc -u -w0 <host> <port>');
  });
  it('take the StatsD port the server reports, on the page host', () => {
    const page = { origin: 'http://metrics.lab:9091', hostname: 'metrics.lab' };
    expect(snippetAddresses(page, 18125)).toEqual({ baseUrl: page.origin, statsd: 'metrics.lab:18125' });
    expect(snippetAddresses(page, undefined).statsd).toBe('metrics.lab:8125');
    expect(snippetAddresses(page, null).statsd).toBeUndefined();
    const v6 = snippetAddresses({ origin: 'http://[::1]:9091', hostname: '::1' }, 8125);
    expect(v6.statsd).toBe('[::1]:8125');
    const code = snippets({ baseUrl: v6.baseUrl, jobId: 'j', statsd: v6.statsd, metrics: [] });
    expect(code.find((s) => s.id === 'statsd')!.code).toContain('nc -u -w0 ::1 8125');
  });
  it('use a placeholder when the token is not known', () => {
    const s = snippets({ baseUrl: 'http://h:1', jobId: 'j', statsd: 'h:8125', metrics: [] });
    expect(s[0]!.code).toContain('TALLY_TOKEN=<push token>');
    expect(s[0]!.code).toContain("addGauge('loss')");
  });
});
