// Issue 8 benchmark: ingest into the embedded TSDB vs through the durable remote-write queue into
// VictoriaMetrics (and forwarding mode: embedded plus the queued copy), and the three PromQL
// benchmark queries (packages/promql/bench) evaluated embedded vs forwarded to VictoriaMetrics
// (and, for reference, evaluated by Tally over raw samples read from it), with the peer's own
// figure (the same samples remote-written straight to VictoriaMetrics) beside them.
// Run: npm run bench:beyond -w @tally/server. Prints numbers; never gates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snappy from 'snappyjs';
import { labelsFromRecord, type Labels } from '@tally/model';
import { Engine } from '@tally/promql';
import type { Storage } from '@tally/storage';
import { openTsdb } from '@tally/tsdb';
import { freePort, startPeer, which } from '../../../test-support/peers.js';
import { RemoteStorage, RemoteWriteQueue } from '../src/storage/remote/index.js';
import { RemoteHttpClient } from '../src/storage/remote/remote-http-client.js';
import { TeeStorage } from '../src/storage/remote/tee-storage.js';
import { encodeWriteRequest } from '../src/storage/remote/write-request-encoder.js';

const SERIES = 1000;
const SAMPLES = 1000;
const STEP_MS = 15_000;
const START_MS = Date.UTC(2026, 0, 1);
const END_MS = START_MS + (SAMPLES - 1) * STEP_MS;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const QUERIES = [
  ['rate(x[5m]), one series', 'rate(bench_requests_total{instance="host-0007:9100"}[5m])'],
  ['sum by (job)(rate(x[5m])), 500 counters', 'sum by (job) (rate(bench_requests_total[5m]))'],
  ['rate(x[5m]) returning 500 series', 'rate(bench_requests_total[5m])'],
] as const;

interface Data {
  labels: Labels;
  values: Float64Array;
}

/** The PromQL bench's shape: half counters (`bench_requests_total`), half gauges, 10 jobs. */
function dataset(): Data[] {
  let seed = 42;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: SERIES }, (_, i) => {
    const counter = i < SERIES / 2;
    const values = new Float64Array(SAMPLES);
    let v = counter ? Math.floor(rnd() * 1e6) : 20 + rnd() * 60;
    for (let j = 0; j < SAMPLES; j++) {
      v = counter ? v + Math.floor(rnd() * 100) : Math.round((v + (rnd() - 0.5) * 2) * 100) / 100;
      values[j] = v;
    }
    return {
      labels: labelsFromRecord({
        __name__: counter ? 'bench_requests_total' : 'bench_temperature_celsius',
        job: `job-${i % 10}`,
        instance: `host-${String(i).padStart(4, '0')}:9100`,
      }),
      values,
    };
  });
}

/** Appends time slice by time slice (as scrapes arrive), committing every 10 000 samples. */
async function ingest(store: Storage, data: Data[]): Promise<number> {
  const t0 = performance.now();
  for (let j = 0; j < SAMPLES; j += 10) {
    const app = store.appender();
    for (let k = j; k < j + 10; k++)
      for (const d of data) app.append(d.labels, START_MS + k * STEP_MS, d.values[k]!);
    await app.commit();
  }
  return performance.now() - t0;
}

/** The dataset with one more label, so a second copy in the same engine is a separate series. */
function relabelled(data: Data[], copy: string): Data[] {
  return data.map((d) => ({
    labels: labelsFromRecord({ ...Object.fromEntries(d.labels.map((l) => [l.name, l.value])), copy }),
    values: d.values,
  }));
}

/** The peer's own figure: the same samples remote-written straight to the engine, 4 requests in flight. */
async function directRemoteWrite(url: string, data: Data[]): Promise<number> {
  const bodies: Uint8Array[] = [];
  for (let j = 0; j < SAMPLES; j += 10) {
    bodies.push(
      snappy.compress(
        encodeWriteRequest(
          data.map((d) => ({
            labels: labelsFromRecord({
              ...Object.fromEntries(d.labels.map((l) => [l.name, l.value])),
              copy: 'direct',
            }),
            timestampsMs: Array.from({ length: 10 }, (_, k) => START_MS + (j + k) * STEP_MS),
            values: d.values.subarray(j, j + 10),
          })),
        ),
      ),
    );
  }
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
        });
        if (res.status >= 300) throw new Error(`direct write: HTTP ${res.status}`);
      }
    }),
  );
  return performance.now() - t0;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const rate = (ms: number): string =>
  `${Math.round((SERIES * SAMPLES) / (ms / 1000)).toLocaleString('en-US')} samples/s`;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  if (!which('victoria-metrics'))
    throw new Error('victoria-metrics is not installed (apt-get install victoria-metrics)');
  const dir = mkdtempSync(join(tmpdir(), 'tally-beyond-bench-'));
  const port = await freePort();
  const vmUrl = `http://127.0.0.1:${port}`;
  const vm = await startPeer({
    command: 'victoria-metrics',
    args: [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${join(dir, 'vm')}`,
      '-retentionPeriod=100y',
      '-search.latencyOffset=0s',
      '-search.disableCache',
      '-loggerLevel=ERROR',
    ],
    url: vmUrl,
    readyPath: '/health',
  });
  try {
    const data = dataset();
    console.log(
      `dataset: ${SERIES} series × ${SAMPLES} samples at 15 s (half counters), commits of 10 000 samples; queries: median of ${RUNS} runs, range over the whole dataset, 60 s step\n`,
    );
    const tsdb = await openTsdb({ dir: join(dir, 'tsdb'), autoCompact: false });
    const embeddedMs = await ingest(tsdb, data);
    const remote = new RemoteStorage({
      engine: 'victoriametrics',
      writeUrl: `${vmUrl}/api/v1/write`,
      queryUrl: vmUrl,
      queueDir: join(dir, 'queue'),
      readAfterWriteTimeoutMs: 60_000,
    });
    const t0 = performance.now();
    const queuedMs = await ingest(remote, data);
    await remote.queue.barrier(600_000);
    const deliveredMs = performance.now() - t0;

    const engine = new Engine();
    await fetch(`${vmUrl}/internal/force_flush`);
    const params = (q: string): URLSearchParams =>
      new URLSearchParams({
        query: q,
        start: String(START_MS / 1000),
        end: String(END_MS / 1000),
        step: '60',
      });
    console.log(
      '| query (range, 60 s step) | embedded (tsdb) | forwarded to VictoriaMetrics | Tally engine over raw samples from VictoriaMetrics | embedded / forwarded |',
    );
    console.log('|---|---|---|---|---|');
    for (const [name, q] of QUERIES) {
      const embedded = await median(() =>
        engine.rangeQuery((a, b) => tsdb.querier(a, b), q, START_MS, END_MS, 60_000),
      );
      const forwarded = await median(async () => {
        const r = await remote.forwardQuery('/api/v1/query_range', params(q));
        if (r.status !== 200) throw new Error(`forwarded: HTTP ${r.status} ${r.body.toString()}`);
      });
      const raw = await median(() =>
        engine.rangeQuery((a, b) => remote.querier(a, b), q, START_MS, END_MS, 60_000),
      );
      console.log(
        `| ${name} | ${fmt(embedded)} | ${fmt(forwarded)} | ${fmt(raw)} | ${(embedded / forwarded).toFixed(2)} |`,
      );
    }
    await remote.close();
    await tsdb.close();

    // After the queries, so these copies (labelled copy="…") do not double what they read.
    const client = new RemoteHttpClient();
    const tee = new TeeStorage(
      await openTsdb({ dir: join(dir, 'tsdb-tee'), autoCompact: false }),
      new RemoteWriteQueue({ dir: join(dir, 'forward-queue'), writeUrl: `${vmUrl}/api/v1/write`, client }),
      client,
    );
    const t1 = performance.now();
    const teeMs = await ingest(tee, relabelled(data, 'tee'));
    await tee.queue.barrier(600_000);
    const teeDeliveredMs = performance.now() - t1;
    await tee.close();
    const directMs = await directRemoteWrite(`${vmUrl}/api/v1/write`, data);

    console.log(
      '\n| ingest of 1 M samples | time | throughput | vs. direct remote write to VictoriaMetrics |',
    );
    console.log('|---|---|---|---|');
    const row = (what: string, ms: number): void =>
      console.log(`| ${what} | ${fmt(ms)} | ${rate(ms)} | ${(directMs / ms).toFixed(2)}× |`);
    row('embedded @tally/tsdb (commit durable)', embeddedMs);
    row('remote: queue, all commits durable (fsynced)', queuedMs);
    row('remote: delivered into VictoriaMetrics', deliveredMs);
    row('forwarding: embedded + queued copy, all commits durable', teeMs);
    row('forwarding: copy delivered into VictoriaMetrics', teeDeliveredMs);
    row('peer: direct remote write to VictoriaMetrics (4 in flight, no queue)', directMs);
  } finally {
    await vm.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
