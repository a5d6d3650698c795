import { createSocket } from 'node:dgram';
import { Matcher } from '@tally/storage';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { api, startTestServer } from './helpers.js';
import { untilDefined as until } from '../../../test-support/poll.js';

let server: RunningServer | undefined;
afterEach(async () => server?.close());

async function send(lines: string[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const line of lines) {
    await new Promise<void>((resolve, reject) =>
      socket.send(line, server!.statsdPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  }
  socket.close();
}

async function latest(name: string, matchers: Matcher[] = []): Promise<Map<string, number>> {
  const q = server!.storage.querier(0, Date.now() + 10_000);
  const out = new Map<string, number>();
  for (const s of await q.select([new Matcher('=', '__name__', name), ...matchers])) {
    const it = s.iterator();
    let v = NaN;
    while (it.next()) v = it.v;
    out.set(s.labels.map((l) => `${l.name}=${l.value}`).join(','), v);
  }
  return out;
}

const start = () =>
  startTestServer([
    '--statsd-listen',
    '127.0.0.1:0',
    '--statsd-flush-interval',
    '50ms',
    '--instance-name',
    'i1',
  ]);

describe('StatsD ingest', () => {
  it('aggregates counters, gauges and timers per job and flushes them', async () => {
    server = await start();
    await send([
      'testMetric1:1|c|#job:gsd',
      'testMetric1:2|c|#job:gsd',
      'testMetric1:1|c|@0.5|#job:gsd',
      'testMetric2:42|g|#job:gsd',
      'testMetric2:+8|g|#job:gsd',
      'lat:250|ms|#job:gsd,route:a',
      'lat:2000|ms|#job:gsd,route:a',
    ]);
    const counter = await until(async () => {
      const m = await latest('testMetric1');
      return m.get('__name__=testMetric1,instance=i1,job=gsd') === 5 ? m : undefined;
    });
    expect(counter.size).toBe(1);
    await until(async () =>
      (await latest('testMetric2')).get('__name__=testMetric2,instance=i1,job=gsd') === 50 ? true : undefined,
    );
    const buckets = await until(async () => {
      const m = await latest('lat_bucket');
      return m.size === 12 ? m : undefined;
    });
    expect(buckets.get('__name__=lat_bucket,instance=i1,job=gsd,le=0.25,route=a')).toBe(1);
    expect(buckets.get('__name__=lat_bucket,instance=i1,job=gsd,le=2.5,route=a')).toBe(2);
    expect((await latest('lat_sum')).get('__name__=lat_sum,instance=i1,job=gsd,route=a')).toBeCloseTo(2.25);
    const job = (await api(server, 'GET', '/api/v1/jobs/gsd')).json.job;
    const types = Object.fromEntries(
      job.metrics.map((m: { name: string; type: string }) => [m.name, m.type]),
    );
    expect(types).toMatchObject({
      testMetric1: 'counter',
      testMetric2: 'gauge',
      lat_bucket: 'histogram',
      lat_count: 'histogram',
    });
  });

  it('decrement lowers the counter, which is then typed as a gauge (up-down counter)', async () => {
    server = await start();
    await send(['jobs_running:5|c|#job:dec', 'jobs_running:-2|c|#job:dec']);
    await until(async () =>
      (await latest('jobs_running')).get('__name__=jobs_running,instance=i1,job=dec') === 3
        ? true
        : undefined,
    );
    const job = (await api(server, 'GET', '/api/v1/jobs/dec')).json.job;
    expect(job.metrics[0]).toMatchObject({ name: 'jobs_running', type: 'gauge', lastValue: '3' });
  });

  it("attributes gradient-statsd's container_name tag, keeps '-' in names, and counts refusals by reason", async () => {
    server = await start();
    await send([
      'acc-top1:0.9|g|#container_name:run-7',
      'orphan:1|c',
      'garbage line',
      'x:1|c|#job:bad.job',
      'my.dotted.name:3|g|#job:run-7',
    ]);
    await until(async () =>
      (await latest('acc-top1')).get('__name__=acc-top1,instance=i1,job=run-7') === 0.9 ? true : undefined,
    );
    await until(async () => ((await latest('my_dotted_name')).size === 1 ? true : undefined));
    const metrics = await (await fetch(server.url + '/metrics')).text();
    expect(metrics).toMatch(/tally_statsd_lines_refused_total\{reason="unattributed"\} 1/);
    expect(metrics).toMatch(/tally_statsd_lines_refused_total\{reason="malformed_malformed_line"\} 1/);
    expect(metrics).toMatch(/tally_statsd_lines_refused_total\{reason="invalid_job"\} 1/);
    expect(metrics).toMatch(/tally_statsd_lines_received_total 5/);
  });

  it('refuses undeclared names for a strict job and type conflicts', async () => {
    server = await start();
    await api(server, 'POST', '/api/v1/jobs', {
      name: 'strictsd',
      kind: 'experiment',
      metrics: ['ok'],
      strict: true,
    });
    await send(['ok:1|c|#job:strictsd', 'nope:1|c|#job:strictsd', 'ok:1|g|#job:strictsd']);
    await until(async () => ((await latest('ok')).size === 1 ? true : undefined));
    const metrics = await (await fetch(server.url + '/metrics')).text();
    expect(metrics).toMatch(/tally_statsd_lines_refused_total\{reason="strict"\} 1/);
    expect(metrics).toMatch(/tally_statsd_lines_refused_total\{reason="type_conflict"\} 1/);
  });

  it('flushes what it holds on shutdown', async () => {
    server = await startTestServer(['--statsd-listen', '127.0.0.1:0', '--statsd-flush-interval', '1h']);
    await send(['last:7|g|#job:bye']);
    // Received (and aggregated), not yet flushed: wait for the listener to count the line.
    await until(async () =>
      /tally_statsd_lines_received_total 1\b/.test(await (await fetch(server!.url + '/metrics')).text())
        ? true
        : undefined,
    );
    const storage = server.storage;
    const q0 = storage.querier(0, Date.now() + 1000);
    expect(await q0.select([new Matcher('=', '__name__', 'last')])).toEqual([]);
    // close() flushes before storage closes; read the memory store's state through the stats we kept.
    const jobs = server.jobs;
    await server.close();
    server = undefined;
    expect(jobs.statsOf('bye').seriesCount).toBe(1);
  });
});
