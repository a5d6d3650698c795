// Push latency of a 10 000-series registry to the real Pushgateway (Debian's
// prometheus-pushgateway, started here on 127.0.0.1): Tally's Pushgateway client against
// prom-client's (devDependency), same registry contents, interleaved in one run.
//   node --conditions=source --import tsx bench/push.bench.ts   (npm run bench -w @tally/sdk)
// A push is serialisation + HTTP PUT until the Pushgateway has parsed and answered.
import * as prom from 'prom-client';
import { pushgatewayInstalled, startPushgateway } from '../../../test-support/pushgateway.js';
import { Gauge } from '../src/metrics/gauge.js';
import { Pushgateway } from '../src/push/pushgateway.js';
import { Registry } from '../src/registry/registry.js';

const SERIES = 10_000;
const PUSHES = 15;

if (!pushgatewayInstalled()) {
  console.log('### Push latency\n\nprometheus-pushgateway is not installed: skipped.');
  process.exit(0);
}
const peer = await startPushgateway('pgw-bench');

const tallyRegistry = new Registry();
const tallyGauge = new Gauge({
  name: 'bench_value',
  help: 'h',
  labelNames: ['shard', 'worker'],
  registers: [tallyRegistry],
});
const promRegistry = new prom.Registry();
const promGauge = new prom.Gauge({
  name: 'bench_value',
  help: 'h',
  labelNames: ['shard', 'worker'],
  registers: [promRegistry],
});
for (let i = 0; i < SERIES; i++) {
  const labels = { shard: `s${i % 100}`, worker: `w${Math.floor(i / 100)}` };
  tallyGauge.labels(labels).set(i);
  promGauge.labels(labels).set(i);
}

const cases = {
  tally: new Pushgateway(peer.url, {}, tallyRegistry),
  tallyGzip: new Pushgateway(peer.url, { gzip: true }, tallyRegistry),
  peer: new prom.Pushgateway(peer.url, {}, promRegistry),
};

async function latencyMs(push: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await push();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const samples: Record<'tally' | 'tallyGzip' | 'peer' | 'tallyText' | 'peerText', number[]> = {
  tally: [],
  tallyGzip: [],
  peer: [],
  tallyText: [],
  peerText: [],
};
const job = (who: string) => ({ jobName: `bench-${who}` });
await cases.tally.push(job('tally')); // warm-up, and the groups exist before timing
await cases.peer.push(job('peer'));
await cases.tallyGzip.push(job('gzip'));
for (let i = 0; i < PUSHES; i++) {
  samples.peer.push(await latencyMs(() => cases.peer.push(job('peer'))));
  samples.tally.push(await latencyMs(() => cases.tally.push(job('tally'))));
  samples.tallyGzip.push(await latencyMs(() => cases.tallyGzip.push(job('gzip'))));
  samples.peerText.push(await latencyMs(() => promRegistry.metrics()));
  samples.tallyText.push(await latencyMs(() => tallyRegistry.metrics()));
}

// The Pushgateway must now hold the 10 000 series of each group.
const exposed = await (await fetch(`${peer.url}/metrics`)).text();
const count = (j: string) =>
  exposed.split('\n').filter((l) => l.startsWith('bench_value{') && l.includes(`job="${j}"`)).length;
await peer.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (label: string, t: number[], p: number[]) =>
  `| ${label} | ms | ${median(t).toFixed(1)} | ${median(p).toFixed(1)} | ${(median(p) / median(t)).toFixed(2)}× |`;
console.log(
  [
    `### Push latency: ${SERIES.toLocaleString('en')}-series registry, PUT to prometheus-pushgateway on 127.0.0.1 (median of ${PUSHES})`,
    '',
    '| case | unit | Tally | prom-client | prom-client ÷ Tally (>1: Tally faster) |',
    '|---|---|---:|---:|---:|',
    row('push (serialise + PUT + Pushgateway parse)', samples.tally, samples.peer),
    row('push, gzip body', samples.tallyGzip, samples.peer),
    row('of which the client-side serialisation', samples.tallyText, samples.peerText),
    '',
    `Series the Pushgateway then exposed: Tally ${count('bench-tally')}, Tally gzip ${count('bench-gzip')}, prom-client ${count('bench-peer')}.`,
    `Node ${process.version}, ${process.platform}/${process.arch}.`,
  ].join('\n'),
);
