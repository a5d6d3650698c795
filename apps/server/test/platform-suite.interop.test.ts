// One end-to-end suite, run unchanged on every storage tally serve offers: the embedded TSDB, and
// remote storage on Debian's victoria-metrics and prometheus. Everything goes through Tally's own
// APIs, as a user's clients and Grafana would: a job declared, metrics pushed (Pushgateway API),
// sent over StatsD (UDP) and remote-written, read back with PromQL, and the job deleted.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, tempDir } from '../../../test-support/peers.js';
import { until } from '../../../test-support/poll.js';
import type { RunningServer } from '../src/server.js';
import { api, remoteWrite, startTestServer } from './helpers.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from './remote-engines.js';

type Mode = 'embedded' | 'victoriametrics' | 'prometheus';

const available = (mode: Mode): boolean =>
  mode === 'embedded' || peerAvailable(ENGINE_BINARIES[mode], engineInstalled(mode));

async function sendStatsd(port: number, lines: string[]): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) =>
    socket.send(lines.join('\n'), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
  );
  socket.close();
}

/** An instant query through Tally: `{labels…} value` per series, sorted, for comparison. */
async function query(server: RunningServer, expr: string): Promise<string[]> {
  const r = await api(server, 'GET', `/api/v1/query?query=${encodeURIComponent(expr)}`);
  if (r.status !== 200) throw new Error(`query ${expr}: ${r.status} ${r.text}`);
  const result = r.json.data.result as { metric: Record<string, string>; value: [number, string] }[];
  return result
    .map(({ metric, value }) => {
      const { instance: _instance, ...labels } = metric;
      return `${JSON.stringify(labels)} ${value[1]}`;
    })
    .sort();
}

for (const mode of ['embedded', 'victoriametrics', 'prometheus'] as const) {
  describe.runIf(available(mode))(`the platform on ${mode} storage`, () => {
    let engine: EngineUnderTest | undefined;
    let server: RunningServer;
    const dir = tempDir(`platform-${mode}`);

    /** Polls a query until it gives `expected` (remote engines make samples queryable after a moment). */
    const eventually = (expr: string, expected: string[]): Promise<string[]> =>
      until(
        `${expr} to give ${JSON.stringify(expected)} on ${mode}`,
        async () => {
          if (engine) await fetch(`${engine.queryUrl}/internal/force_flush`).catch(() => undefined);
          return query(server, expr);
        },
        (got) => JSON.stringify(got) === JSON.stringify(expected),
        60_000,
        200,
      );

    beforeAll(async () => {
      const storage: string[] = [];
      if (mode !== 'embedded') {
        engine = await startEngine(mode);
        storage.push(
          '--storage',
          'remote',
          '--remote-write-url',
          engine.writeUrl,
          '--remote-query-url',
          engine.queryUrl,
          '--remote-engine',
          mode,
        );
      } else storage.push('--storage', 'tsdb');
      server = await startTestServer([
        ...storage,
        '--data-dir',
        dir.path,
        '--statsd-listen',
        '127.0.0.1:0',
        '--statsd-flush-interval',
        '200ms',
      ]);
    });
    afterAll(async () => {
      await server?.close();
      await engine?.destroy();
      dir.remove();
    });

    it('declares a job with its metrics', async () => {
      const created = await api(server, 'POST', '/api/v1/jobs', {
        name: 'suite-run',
        kind: 'experiment',
        metrics: ['loss', 'steps', 'tokens'],
      });
      expect(created.status).toBe(201);
      const shown = await api(server, 'GET', '/api/v1/jobs/suite-run');
      expect(shown.json.job.declaredMetrics).toEqual(['loss', 'steps', 'tokens']);
    });

    it('takes a push, StatsD and remote write for the job and answers PromQL over them', async () => {
      const push = await fetch(`${server.url}/metrics/job/suite-run/step/1`, {
        method: 'PUT',
        body: '# TYPE loss gauge\nloss 0.25\n',
      });
      expect(push.status).toBe(200);
      await sendStatsd(server.statsdPort!, ['steps:3|c|#job:suite-run', 'steps:4|c|#job:suite-run']);
      const now = Date.now();
      const rw = await remoteWrite(server, [
        { labels: { __name__: 'tokens', job: 'suite-run', shard: '0' }, samples: [[now, 1000]] },
        { labels: { __name__: 'tokens', job: 'suite-run', shard: '1' }, samples: [[now, 500]] },
      ]);
      expect(rw.status).toBe(204);

      expect(
        await eventually('loss', ['{"__name__":"loss","job":"suite-run","step":"1"} 0.25']),
      ).toHaveLength(1);
      expect(
        await eventually('sum by (job) ({__name__=~"steps.*", job="suite-run"})', ['{"job":"suite-run"} 7']),
      ).toHaveLength(1);
      expect(await eventually('sum(tokens)', ['{} 1500'])).toHaveLength(1);
      expect(await query(server, 'count by (job) ({job="suite-run"})')).toEqual(['{"job":"suite-run"} 4']);
    });

    it('deletes the job with all its series', async () => {
      const del = await api(server, 'DELETE', '/api/v1/jobs/suite-run');
      expect(del.status).toBe(200);
      expect((await api(server, 'GET', '/api/v1/jobs/suite-run')).status).toBe(404);
      expect(await eventually('{job="suite-run"}', [])).toEqual([]);
      // A push token or auto-creation brings a new job of the same name, without the old series.
      const again = await fetch(`${server.url}/metrics/job/suite-run`, { method: 'PUT', body: 'loss 1\n' });
      expect(again.status).toBe(200);
      expect(await eventually('{job="suite-run"}', ['{"__name__":"loss","job":"suite-run"} 1'])).toHaveLength(
        1,
      );
    });
  });
}
