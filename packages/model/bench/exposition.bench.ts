// Exposition benchmark: parse and write a 10 000-series exposition in both formats, with
// Python's prometheus_client parsers (Debian's 0.16, the peer the interop test reads back with)
// and prom-client's serialiser beside them. Prints numbers; never gates anything.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import client from 'prom-client';
import {
  OpenMetricsParser,
  PrometheusTextParser,
  parseOpenMetrics,
  parsePrometheusText,
  writeOpenMetrics,
  writePrometheusText,
} from '../src/index.js';
import { benchFamilies } from './exposition-bench-data.js';

/**
 * Runs `fn` repeatedly for about `ms` after a warm-up; CPU seconds (user + system) per run.
 * CPU time, not wall time: the benchmark machine is shared, and CPU time is what stays
 * comparable between Tally and the peers measured in turn (Python reports process_time too).
 */
function timeIt(fn: () => unknown, ms = 2000): number {
  for (let i = 0; i < 3; i++) fn();
  let runs = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < ms) {
    fn();
    runs++;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6 / runs;
}

const families = benchFamilies();
const samples = families.reduce((n, f) => n + f.samples.length, 0);
const text = writePrometheusText(families);
const om = writeOpenMetrics(families);
const textBytes = new TextEncoder().encode(text);
const omBytes = new TextEncoder().encode(om);

function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
const textChunks = chunks(textBytes, 64 * 1024);
const omChunks = chunks(omBytes, 64 * 1024);

const rows: { case: string; tally: number; unit: string; peer?: number; peerName?: string }[] = [];
const mbps = (bytes: number, s: number) => bytes / 1e6 / s;

function parseRow(name: string, bytes: number, s: number, peer?: number) {
  const row = { case: `${name} MB/s`, tally: mbps(bytes, s), unit: 'MB/s' };
  rows.push(
    peer === undefined ? row : { ...row, peer: mbps(bytes, peer), peerName: 'Python prometheus_client' },
  );
  const srow = { case: `${name} samples/s`, tally: samples / s, unit: 'samples/s' };
  rows.push(
    peer === undefined ? srow : { ...srow, peer: samples / peer, peerName: 'Python prometheus_client' },
  );
}

const python = pythonTimes();
parseRow(
  'parse text 0.0.4 (string)',
  textBytes.length,
  timeIt(() => parsePrometheusText(text)),
  python?.text,
);
parseRow(
  'parse text 0.0.4 (64 KiB byte chunks)',
  textBytes.length,
  timeIt(() => {
    const p = new PrometheusTextParser();
    for (const c of textChunks) p.write(c);
    return p.end();
  }),
);
parseRow(
  'parse OpenMetrics (string)',
  omBytes.length,
  timeIt(() => parseOpenMetrics(om)),
  python?.om,
);
parseRow(
  'parse OpenMetrics (64 KiB byte chunks)',
  omBytes.length,
  timeIt(() => {
    const p = new OpenMetricsParser();
    for (const c of omChunks) p.write(c);
    return p.end();
  }),
);

// Writers: the same 10 000 series; prom-client serialising a registry holding them is the peer.
const registry = await promClientRegistry();
const promClientText = await timeAsync(() => registry.metrics());
const writeText = timeIt(() => writePrometheusText(families));
rows.push({
  case: 'write text 0.0.4 samples/s',
  tally: samples / writeText,
  unit: 'samples/s',
  peer: samples / promClientText,
  peerName: 'prom-client registry.metrics()',
});
rows.push({
  case: 'write OpenMetrics samples/s',
  tally: samples / timeIt(() => writeOpenMetrics(families)),
  unit: 'samples/s',
});

console.log(
  `exposition: ${samples} series, text ${(textBytes.length / 1e6).toFixed(2)} MB, OpenMetrics ${(omBytes.length / 1e6).toFixed(2)} MB, node ${process.version}`,
);
console.log('figures per CPU-second (user + system time of the process), not per wall-clock second');
console.log('| case | Tally | peer | ratio |');
console.log('|---|---:|---:|---:|');
for (const r of rows) {
  const fmt = (v: number) => (r.unit === 'MB/s' ? v.toFixed(1) : Math.round(v).toLocaleString('en-US'));
  const peer = r.peer === undefined ? '—' : `${fmt(r.peer)} (${r.peerName})`;
  const ratio = r.peer === undefined ? '—' : `${(r.tally / r.peer).toFixed(1)}×`;
  console.log(`| ${r.case} | ${fmt(r.tally)} | ${peer} | ${ratio} |`);
}

async function timeAsync(fn: () => Promise<unknown>, ms = 2000): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let runs = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < ms) {
    await fn();
    runs++;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6 / runs;
}

async function promClientRegistry(): Promise<client.Registry> {
  const reg = new client.Registry();
  for (const f of families) {
    const labelNames = [
      ...new Set(f.samples.flatMap((s) => s.labels.map((l) => l.name)).filter((n) => n !== 'le')),
    ];
    if (f.type === 'counter') {
      const c = new client.Counter({
        name: `${f.name}_total`,
        help: f.help ?? '',
        labelNames,
        registers: [reg],
      });
      for (const s of f.samples) c.inc(Object.fromEntries(s.labels.map((l) => [l.name, l.value])), s.value);
    } else if (f.type === 'gauge') {
      const g = new client.Gauge({ name: f.name, help: f.help ?? '', labelNames, registers: [reg] });
      for (const s of f.samples) g.set(Object.fromEntries(s.labels.map((l) => [l.name, l.value])), s.value);
    } else {
      const h = new client.Histogram({
        name: f.name,
        help: f.help ?? '',
        labelNames,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [reg],
      });
      for (const s of f.samples) {
        if (s.name.endsWith('_count'))
          h.observe(Object.fromEntries(s.labels.map((l) => [l.name, l.value])), 0.3);
      }
    }
  }
  return Promise.resolve(reg);
}

/** Seconds per parse of the same inputs by Debian's Python client, or undefined without it. */
function pythonTimes(): { text: number; om: number } | undefined {
  if (!existsSync('/usr/bin/python3')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  try {
    writeFileSync(join(dir, 'text'), text);
    writeFileSync(join(dir, 'om'), om);
    const script = `
import sys, time
from prometheus_client.parser import text_string_to_metric_families as t
from prometheus_client.openmetrics.parser import text_string_to_metric_families as o
def run(parse, s):
    list(parse(s))
    n, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < 2 or n < 2:
        list(parse(s)); n += 1
    return (time.process_time() - cpu) / n
print(run(t, open(sys.argv[1]).read()), run(o, open(sys.argv[2]).read()))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', script, join(dir, 'text'), join(dir, 'om')], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      console.warn(`python peer unavailable: ${r.stderr.trim().split('\n').pop() ?? ''}`);
      return undefined;
    }
    const [t, o] = r.stdout.trim().split(' ').map(Number);
    return { text: t!, om: o! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
