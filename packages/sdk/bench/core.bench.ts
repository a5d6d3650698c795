// Tally's metric types against prom-client 15 (devDependency), side by side in one process:
//   node --expose-gc --conditions=source --import tsx bench/core.bench.ts   (npm run bench -w @tally/sdk)
import * as prom from 'prom-client';
import { Counter, Histogram, Registry } from '../src/index.js';
import { asyncCallsPerSecond, heapBytesPer, opsPerSecond, printTable, type Row } from './harness.js';

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
const labelSets = Array.from({ length: 10 }, (_, i) => ({
  method: METHODS[i % 5]!,
  endpoint: `/api/v${i % 2}/items`,
}));
const pick = (i: number) => labelSets[i % 10]!;

let n = 0;
const fresh = (prefix: string) => `${prefix}_${++n}`;

function tallyCounter(registers: Registry[] = []) {
  return new Counter({ name: fresh('tally_c'), help: 'h', labelNames: ['method', 'endpoint'], registers });
}
function promCounter(registers: prom.Registry[] = []) {
  return new prom.Counter({
    name: fresh('prom_c'),
    help: 'h',
    labelNames: ['method', 'endpoint'],
    registers,
  });
}

const rows: Row[] = [];
const ops = (label: string, tally: (i: number) => void, peer: (i: number) => void) => {
  // Interleaved: peer, Tally, peer, Tally; the best round of each counts.
  const p1 = opsPerSecond(peer);
  const t1 = opsPerSecond(tally);
  const p2 = opsPerSecond(peer);
  const t2 = opsPerSecond(tally);
  rows.push({
    case: label,
    unit: 'ops/s',
    tally: Math.max(t1, t2),
    peer: Math.max(p1, p2),
    higherIsBetter: true,
  });
};

{
  const t = tallyCounter();
  const p = promCounter();
  ops(
    '`labels({...}).inc()`, 10 label sets',
    (i) => t.labels(pick(i)).inc(),
    (i) => p.labels(pick(i)).inc(),
  );
  ops(
    '`inc(labels, 1)`, 10 rotating label sets',
    (i) => t.inc(pick(i), 1),
    (i) => p.inc(pick(i), 1),
  );
  const tc = t.labels('get', '/');
  const pc = p.labels('get', '/');
  ops(
    'bound child `inc()`',
    () => tc.inc(),
    () => pc.inc(),
  );
}
{
  const t = new Histogram({
    name: fresh('tally_h'),
    help: 'h',
    labelNames: ['method', 'endpoint'],
    registers: [],
  });
  const p = new prom.Histogram({
    name: fresh('prom_h'),
    help: 'h',
    labelNames: ['method', 'endpoint'],
    registers: [],
  });
  ops(
    'labelled histogram `observe(labels, v)`',
    (i) => t.observe(pick(i), (i % 1000) / 500),
    (i) => p.observe(pick(i), (i % 1000) / 500),
  );
}

async function serialisation(label: string, fill: (tr: Registry, pr: prom.Registry) => void): Promise<void> {
  const tr = new Registry();
  const pr = new prom.Registry();
  fill(tr, pr);
  const peer = await asyncCallsPerSecond(() => pr.metrics());
  const tally = await asyncCallsPerSecond(() => tr.metrics());
  rows.push({ case: label, unit: 'calls/s', tally, peer, higherIsBetter: true });
}

await serialisation('`metrics()`, 10 000 counter series', (tr, pr) => {
  const t = tallyCounter([tr]);
  const p = promCounter([pr]);
  for (let i = 0; i < 10_000; i++) {
    const labels = { method: METHODS[i % 5]!, endpoint: `/items/${i}` };
    t.inc(labels, i);
    p.inc(labels, i);
  }
});
await serialisation('`metrics()`, 1 000 histogram series', (tr, pr) => {
  const t = new Histogram({
    name: 'tally_hs',
    help: 'h',
    labelNames: ['method', 'endpoint'],
    registers: [tr],
  });
  const p = new prom.Histogram({
    name: 'prom_hs',
    help: 'h',
    labelNames: ['method', 'endpoint'],
    registers: [pr],
  });
  for (let i = 0; i < 1_000; i++) {
    const labels = { method: METHODS[i % 5]!, endpoint: `/items/${i}` };
    for (let k = 0; k < 5; k++) {
      t.observe(labels, (i * k) / 1000);
      p.observe(labels, (i * k) / 1000);
    }
  }
});

{
  const SERIES = 20_000;
  // The label values are built once and shared by both, so neither pays for the strings.
  const values = Array.from({ length: SERIES }, (_, i) => `/items/${i}`);
  const peer = heapBytesPer(SERIES, () => {
    const p = promCounter();
    for (let i = 0; i < SERIES; i++) p.inc({ method: 'get', endpoint: values[i]! }, 1);
    return p;
  });
  const tally = heapBytesPer(SERIES, () => {
    const t = new Counter({
      name: fresh('tally_mem'),
      help: 'h',
      labelNames: ['method', 'endpoint'],
      registers: [],
      maxSeries: SERIES,
    });
    for (let i = 0; i < SERIES; i++) t.inc({ method: 'get', endpoint: values[i]! }, 1);
    return t;
  });
  rows.push({
    case: 'heap per counter series (20 000), `inc(labels)`',
    unit: 'bytes',
    tally,
    peer,
    higherIsBetter: false,
  });
  // The same through labels(): Tally then keeps a cached series object per series; prom-client's
  // labels() returns a fresh bound object each call and keeps nothing more.
  const peerHeld = heapBytesPer(SERIES, () => {
    const p = promCounter();
    for (let i = 0; i < SERIES; i++) p.labels({ method: 'get', endpoint: values[i]! }).inc();
    return p;
  });
  const tallyHeld = heapBytesPer(SERIES, () => {
    const t = new Counter({
      name: fresh('tally_mem'),
      help: 'h',
      labelNames: ['method', 'endpoint'],
      registers: [],
      maxSeries: SERIES,
    });
    for (let i = 0; i < SERIES; i++) t.labels({ method: 'get', endpoint: values[i]! }).inc();
    return t;
  });
  rows.push({
    case: 'heap per counter series (20 000), `labels({...}).inc()`',
    unit: 'bytes',
    tally: tallyHeld,
    peer: peerHeld,
    higherIsBetter: false,
  });
}

printTable('@tally/sdk core vs prom-client 15.1.3', 'prom-client', rows);
