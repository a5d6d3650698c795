// Real clients pushing into tally serve on 127.0.0.1: Debian's python3-prometheus-client and
// python3-statsd, prom-client's Pushgateway, hot-shots, and Tally's own SDK.
import { spawn } from 'node:child_process';
import { Matcher } from '@tally/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianPython, hasPythonModule, peerAvailable } from '../../../test-support/peers.js';
import type { RunningServer } from '../src/server.js';
import { api, startTestServer } from './helpers.js';
import { untilDefined as until } from '../../../test-support/poll.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer([
    '--statsd-listen',
    '127.0.0.1:0',
    '--statsd-flush-interval',
    '100ms',
    '--instance-name',
    'it',
  ]);
});
afterAll(async () => server.close());

/** Runs a Python script with Debian's python3 (asynchronously: the server is in this process). */
function python(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(debianPython, ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`python failed (${code}):\n${err}`));
    });
  });
}

async function lastValues(job: string, name: string): Promise<Map<string, number[]>> {
  const q = server.storage.querier(0, Date.now() + 60_000);
  const out = new Map<string, number[]>();
  for (const s of await q.select([new Matcher('=', 'job', job), new Matcher('=', '__name__', name)])) {
    const vs: number[] = [];
    const it = s.iterator();
    while (it.next()) vs.push(it.v);
    out.set(
      s.labels
        .filter((l) => l.name !== '__name__')
        .map((l) => `${l.name}=${l.value}`)
        .join(','),
      vs,
    );
  }
  return out;
}

const hasPromClient = peerAvailable(
  'python3-prometheus-client (Debian)',
  hasPythonModule('prometheus_client'),
);
const hasStatsd = peerAvailable('python3-statsd (Debian)', hasPythonModule('statsd'));

describe.runIf(hasPromClient)('Python prometheus_client', () => {
  it('push_to_gateway, pushadd_to_gateway, delete_from_gateway with a gradient-utils grouping key', async () => {
    const addr = server.url.replace('http://', '');
    await python(`
from prometheus_client import CollectorRegistry, Gauge, Counter, Histogram, push_to_gateway, pushadd_to_gateway
reg = CollectorRegistry()
g = Gauge('Gauge', 'A gauge', registry=reg)
c = Counter('my_failures', 'Failures', registry=reg)
h = Histogram('request_latency_seconds', 'Latency', registry=reg)
g.set(5); c.inc(1.6); h.observe(4.7)
key = {'label_metrics_experiment_handle': 'exp-42', 'step': '1'}
push_to_gateway('${addr}', job='gradient-exp', registry=reg, grouping_key=key)
g.set(7)
key['step'] = '2'
push_to_gateway('${addr}', job='gradient-exp', registry=reg, grouping_key=key)
reg2 = CollectorRegistry()
g2 = Gauge('extra', 'Added by pushadd', registry=reg2)
g2.set(3)
pushadd_to_gateway('${addr}', job='gradient-exp', registry=reg2, grouping_key=key)
`);
    const scrape = await (await fetch(server.url + '/metrics')).text();
    expect(scrape).toContain('Gauge{job="gradient-exp",label_metrics_experiment_handle="exp-42",step="2"} 7');
    expect(scrape).toContain('extra{job="gradient-exp",label_metrics_experiment_handle="exp-42",step="2"} 3');
    expect(scrape).toContain(
      'my_failures_total{job="gradient-exp",label_metrics_experiment_handle="exp-42",step="1"} 1.6',
    );
    expect(scrape).toMatch(
      /request_latency_seconds_bucket\{job="gradient-exp",label_metrics_experiment_handle="exp-42",le="5\.0",step="2"\} 1/,
    );
    // History: both pushes of the gauge, one per step.
    const gauge = await lastValues('gradient-exp', 'Gauge');
    expect(gauge.get('job=gradient-exp,label_metrics_experiment_handle=exp-42,step=1')).toEqual([5]);
    expect(gauge.get('job=gradient-exp,label_metrics_experiment_handle=exp-42,step=2')).toEqual([7]);

    await python(`
from prometheus_client import delete_from_gateway
delete_from_gateway('${addr}', job='gradient-exp', grouping_key={'label_metrics_experiment_handle': 'exp-42', 'step': '2'})
`);
    const after = await (await fetch(server.url + '/metrics')).text();
    expect(after).not.toContain('step="2"');
    expect(after).toContain('step="1"');
    const job = (await api(server, 'GET', '/api/v1/jobs/gradient-exp')).json.job;
    const types = Object.fromEntries(
      job.metrics.map((m: { name: string; type: string }) => [m.name, m.type]),
    );
    expect(types).toMatchObject({
      Gauge: 'gauge',
      my_failures_total: 'counter',
      request_latency_seconds_bucket: 'histogram',
    });
  });

  it('basic_auth_handler with a push token as the password', async () => {
    const secured = await startTestServer(['--admin-token', 'adm']);
    try {
      const created = await api(
        secured,
        'POST',
        '/api/v1/jobs',
        { name: 'authed', kind: 'experiment' },
        { authorization: 'Bearer adm' },
      );
      const token: string = created.json.pushToken;
      const addr = secured.url.replace('http://', '');
      const script = (password: string) => `
from prometheus_client import CollectorRegistry, Gauge, push_to_gateway
from prometheus_client.exposition import basic_auth_handler
def handler(url, method, timeout, headers, data):
    return basic_auth_handler(url, method, timeout, headers, data, 'user', '${password}')
reg = CollectorRegistry()
Gauge('g', 'g', registry=reg).set(1)
push_to_gateway('${addr}', job='authed', registry=reg, handler=handler)
`;
      await python(script(token));
      await expect(python(script('wrong'))).rejects.toThrow(/401/);
      expect(
        await (await fetch(secured.url + '/metrics', { headers: { authorization: 'Bearer adm' } })).text(),
      ).toContain('g{job="authed"} 1');
    } finally {
      await secured.close();
    }
  });
});

describe.runIf(hasStatsd)('Python statsd (python3-statsd), gradient-statsd style', () => {
  it('increments, decrements, gauges and timers reach the job by the container_name tag', async () => {
    // python3-statsd sends plain lines without tags: Tally refuses them as unattributed (counted).
    // gradient-statsd is this client plus a DogStatsD container_name tag on every line.
    await python(`
import statsd
c = statsd.StatsClient('127.0.0.1', ${server.statsdPort})
c.incr('untagged')
`);
    await python(`
import socket, statsd
class Tagged(statsd.StatsClient):
    def _send(self, data):
        super()._send(data + '|#container_name:py-statsd')
c = Tagged('127.0.0.1', ${server.statsdPort})
c.incr('testMetric1')
c.incr('testMetric1', 4)
c.decr('testMetric1', 2)
c.gauge('testMetric2', 42)
c.gauge('testMetric2', 8, delta=True)
c.timing('step_time', 250)
`);
    const counter = await until(async () => {
      const v = (await lastValues('py-statsd', 'testMetric1')).get('instance=it,job=py-statsd');
      return v && v.at(-1) === 3 ? v : undefined;
    });
    expect(counter.at(-1)).toBe(3);
    await until(async () =>
      (await lastValues('py-statsd', 'testMetric2')).get('instance=it,job=py-statsd')?.at(-1) === 50
        ? true
        : undefined,
    );
    await until(async () =>
      (await lastValues('py-statsd', 'step_time_count')).get('instance=it,job=py-statsd')?.at(-1) === 1
        ? true
        : undefined,
    );
    const metrics = await (await fetch(server.url + '/metrics')).text();
    expect(metrics).toMatch(/tally_statsd_lines_refused_total\{reason="unattributed"\} [1-9]/);
  });
});

describe('Node clients', () => {
  it("prom-client's Pushgateway pushes into a job", async () => {
    const client = await import('prom-client');
    const registry = new client.Registry();
    const c = new client.Counter({
      name: 'node_requests',
      help: 'Requests',
      labelNames: ['code'],
      registers: [registry],
    });
    c.inc({ code: '200' }, 3);
    const gw = new client.Pushgateway(server.url, {}, registry);
    await gw.pushAdd({ jobName: 'prom-client-job', groupings: { instance: 'n1' } });
    c.inc({ code: '200' }, 2);
    await gw.push({ jobName: 'prom-client-job', groupings: { instance: 'n1' } });
    expect(
      (await lastValues('prom-client-job', 'node_requests')).get('code=200,instance=n1,job=prom-client-job'),
    ).toEqual([3, 5]);
    await gw.delete({ jobName: 'prom-client-job', groupings: { instance: 'n1' } });
    expect(await (await fetch(server.url + '/metrics')).text()).not.toContain('prom-client-job');
  });

  it('hot-shots sends DogStatsD lines attributed by the job tag', async () => {
    const { StatsD } = await import('hot-shots');
    const client = new StatsD({
      host: '127.0.0.1',
      port: server.statsdPort!,
      globalTags: { job: 'hot-shots-job' },
    });
    client.increment('epochs', 1);
    client.increment('epochs', 2);
    client.gauge('loss', 0.125);
    client.histogram('batch_size', 32);
    client.timing('step_ms', 120);
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await until(async () =>
      (await lastValues('hot-shots-job', 'epochs')).get('instance=it,job=hot-shots-job')?.at(-1) === 3
        ? true
        : undefined,
    );
    await until(async () =>
      (await lastValues('hot-shots-job', 'loss')).get('instance=it,job=hot-shots-job')?.at(-1) === 0.125
        ? true
        : undefined,
    );
    await until(async () =>
      (await lastValues('hot-shots-job', 'batch_size_sum')).get('instance=it,job=hot-shots-job')?.at(-1) ===
      32
        ? true
        : undefined,
    );
    await until(async () =>
      (await lastValues('hot-shots-job', 'step_ms_sum')).get('instance=it,job=hot-shots-job')?.at(-1) === 0.12
        ? true
        : undefined,
    );
  });
});
