// npm run bench -w @tally/promql: Tally's engine (over MemoryStorage and over @tally/tsdb) and
// Debian's Prometheus on the same samples, in the same run. Prints numbers; never gates.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, type Storage } from '@tally/storage';
import { openTsdb } from '@tally/tsdb';
import { Engine, toPrometheusData } from '../src/index.js';
import { prometheusBinary, startPrometheus, type PrometheusPeer } from '../test/support/prometheus-peer.js';
import type { SeriesData } from '../test/support/remote-write.js';
import { BENCH_START_MS, BENCH_STEP_MS, benchDataset } from './bench-dataset.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const END_MS = BENCH_START_MS + 999 * BENCH_STEP_MS;

interface Case {
  readonly name: string;
  readonly query: string;
}

const CASES: Case[] = [
  {
    name: 'rate(x[5m]), one series, whole range, 60 s step',
    query: 'rate(bench_requests_total{instance="host-0007:9100"}[5m])',
  },
  {
    name: 'sum by (job)(rate(x[5m])) over 500 counters, range 60 s',
    query: 'sum by (job) (rate(bench_requests_total[5m]))',
  },
  { name: 'rate(x[5m]) returning 500 series, range 60 s', query: 'rate(bench_requests_total[5m])' },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function fill(storage: Storage, data: SeriesData[]): Promise<void> {
  const app = storage.appender();
  for (const s of data)
    for (let i = 0; i < s.timestamps.length; i++) app.append(s.labels, s.timestamps[i]!, s.values[i]!);
  await app.commit();
}

/** Engine + the JSON the HTTP API would send, so it compares with Prometheus's HTTP round trip. */
function tallyRunner(storage: Storage, engine: Engine, query: string): () => Promise<number> {
  return async () => {
    const r = await engine.rangeQuery((a, b) => storage.querier(a, b), query, BENCH_START_MS, END_MS, 60_000);
    return JSON.stringify({ status: 'success', data: toPrometheusData(r) }).length;
  };
}

function promRunner(prom: PrometheusPeer, query: string): () => Promise<number> {
  const params = { query, start: String(BENCH_START_MS / 1000), end: String(END_MS / 1000), step: '60' };
  return async () => {
    const r = await prom.api('/api/v1/query_range', params);
    if (r.status !== 'success') throw new Error(r.error);
    return 0;
  };
}

async function main(): Promise<void> {
  const data = benchDataset();
  console.log(
    `dataset: ${data.length} series × ${data[0]!.timestamps.length} samples at 15 s (half counters); median of ${RUNS} runs`,
  );
  const memory = new MemoryStorage();
  await fill(memory, data);
  const dir = mkdtempSync(join(tmpdir(), 'tally-promql-bench-'));
  const tsdb = await openTsdb({ dir, autoCompact: false });
  await fill(tsdb, data);
  let prom: PrometheusPeer | undefined;
  if (prometheusBinary()) {
    prom = await startPrometheus();
    await prom.write(data);
  } else console.log('prometheus not installed: peer column skipped');
  const engine = new Engine();
  const rows: string[][] = [
    ['query', 'tally (memory)', 'tally (tsdb)', 'prometheus 2.42', 'tsdb / prometheus'],
  ];
  for (const c of CASES) {
    const mem = await time(tallyRunner(memory, engine, c.query));
    const ts = await time(tallyRunner(tsdb, engine, c.query));
    const pr = prom ? await time(promRunner(prom, c.query)) : NaN;
    rows.push([
      c.name,
      `${mem.toFixed(1)} ms`,
      `${ts.toFixed(1)} ms`,
      prom ? `${pr.toFixed(1)} ms` : 'n/a',
      prom ? (ts / pr).toFixed(2) : 'n/a',
    ]);
  }
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  for (const r of rows) console.log(`| ${r.map((cell, k) => cell.padEnd(widths[k]!)).join(' | ')} |`);
  await prom?.stop();
  await tsdb.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
