// npm run bench -w @tally/tsdb — prints numbers, never gates. See README § Benchmarks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher, type SeriesRef } from '@tally/storage';
import { openTsdb, type Tsdb } from '../src/index.js';
import { mlDataset, scrapeDataset, type Dataset } from './dataset.js';
import { measurePrometheus, prometheusAvailable } from './prometheus-peer.js';

const WRITERS = 4;
const STEPS_PER_COMMIT = 10;

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

async function ingest(db: Tsdb, ds: Dataset): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const mine = ds.series.filter((_, i) => i % WRITERS === w);
      const refs: SeriesRef[] = [];
      const app = db.appender();
      for (let from = 0; from < ds.samplesPerSeries; from += STEPS_PER_COMMIT) {
        const to = Math.min(ds.samplesPerSeries, from + STEPS_PER_COMMIT);
        for (let k = 0; k < mine.length; k++) {
          const s = mine[k]!;
          for (let j = from; j < to; j++) {
            const t = ds.startMs + j * ds.stepMs;
            if (j === 0) refs[k] = app.append(s.labels, t, s.values[j]!);
            else app.appendByRef(refs[k]!, t, s.values[j]!);
          }
        }
        await app.commit();
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeSelect(
  db: Tsdb,
  matchers: Matcher[],
  runs: number,
): Promise<{ ms: number; series: number }> {
  const times: number[] = [];
  let series = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const q = db.querier(-Infinity, Infinity);
    const got = await q.select(matchers);
    for (const s of got) {
      const it = s.iterator();
      while (it.next());
    }
    q.close();
    times.push(performance.now() - started);
    series = got.length;
  }
  return { ms: median(times), series };
}

async function run(ds: Dataset, full: boolean): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-tsdb-bench-'));
  const total = ds.series.length * ds.samplesPerSeries;
  const out: Record<string, string> = {};
  try {
    let db = await openTsdb({ dir, autoCompact: false });
    let cpu = process.cpuUsage();
    const ingestS = await ingest(db, ds);
    out['ingest samples/s (appender, 4 writers, 10-step commits, fsync), wall'] = fmt(total / ingestS);
    out['ingest samples per CPU-second (process CPU time)'] = fmt(total / cpuSeconds(cpu));
    await db.close();

    cpu = process.cpuUsage();
    db = await openTsdb({ dir, autoCompact: false });
    const replayCpu = cpuSeconds(cpu);
    const st = db.stats();
    out[`WAL replay of ${fmt(st.replayedSamples)} samples, wall`] = `${(st.replayMs / 1000).toFixed(2)} s`;
    out[`WAL replay, CPU time (open included)`] = `${replayCpu.toFixed(2)} s`;

    await db.cutHead();
    await db.compact();
    const after = db.stats();
    out['blocks after compaction'] = String(after.blocks);
    out['bytes/sample on disk (blocks: chunks + index + meta)'] = (
      after.blockBytes / after.numSamples
    ).toFixed(3);

    const job = [new Matcher('=', 'job', ds.series[0]!.labels.find((l) => l.name === 'job')!.value)];
    await timeSelect(db, job, 1); // warm-up
    const started = performance.now();
    cpu = process.cpuUsage();
    await timeSelect(db, job, 1);
    const decodeS = (performance.now() - started) / 1000;
    out['decode samples/s (select all + iterate), wall'] = fmt(total / decodeS);
    out['decode samples per CPU-second'] = fmt(total / cpuSeconds(cpu));
    if (full) {
      const one = ds.series[0]!.labels.map((l) => new Matcher('=', l.name, l.value));
      const r1 = await timeSelect(db, one, 50);
      out['select 1 series, whole range (median)'] = `${r1.ms.toFixed(2)} ms`;
      const r500 = await timeSelect(db, [new Matcher('=', 'kind', 'counter')], 10);
      out[`select ${r500.series} series, whole range (median)`] = `${r500.ms.toFixed(1)} ms`;
    }
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const datasets: [Dataset, boolean][] = [
    [scrapeDataset(), true],
    [mlDataset(), false],
  ];
  for (const [ds, full] of datasets) {
    console.log(`\n## ${ds.name}`);
    const res = await run(ds, full);
    const key = 'bytes/sample on disk (blocks: chunks + index + meta)';
    for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(72)} ${v}`);
    if (!prometheusAvailable()) {
      console.log('prometheus not installed: peer comparison skipped');
      continue;
    }
    const prom = await measurePrometheus(ds);
    const ours = Number(res[key]);
    console.log(
      `${'Prometheus 2.x bytes/sample (snapshot blocks)'.padEnd(72)} ${prom.bytesPerSample.toFixed(3)} (${fmt(prom.samples)} samples, ${fmt(prom.bytes)} bytes)`,
    );
    console.log(
      `${'ratio tally/prometheus bytes/sample'.padEnd(72)} ${(ours / prom.bytesPerSample).toFixed(3)}`,
    );
  }
}

await main();
