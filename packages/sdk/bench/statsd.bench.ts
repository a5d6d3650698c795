// StatsD lines per second, two tags, buffered into 1432-byte datagrams, over UDP to a receiver
// on 127.0.0.1: Tally's StatsdClient against hot-shots (devDependency), interleaved in one run.
//   node --conditions=source --import tsx bench/statsd.bench.ts   (npm run bench -w @tally/sdk)
// A round is LINES calls plus close() (the last flush, every datagram handed to the kernel).
// The receiver is a child process, so this process's CPU time is the client's own; on a shared
// machine CPU time is the steadier figure, wall-clock lines/s is printed beside it. Loopback UDP
// drops datagrams under load (DESIGN.md): the receiver counts what arrived.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import HotShots from 'hot-shots';
import { StatsdClient } from '../src/statsd/statsd-client.js';

const LINES = 200_000;
const ROUNDS = 5;
const HOT_SHOTS_VERSION = (createRequire(import.meta.url)('hot-shots/package.json') as { version: string })
  .version;

// The receiver: counts lines; answers each stdin line, once nothing has arrived for 200 ms,
// with the count so far, and resets it.
const receiverSource = `
const dgram = require('node:dgram');
const socket = dgram.createSocket('udp4');
let lines = 0;
let lastMs = Date.now();
socket.on('message', (msg) => { lastMs = Date.now(); lines++; for (const b of msg) if (b === 10) lines++; });
socket.bind(0, '127.0.0.1', () => {
  try { socket.setRecvBufferSize(32 << 20); } catch {}
  console.log(socket.address().port);
});
require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
  const check = setInterval(() => {
    if (Date.now() - lastMs < 200) return;
    clearInterval(check);
    console.log(lines);
    lines = 0;
  }, 50);
});`;
const receiver = spawn(process.execPath, ['-e', receiverSource], { stdio: ['pipe', 'pipe', 'inherit'] });
const replies = createInterface({ input: receiver.stdout })[Symbol.asyncIterator]();
const nextReply = async () => Number((await replies.next()).value);
const port = await nextReply();
const receivedSinceLastAsk = async () => {
  receiver.stdin.write('count\n');
  return nextReply();
};

interface Round {
  wallSeconds: number;
  cpuSeconds: number;
}

async function timed(run: () => Promise<void>): Promise<Round> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const clients = {
  tally: () =>
    timed(async () => {
      const client = new StatsdClient({ host: '127.0.0.1', port, maxBufferSize: 1432, env: {} });
      for (let i = 0; i < LINES; i++) client.increment('requests', 1, { route: '/api/items', method: 'get' });
      await client.close();
    }),
  peer: () =>
    timed(async () => {
      const client = new HotShots({
        host: '127.0.0.1',
        port,
        maxBufferSize: 1432,
        bufferFlushInterval: 1000,
      });
      for (let i = 0; i < LINES; i++) client.increment('requests', 1, { route: '/api/items', method: 'get' });
      await new Promise<void>((resolve) => client.close(() => resolve()));
    }),
};

const best = { tally: { wall: 0, cpu: 0 }, peer: { wall: 0, cpu: 0 } };
const received = { tally: [] as number[], peer: [] as number[] };
await receivedSinceLastAsk();
for (let round = 0; round < ROUNDS; round++) {
  for (const who of ['peer', 'tally'] as const) {
    const r = await clients[who]();
    best[who].wall = Math.max(best[who].wall, LINES / r.wallSeconds);
    best[who].cpu = Math.max(best[who].cpu, LINES / r.cpuSeconds);
    received[who].push((await receivedSinceLastAsk()) / LINES);
  }
}
receiver.kill();

const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M`;
const share = (xs: number[]) =>
  `${(Math.min(...xs) * 100).toFixed(0)}–${(Math.max(...xs) * 100).toFixed(0)} %`;
const row = (label: string, unit: string, t: number, p: number) =>
  `| ${label} | ${unit} | ${fmt(t)} | ${fmt(p)} | ${(t / p).toFixed(2)}× |`;
console.log(
  [
    '### StatsD client: `increment(name, 1, { route, method })`, buffered (1432 B), UDP to 127.0.0.1',
    '',
    '| case | unit | Tally | hot-shots | Tally vs hot-shots |',
    '|---|---|---:|---:|---:|',
    row(
      `${LINES.toLocaleString('en')} lines + close(), CPU time`,
      'lines/CPU-s',
      best.tally.cpu,
      best.peer.cpu,
    ),
    row(
      `${LINES.toLocaleString('en')} lines + close(), wall clock`,
      'lines/s',
      best.tally.wall,
      best.peer.wall,
    ),
    `| lines the receiver got, per round | share | ${share(received.tally)} | ${share(received.peer)} | |`,
    '',
    `Node ${process.version}, ${process.platform}/${process.arch}; best of ${ROUNDS} interleaved rounds; hot-shots ${HOT_SHOTS_VERSION} (defaults, no aggregation).`,
  ].join('\n'),
);
