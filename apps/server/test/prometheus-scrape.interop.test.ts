// A real Prometheus (Debian's) scraping tally's GET /metrics with honor_labels sees the pushed series
// with their own job labels — the Pushgateway's deployment model, unchanged.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  peerAvailable,
  startPeer,
  tempDir,
  which,
  type RunningPeer,
} from '../../../test-support/peers.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers.js';

const available = peerAvailable('prometheus (Debian)', which('prometheus') !== undefined);

describe.runIf(available)('Prometheus scrapes /metrics with honor_labels', () => {
  let prom: RunningPeer;
  let tally: RunningServer;
  const dir = tempDir('prom-scrape');
  beforeAll(async () => {
    tally = await startTestServer();
    const body =
      '# HELP loss Training loss.\n# TYPE loss gauge\nloss{step="3"} 0.25\n' +
      '# TYPE my_failures_total counter\nmy_failures_total 2\n' +
      '# TYPE lat histogram\nlat_bucket{le="0.5"} 1\nlat_bucket{le="+Inf"} 3\nlat_sum 4\nlat_count 3\n';
    expect((await fetch(tally.url + '/metrics/job/train/instance/w1', { method: 'PUT', body })).status).toBe(
      200,
    );
    const port = await freePort();
    const target = tally.url.replace('http://', '');
    writeFileSync(
      `${dir.path}/prometheus.yml`,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tally\n    honor_labels: true\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    prom = await startPeer({
      command: 'prometheus',
      args: [
        `--config.file=${dir.path}/prometheus.yml`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${dir.path}/data`,
      ],
      url: `http://127.0.0.1:${port}`,
      readyPath: '/-/ready',
    });
  });
  afterAll(async () => {
    await prom?.stop();
    await tally?.close();
    dir.remove();
  });

  it('sees the pushed series under their pushed job, and the scrape is healthy', async () => {
    const query = async (q: string) => {
      const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`);
      return (
        (await r.json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        }
      ).data.result;
    };
    let loss: Awaited<ReturnType<typeof query>> = [];
    const deadline = Date.now() + 30_000;
    while (loss.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      loss = await query('loss');
    }
    expect(loss).toHaveLength(1);
    expect(loss[0]!.metric).toEqual({ __name__: 'loss', job: 'train', instance: 'w1', step: '3' });
    expect(loss[0]!.value[1]).toBe('0.25');
    expect((await query('my_failures_total'))[0]!.value[1]).toBe('2');
    expect((await query('histogram_quantile(0.5, lat_bucket)'))[0]!.metric).toEqual({
      job: 'train',
      instance: 'w1',
    });
    const up = await query('up{job="tally"}');
    expect(up[0]!.value[1]).toBe('1');
    expect((await query('tally_samples_ingested_total{source="push"}'))[0]!.value[1]).toBe('6');
    const targets = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastError: string }[] };
    };
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
  });
});
