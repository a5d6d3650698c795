// Tally's own SDK against tally serve: MetricsLogger (the seed's push API), the Pushgateway client
// and the StatsD client, with the job taken from the environment as in a Tally/Gradient job.
import { Gauge, MetricsLogger, Pushgateway, Registry, StatsdClient } from '@tally/sdk';
import { Matcher } from '@tally/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { api, startTestServer } from './helpers.js';

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

async function series(job: string, name: string): Promise<Map<string, number[]>> {
  const q = server.storage.querier(0, Date.now() + 60_000);
  const out = new Map<string, number[]>();
  for (const s of await q.select([new Matcher('=', 'job', job), new Matcher('=', '__name__', name)])) {
    const vs: number[] = [];
    const it = s.iterator();
    while (it.next()) vs.push(it.v);
    out.set(
      s.labels
        .filter((l) => l.name !== '__name__' && l.name !== 'job')
        .map((l) => `${l.name}=${l.value}`)
        .join(','),
      vs,
    );
  }
  return out;
}

async function until(fn: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Tally SDK clients', () => {
  it('MetricsLogger pushes the seed example into a declared job; every push is history', async () => {
    const created = await api(server, 'POST', '/api/v1/jobs', {
      name: 'sdk-logger',
      kind: 'experiment',
      metrics: ['Gauge', 'Counter'],
      strict: true,
    });
    const logger: MetricsLogger = new MetricsLogger({
      url: server.url,
      jobId: 'sdk-logger',
      token: created.json.pushToken,
      groupingKey: { ProjectA: 'SomeLabel' },
      pushOnExit: false,
    });
    logger.addGauge('Gauge');
    logger.addCounter('Counter');
    for (const v of [5, 17, 42]) {
      logger.Gauge.set(v);
      logger.Counter.inc();
      await logger.pushMetrics();
    }
    expect((await series('sdk-logger', 'Gauge')).get('ProjectA=SomeLabel')).toEqual([5, 17, 42]);
    const counter = [
      ...(await series('sdk-logger', 'Counter_total')).values(),
      ...(await series('sdk-logger', 'Counter')).values(),
    ];
    expect(counter[0]).toEqual([1, 2, 3]);
    const job = (await api(server, 'GET', '/api/v1/jobs/sdk-logger')).json.job;
    expect(job.metrics.filter((m: { declared: boolean }) => m.declared).length).toBeGreaterThanOrEqual(2);
  });

  it('Pushgateway client push / pushAdd / delete', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'sdk_gauge', help: 'SDK gauge', registers: [registry] });
    const gw = new Pushgateway(server.url, {}, registry);
    g.set(1);
    await gw.push({ jobName: 'sdk-gw', groupings: { step: '1' } });
    g.set(2);
    await gw.pushAdd({ jobName: 'sdk-gw', groupings: { step: '1' } });
    expect((await series('sdk-gw', 'sdk_gauge')).get('step=1')).toEqual([1, 2]);
    await gw.delete({ jobName: 'sdk-gw', groupings: { step: '1' } });
    expect(await (await fetch(server.url + '/metrics')).text()).not.toContain('sdk-gw');
  });

  it('StatsdClient: gradient-statsd style calls, job from TALLY_JOB_ID', async () => {
    const client = new StatsdClient({
      host: '127.0.0.1',
      port: server.statsdPort!,
      env: { TALLY_JOB_ID: 'sdk-statsd' },
    });
    client.increment('testMetric1', 1);
    client.increment('testMetric1', 1);
    client.decrement('testMetric1', 1);
    client.gauge('testMetric2', 77);
    await client.close();
    await until(async () => (await series('sdk-statsd', 'testMetric1')).get('instance=it')?.at(-1) === 1);
    await until(async () => (await series('sdk-statsd', 'testMetric2')).get('instance=it')?.at(-1) === 77);
    const job = (await api(server, 'GET', '/api/v1/jobs/sdk-statsd')).json.job;
    expect(job.metrics.find((m: { name: string }) => m.name === 'testMetric1').type).toBe('gauge');
  });
});
