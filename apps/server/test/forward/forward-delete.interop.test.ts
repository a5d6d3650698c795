// Forwarding mode on Debian's victoria-metrics: deleting a job deletes its forwarded copy too,
// queued behind the samples sent before it — through an outage of the engine and a restart of
// tally serve in the middle of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, tempDir } from '../../../../test-support/peers.js';
import type { RunningServer } from '../../src/server.js';
import { api, remoteWrite, startTestServer } from '../helpers.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from '../remote-engines.js';
import { until } from '../../../../test-support/poll.js';

type Result = { metric: Record<string, string>; value: [number, string] }[];

async function engineQuery(e: EngineUnderTest, query: string): Promise<Result> {
  await fetch(`${e.queryUrl}/internal/force_flush`);
  const res = await fetch(`${e.queryUrl}/api/v1/query?${new URLSearchParams({ query }).toString()}`);
  return ((await res.json()) as { data: { result: Result } }).data.result;
}

async function gauge(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe.runIf(peerAvailable(ENGINE_BINARIES.victoriametrics, engineInstalled('victoriametrics')))(
  'forwarding mode on VictoriaMetrics: job deletion reaches the copy, in order, through an outage and a restart',
  () => {
    let e: EngineUnderTest;
    let server: RunningServer | undefined;
    const dir = tempDir('forward-delete');
    const start = (): Promise<RunningServer> =>
      startTestServer(['--storage', 'tsdb', '--data-dir', dir.path, '--forward-write-url', e.writeUrl]);
    // Samples a minute apart, recent enough for VictoriaMetrics' default query lookback.
    const t0 = Date.now() - 30 * 60_000;
    const write = async (job: string, from: number, to: number): Promise<void> => {
      const samples: [number, number][] = [];
      for (let i = from; i <= to; i++) samples.push([t0 + i * 60_000, i]);
      const res = await remoteWrite(server!, [
        { labels: { __name__: 'fwd_steps', job, shard_hint: 'a' }, samples },
        { labels: { __name__: 'fwd_steps', job, shard_hint: 'b' }, samples },
        { labels: { __name__: 'fwd_loss', job }, samples },
      ]);
      expect(res.status).toBe(204);
    };
    const countInEngine = async (job: string): Promise<number> => {
      const r = await engineQuery(e, `sum(count_over_time({job="${job}"}[2h]))`);
      return Number(r[0]?.value[1] ?? 0);
    };

    beforeAll(async () => {
      e = await startEngine('victoriametrics');
      server = await start();
    });
    afterAll(async () => {
      await server?.close();
      await e.destroy();
      dir.remove();
    });

    it('copies both jobs, then deletes one while the engine is down and tally serve restarts', async () => {
      await write('fwd-gone', 1, 5);
      await write('fwd-keep', 1, 5);
      await until(
        'the condition',
        async () => [await countInEngine('fwd-gone'), await countInEngine('fwd-keep')],
        (c) => c[0] === 15 && c[1] === 15,
      );

      await e.stop();
      // Acknowledged while the engine is down: queued behind the first samples.
      await write('fwd-gone', 6, 8);
      await write('fwd-keep', 6, 8);
      const del = await api(server!, 'DELETE', '/api/v1/jobs/fwd-gone');
      expect(del.status).toBe(200);
      // Gone locally at once; its copy's deletion waits in the queue.
      const local = await api(
        server!,
        'GET',
        `/api/v1/query?query=${encodeURIComponent('{job="fwd-gone"}')}`,
      );
      expect(local.json.data.result).toEqual([]);
      expect(await gauge(server!, 'tally_remote_queue_pending_deletions')).toBe(1);
      await write('fwd-keep', 9, 10);

      // A restart while the engine is still down: the queue, the deletion with it, is on disk.
      await server!.close();
      server = await start();
      expect(await gauge(server, 'tally_remote_queue_pending_deletions')).toBe(1);

      await e.restart();
      await until(
        'the condition',
        async () => [
          await gauge(server!, 'tally_remote_queue_pending_deletions'),
          await gauge(server!, 'tally_remote_queue_pending_samples'),
        ],
        (g) => g[0] === 0 && g[1] === 0,
      );
      // The samples queued during the outage reached the engine before the deletion, so none
      // of fwd-gone is left; fwd-keep has every sample.
      expect(await countInEngine('fwd-gone')).toBe(0);
      expect(await countInEngine('fwd-keep')).toBe(30);
      expect(await gauge(server, 'tally_remote_deletions_refused')).toBe(0);
    });

    it('a job created again after its deletion is copied afresh', async () => {
      await write('fwd-gone', 20, 21);
      await until(
        'the condition',
        () => countInEngine('fwd-gone'),
        (n) => n === 6,
      );
    });
  },
);
