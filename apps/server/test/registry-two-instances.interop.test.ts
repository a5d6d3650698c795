// Two real `tally serve` processes on one PostgreSQL registry and one VictoriaMetrics: a job
// created on A takes pushes on B with A's token, Pushgateway groups are shared, StatsD goes to
// both, both answer the same queries, and a deletion on B is seen by A (tokens refused, series
// gone from the engine).
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, metricsHandler, Registry } from '@tally/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, peerAvailable, tempDir } from '../../../test-support/peers.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from '../../../test-support/postgres.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from './remote-engines.js';
import { startTallyProcess, type TallyProcess } from './tally-process.js';
import { until } from '../../../test-support/poll.js';

const ADMIN = 'two-instance-admin-token';
const available =
  peerAvailable('postgresql (/usr/lib/postgresql/*/bin)', postgresBinDir() !== undefined) &&
  peerAvailable(ENGINE_BINARIES.victoriametrics, engineInstalled('victoriametrics'));

async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, text: await res.text() };
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(t: TallyProcess, q: string): Promise<Sample[]> {
  const r = await call(t.url, 'GET', `/api/v1/query?${new URLSearchParams({ query: q }).toString()}`, ADMIN);
  if (r.status !== 200) throw new Error(`query ${q} on ${t.url}: ${r.status} ${r.text}`);
  return (JSON.parse(r.text) as { data: { result: Sample[] } }).data.result;
}

async function selfMetric(t: TallyProcess, name: string): Promise<number> {
  const text = (await call(t.url, 'GET', '/metrics', ADMIN)).text;
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

const canonical = (rs: Sample[]): string[] =>
  rs.map((r) => `${JSON.stringify(Object.entries(r.metric).sort())} ${r.value[1]}`).sort();

describe.runIf(available)('two tally serve instances on one PostgreSQL and one VictoriaMetrics', () => {
  let pg: RunningPostgres;
  let vm: EngineUnderTest;
  const dirA = tempDir('two-a');
  const dirB = tempDir('two-b');
  let a: TallyProcess;
  let b: TallyProcess;
  let statsdA = 0;
  let statsdB = 0;

  beforeAll(async () => {
    [pg, vm] = await Promise.all([startPostgres(), startEngine('victoriametrics')]);
    statsdA = await freePort();
    statsdB = await freePort();
    const flags = (dir: string, statsd: number, name: string): string[] => [
      '--data-dir',
      dir,
      '--storage',
      'remote',
      '--remote-write-url',
      vm.writeUrl,
      '--remote-query-url',
      vm.queryUrl,
      '--remote-engine',
      'victoriametrics',
      '--registry',
      pg.url,
      '--admin-token',
      ADMIN,
      '--no-auto-create-jobs',
      '--statsd-listen',
      `127.0.0.1:${statsd}`,
      '--statsd-flush-interval',
      '200ms',
      '--instance-name',
      name,
      '--log-level',
      'warn',
    ];
    // Started together: the schema migration is serialised by the advisory lock.
    [a, b] = await Promise.all([
      startTallyProcess(flags(dirA.path, statsdA, 'tally-a')),
      startTallyProcess(flags(dirB.path, statsdB, 'tally-b')),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([vm?.destroy(), pg?.remove()]);
    dirA.remove();
    dirB.remove();
  });

  let pushToken = '';

  it('a job created on A takes pushes on B with the token A issued', async () => {
    const created = await call(
      a.url,
      'POST',
      '/api/v1/jobs',
      ADMIN,
      JSON.stringify({ name: 'shared', kind: 'experiment', metrics: ['loss'] }),
    );
    expect(created.status).toBe(201);
    pushToken = (JSON.parse(created.text) as { pushToken: string }).pushToken;
    // At once, without waiting for B to have the notification: B looks an unknown token up in
    // the registry before answering 401.
    const push = await call(b.url, 'PUT', '/metrics/job/shared/worker/w1', pushToken, 'loss 0.5\n');
    expect(push).toEqual({ status: 200, text: '' });
    expect((await call(b.url, 'GET', '/api/v1/jobs/shared', ADMIN)).status).toBe(200);
    expect((await call(b.url, 'PUT', '/metrics/job/shared', 'no-such-token', 'x 1\n')).status).toBe(401);
    // A job B never heard of is refused (automatic creation is off).
    expect((await call(b.url, 'PUT', '/metrics/job/other', ADMIN, 'x 1\n')).status).toBe(404);
  });

  it("a Pushgateway group PUT via B is in A's /api/v1/metrics", async () => {
    const groups = await until(
      "B's group on A",
      async () =>
        JSON.parse((await call(a.url, 'GET', '/api/v1/metrics', ADMIN)).text) as {
          data: { labels: Record<string, string> }[];
        },
      (r) => r.data.some((g) => g.labels.job === 'shared' && g.labels.worker === 'w1'),
    );
    expect(groups.data.filter((g) => g.labels.job === 'shared')).toHaveLength(1);
  });

  it('StatsD to both instances; both answer the same queries from the engine', async () => {
    const sock = createSocket('udp4');
    try {
      const send = (port: number, line: string): Promise<void> =>
        new Promise((resolve, reject) =>
          sock.send(line, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
        );
      const expected = ['tally-a 5', 'tally-b 6'];
      const seen = (rs: Sample[]): string[] => rs.map((r) => `${r.metric.instance} ${r.value[1]}`).sort();
      // Gauges: re-sending a lost datagram changes nothing.
      const fromA = await until(
        'both StatsD gauges in the engine, via A',
        async () => {
          await send(statsdA, 'two_inst_temp:5|g|#job:shared');
          await send(statsdB, 'two_inst_temp:6|g|#job:shared');
          return query(a, 'two_inst_temp{job="shared"}');
        },
        (rs) => JSON.stringify(seen(rs)) === JSON.stringify(expected),
      );
      const fromB = await until(
        'the same answer via B',
        () => query(b, 'two_inst_temp{job="shared"}'),
        (rs) => JSON.stringify(seen(rs)) === JSON.stringify(expected),
      );
      expect(canonical(fromB)).toEqual(canonical(fromA));
      const loss = await until(
        'the pushed sample via A',
        () => query(a, 'loss{job="shared"}'),
        (rs) => rs.length === 1,
      );
      expect(loss[0]!.value[1]).toBe('0.5');
      expect(canonical(await query(b, 'loss{job="shared"}'))).toEqual(canonical(loss));
    } finally {
      sock.close();
    }
  });

  it('a deletion on B: A refuses the job and its token, and the series are gone', async () => {
    const del = await call(b.url, 'DELETE', '/api/v1/jobs/shared', ADMIN);
    expect(del.status).toBe(200);
    await until(
      'A to refuse the token',
      () => call(a.url, 'PUT', '/metrics/job/shared/worker/w2', pushToken, 'loss 1\n'),
      (r) => r.status === 401,
    );
    expect((await call(a.url, 'GET', '/api/v1/jobs/shared', ADMIN)).status).toBe(404);
    // 409 "being deleted" while B finishes, then 404: the job is gone.
    await until(
      'A to answer that the job does not exist',
      () => call(a.url, 'PUT', '/metrics/job/shared', ADMIN, 'loss 1\n'),
      (r) => r.status === 404,
    );
    const groups = JSON.parse((await call(a.url, 'GET', '/api/v1/metrics', ADMIN)).text) as {
      data: { labels: Record<string, string> }[];
    };
    expect(groups.data.filter((g) => g.labels.job === 'shared')).toEqual([]);
    await until(
      'the series to be gone from the engine (asked through both)',
      async () => [...(await query(a, '{job="shared"}')), ...(await query(b, '{job="shared"}'))],
      (rs) => rs.length === 0,
    );
    // A second deletion finds nothing: it was done once.
    expect((await call(a.url, 'DELETE', '/api/v1/jobs/shared', ADMIN)).status).toBe(404);
  });

  it('exactly one instance scrapes a declared target; the other takes over when it stops', async () => {
    const registry = new Registry();
    new Counter({ name: 'served_requests', help: 'Requests', registers: [registry] }).inc(7);
    const handler = metricsHandler(registry);
    let requests = 0;
    const app: Server = createServer((req, res) => {
      requests++;
      handler(req, res);
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/metrics`;
      const created = await call(
        b.url,
        'POST',
        '/api/v1/jobs',
        ADMIN,
        JSON.stringify({ name: 'web', kind: 'deployment', scrapeTargets: [{ url, intervalSeconds: 0.2 }] }),
      );
      expect(created.status).toBe(201);
      const leaders = await until(
        'one leader scraping the target',
        async () => [
          [await selfMetric(a, 'tally_scrape_leader'), await selfMetric(a, 'tally_scrape_targets')],
          [await selfMetric(b, 'tally_scrape_leader'), await selfMetric(b, 'tally_scrape_targets')],
        ],
        (v) =>
          JSON.stringify([...v].sort()) ===
          JSON.stringify([
            [0, 0],
            [1, 1],
          ]),
      );
      const [leader, follower] = leaders[0]![0] === 1 ? [a, b] : [b, a];
      const scraped = await until(
        'the scraped counter, queried through the follower',
        () => query(follower, 'served_requests_total{job="web"}'),
        (rs) => rs.length === 1,
      );
      expect(scraped[0]!.value[1]).toBe('7');
      // The leader stops: its session ends, the lock is free, the follower takes over.
      await leader.stop();
      await until(
        'the follower to lead and scrape',
        async () => [
          await selfMetric(follower, 'tally_scrape_leader'),
          await selfMetric(follower, 'tally_scrape_targets'),
        ],
        (v) => v[0] === 1 && v[1] === 1,
      );
      const before = requests;
      await until(
        'scrapes by the new leader',
        () => Promise.resolve(requests),
        (n) => n > before,
      );
    } finally {
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});
