// Two tally serve instances aggregating StatsD into one Debian victoria-metrics: each writes
// its own series (instance label), so every counter stays monotonic and they add up.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, peerAvailable } from '../../../../test-support/peers.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from '../remote-engines.js';
import { received, until } from './statsd-test-kit.js';

type Matrix = { metric: Record<string, string>; values: [number, string][] }[];

async function rawSeries(e: EngineUnderTest, selector: string): Promise<Matrix> {
  await fetch(`${e.queryUrl}/internal/force_flush`);
  const q = new URLSearchParams({ query: `${selector}[1h]` });
  const res = await fetch(`${e.queryUrl}/api/v1/query?${q.toString()}`);
  return ((await res.json()) as { data: { result: Matrix } }).data.result;
}

/** Sends lines over one TCP connection and closes it cleanly (TCP: nothing is dropped). */
async function sendTcp(port: number, lines: string[]): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.end(lines.join('\n') + '\n', () => resolve());
  });
}

describe.runIf(peerAvailable(ENGINE_BINARIES.victoriametrics, engineInstalled('victoriametrics')))(
  'two instances aggregating StatsD into one VictoriaMetrics',
  () => {
    let e: EngineUnderTest;
    const servers: { server: RunningServer; tcpPort: number }[] = [];
    beforeAll(async () => {
      e = await startEngine('victoriametrics');
      for (const name of ['tally-a', 'tally-b']) {
        const tcpPort = await freePort();
        const server = await startTestServer([
          '--storage',
          'remote',
          '--remote-write-url',
          e.writeUrl,
          '--remote-query-url',
          e.queryUrl,
          '--statsd-tcp-listen',
          `127.0.0.1:${tcpPort}`,
          '--statsd-flush-interval',
          '100ms',
          '--instance-name',
          name,
        ]);
        servers.push({ server, tcpPort });
      }
    });
    afterAll(async () => {
      for (const s of servers) await s.server.close();
      await e.destroy();
    });

    it('keeps one monotonic counter series per instance, and their sum is every increment', async () => {
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const increments = (n: number) => Array.from({ length: n }, () => 'requests:1|c|#job:shared,route:/x');
      await sendTcp(a.tcpPort, increments(3));
      await sendTcp(b.tcpPort, increments(5));
      await until(async () =>
        (await received(a.server)) === 3 && (await received(b.server)) === 5 ? true : undefined,
      );
      await sendTcp(a.tcpPort, increments(4));
      await until(async () => ((await received(a.server)) === 7 ? true : undefined));
      const series = await until(async () => {
        const m = await rawSeries(e, 'requests{job="shared"}');
        const last = (inst: string) => m.find((s) => s.metric.instance === inst)?.values.at(-1)?.[1];
        return m.length === 2 && last('tally-a') === '7' && last('tally-b') === '5' ? m : undefined;
      }, 60_000);
      for (const s of series) {
        expect(s.metric).toMatchObject({ __name__: 'requests', job: 'shared', route: '/x' });
        const values = s.values.map(([, v]) => Number(v));
        for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
      }
      const total = series.reduce((n, s) => n + Number(s.values.at(-1)![1]), 0);
      expect(total).toBe(12);
    });
  },
);
