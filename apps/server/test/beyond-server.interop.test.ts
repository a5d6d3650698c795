import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gauge, metricsHandler, Registry } from '@tally/sdk';
import { peerAvailable, tempDir } from '../../../test-support/peers.js';
import type { RunningServer } from '../src/server.js';
import { api, remoteWrite, startTestServer } from './helpers.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from './remote-engines.js';

/** Asks the engine itself (not Tally) for an instant query's result. */
async function engineQuery(
  e: EngineUnderTest,
  query: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${e.queryUrl}/api/v1/query?${new URLSearchParams({ query }).toString()}`);
  const body = (await res.json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result;
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await fetch(`${engineForFlush?.queryUrl ?? ''}/internal/force_flush`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
  }
}
let engineForFlush: EngineUnderTest | undefined;

// tally serve with --storage remote on Debian's victoria-metrics and prometheus: every ingest path
// lands in the engine, queries are forwarded, the queue is on /metrics, job deletion reaches the engine.
for (const engine of ['victoriametrics', 'prometheus'] as const) {
  describe.runIf(peerAvailable(ENGINE_BINARIES[engine], engineInstalled(engine)))(
    `tally serve on remote storage (${engine})`,
    () => {
      let e: EngineUnderTest;
      let server: RunningServer;
      let target: Server;
      const dir = tempDir('beyond-server');
      const gauge = new Gauge({ name: 'scraped_temperature', help: 'x', registers: [] });
      beforeAll(async () => {
        e = await startEngine(engine);
        engineForFlush = e;
        const registry = new Registry();
        registry.registerMetric(gauge);
        gauge.set(21.5);
        target = createServer(metricsHandler(registry));
        await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
        const scrapeUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/metrics`;
        const scrapeConfig = join(dir.path, 'scrape.json');
        writeFileSync(
          scrapeConfig,
          JSON.stringify({ 'scraped-app': [{ url: scrapeUrl, interval: '200ms', timeout: '150ms' }] }),
        );
        server = await startTestServer([
          '--storage',
          'remote',
          '--data-dir',
          dir.path,
          '--remote-write-url',
          e.writeUrl,
          '--remote-query-url',
          e.queryUrl,
          '--remote-engine',
          engine,
          '--scrape-config',
          scrapeConfig,
        ]);
      });
      afterAll(async () => {
        await server.close();
        await new Promise<void>((r) => target.close(() => r()));
        await e.destroy();
        dir.remove();
      });

      it('stores pushes, remote writes and OTLP in the engine and forwards queries to it', async () => {
        const push = await fetch(`${server.url}/metrics/job/train-1/step/1`, {
          method: 'PUT',
          body: 'loss 0.5\n',
        });
        expect(push.status).toBe(200);
        const now = Date.now();
        expect(
          (
            await remoteWrite(server, [
              { labels: { __name__: 'rw_metric', job: 'train-1' }, samples: [[now, 7]] },
            ])
          ).status,
        ).toBe(204);
        const otlp = await fetch(`${server.url}/v1/metrics`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            resourceMetrics: [
              {
                resource: { attributes: [{ key: 'service.name', value: { stringValue: 'train-1' } }] },
                scopeMetrics: [
                  {
                    metrics: [
                      {
                        name: 'otel.gauge',
                        gauge: { dataPoints: [{ asDouble: 3, timeUnixNano: String(now * 1e6) }] },
                      },
                    ],
                  },
                ],
              },
            ],
          }),
        });
        expect(otlp.status).toBe(200);
        const inEngine = await eventually(
          () => engineQuery(e, '{job="train-1"}'),
          (r) => r.length >= 3,
        );
        expect(inEngine.map((r) => r.metric.__name__).sort()).toEqual(
          expect.arrayContaining(['loss', 'otel_gauge', 'rw_metric']),
        );
        // Forwarded: Tally's answer is the engine's.
        const viaTally = await api(
          server,
          'GET',
          `/api/v1/query?query=${encodeURIComponent('sum(rw_metric)')}`,
        );
        expect(viaTally.status).toBe(200);
        expect(viaTally.json.data.result[0].value[1]).toBe('7');
      });

      it('scrapes the configured target into the engine', async () => {
        const r = await eventually(
          () => engineQuery(e, 'scraped_temperature{job="scraped-app"}'),
          (x) => x.length > 0,
        );
        expect(r[0]?.value[1]).toBe('21.5');
        const up = await engineQuery(e, 'up{job="scraped-app"}');
        expect(up[0]?.value[1]).toBe('1');
      });

      it('shows the queue on /metrics and deletes a job in the engine', async () => {
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toMatch(/^tally_remote_queue_pending_samples \d+/m);
        expect(metrics).toMatch(/^tally_remote_queue_lag_seconds [\d.e+-]+/m);
        expect(metrics).toMatch(/^tally_remote_samples_sent [1-9]\d*/m);
        const del = await api(server, 'DELETE', '/api/v1/jobs/train-1');
        expect(del.status).toBeLessThan(300);
        const left = await eventually(
          () => engineQuery(e, '{job="train-1"}'),
          (r) => r.length === 0,
        );
        expect(left).toEqual([]);
      });
    },
  );
}

describe.runIf(peerAvailable(ENGINE_BINARIES.victoriametrics, engineInstalled('victoriametrics')))(
  'forwarding mode: embedded storage plus a copy in VictoriaMetrics',
  () => {
    let e: EngineUnderTest;
    let server: RunningServer;
    const dir = tempDir('beyond-forward');
    beforeAll(async () => {
      e = await startEngine('victoriametrics');
      engineForFlush = e;
      server = await startTestServer(['--data-dir', dir.path, '--forward-write-url', e.writeUrl]);
    });
    afterAll(async () => {
      await server.close();
      await e.destroy();
      dir.remove();
    });

    it('answers from the embedded store and copies every sample to the engine', async () => {
      for (let i = 1; i <= 3; i++) {
        const res = await fetch(`${server.url}/metrics/job/fwd`, { method: 'PUT', body: `epoch ${i}\n` });
        expect(res.status).toBe(200);
      }
      const local = await api(server, 'GET', '/api/v1/query?query=epoch');
      expect(local.json.data.result[0].value[1]).toBe('3');
      const copied = await eventually(
        async () => {
          const res = await fetch(
            `${e.queryUrl}/api/v1/query?${new URLSearchParams({ query: 'count_over_time(epoch{job="fwd"}[1h])' }).toString()}`,
          );
          return ((await res.json()) as { data: { result: { value: [number, string] }[] } }).data.result;
        },
        (r) => r[0]?.value[1] === '3',
      );
      expect(copied[0]?.value[1]).toBe('3');
    });
  },
);
