// Measures Debian's Prometheus on the same dataset: remote write into a fresh server (no scrape
// jobs, loopback only), then a TSDB snapshot through the admin API (the head is written out as a
// block), and bytes per sample over the snapshot's blocks (DESIGN.md: measure blocks, not the WAL).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { freePort, startPeer, tempDir, which } from '../../../test-support/peers.js';
import type { Dataset } from './dataset.js';
import { remoteWrite } from './remote-write.js';

export interface PeerResult {
  readonly bytes: number;
  readonly samples: number;
  readonly bytesPerSample: number;
  readonly ingestSeconds: number;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    total += e.isDirectory() ? dirBytes(`${dir}/${e.name}`) : statSync(`${dir}/${e.name}`).size;
  return total;
}

export const prometheusAvailable = (): boolean => which('prometheus') !== undefined;

export async function measurePrometheus(ds: Dataset): Promise<PeerResult> {
  const tmp = tempDir('bench-prom');
  const port = await freePort();
  const cfg = `${tmp.path}/prometheus.yml`;
  writeFileSync(cfg, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const url = `http://127.0.0.1:${port}`;
  const peer = await startPeer({
    command: 'prometheus',
    args: [
      `--config.file=${cfg}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${tmp.path}/data`,
      '--web.enable-remote-write-receiver',
      '--web.enable-admin-api',
    ],
    url,
    readyPath: '/-/ready',
  });
  try {
    const started = performance.now();
    await remoteWrite(`${url}/api/v1/write`, ds);
    const ingestSeconds = (performance.now() - started) / 1000;
    const res = await fetch(`${url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
    const body = (await res.json()) as { data?: { name?: string } };
    const name = body.data?.name;
    if (!res.ok || !name) throw new Error(`snapshot failed: ${res.status} ${JSON.stringify(body)}`);
    const snap = `${tmp.path}/data/snapshots/${name}`;
    let bytes = 0;
    let samples = 0;
    for (const block of readdirSync(snap)) {
      const meta = JSON.parse(readFileSync(`${snap}/${block}/meta.json`, 'utf8')) as {
        stats: { numSamples: number };
      };
      samples += meta.stats.numSamples;
      bytes += dirBytes(`${snap}/${block}`);
    }
    return { bytes, samples, bytesPerSample: bytes / samples, ingestSeconds };
  } finally {
    await peer.stop();
    tmp.remove();
  }
}
