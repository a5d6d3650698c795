// Real StatsD clients into the parser: Debian's Python `statsd` (plain StatsD, what
// gradient-statsd builds on) and hot-shots (DogStatsD, the Node client) send to a UDP socket
// on 127.0.0.1; every datagram they send parses to the events they meant, with no error.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import HotShots from 'hot-shots';
import { afterEach, describe, expect, it } from 'vitest';
import { debianPython, hasPythonModule, peerAvailable } from '../../../test-support/peers.js';
import { parseStatsdPacket, type StatsdEvent } from '@tally/model';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function receiver() {
  const socket = createSocket('udp4');
  const packets: Buffer[] = [];
  socket.on('message', (msg) => packets.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, packets };
}

async function eventsOf(packets: Buffer[], count: number) {
  for (let i = 0; i < 500 && packets.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  const events: StatsdEvent[] = [];
  for (const packet of packets) {
    const parsed = parseStatsdPacket(packet);
    expect(parsed.errors).toEqual([]);
    events.push(...parsed.events);
  }
  return events.map((e) => ({ ...e, labels: { ...e.labels } }));
}

describe.skipIf(!peerAvailable('python3-statsd', hasPythonModule('statsd')))("Python's statsd client", () => {
  it('sends lines the parser reads as intended', async () => {
    const r = await receiver();
    const script = `
import statsd
c = statsd.StatsClient('127.0.0.1', ${r.port}, prefix='train')
c.incr('steps')
c.incr('steps', 5)
c.decr('steps', 2)
c.gauge('loss', 0.25)
c.gauge('loss', -0.5, delta=True)
c.timing('batch', 120)
c.set('users', 'alice')
c.incr('sampled', 1, rate=1)
`;
    const run = spawnSync(debianPython, ['-c', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await eventsOf(r.packets, 8)).toEqual([
      { type: 'counter', name: 'train.steps', value: 1, labels: {} },
      { type: 'counter', name: 'train.steps', value: 5, labels: {} },
      { type: 'counter', name: 'train.steps', value: -2, labels: {} },
      { type: 'gauge', name: 'train.loss', value: 0.25, relative: false, labels: {} },
      { type: 'gauge', name: 'train.loss', value: -0.5, relative: true, labels: {} },
      { type: 'observer', name: 'train.batch', value: 0.12, labels: {} },
      { type: 'set', name: 'train.users', member: 'alice', labels: {} },
      { type: 'counter', name: 'train.sampled', value: 1, labels: {} },
    ]);
  });
});

describe('hot-shots (DogStatsD)', () => {
  it('sends lines the parser reads as intended, tags included', async () => {
    const r = await receiver();
    const client = new HotShots({ host: '127.0.0.1', port: r.port, globalTags: { job: 'train-7' } });
    const sent = (fn: (cb: () => void) => void) => new Promise<void>((resolve) => fn(() => resolve()));
    await sent((cb) => client.increment('my_counter', 1, { model: 'v1' }, cb));
    await sent((cb) => client.decrement('my_counter', 2, cb));
    await sent((cb) => client.gauge('my_gauge', 42, { model: 'v1' }, cb));
    await sent((cb) => client.histogram('my_histogram', 100, ['model:v1'], cb));
    await sent((cb) => client.timing('latency', 250, cb));
    await sent((cb) => client.distribution('size', 3.5, cb));
    await sent((cb) => client.set('users', 'bob', cb));
    await new Promise<void>((resolve) => client.close(() => resolve()));
    const job = { job: 'train-7' };
    expect(await eventsOf(r.packets, 7)).toEqual([
      { type: 'counter', name: 'my_counter', value: 1, labels: { ...job, model: 'v1' } },
      { type: 'counter', name: 'my_counter', value: -2, labels: job },
      { type: 'gauge', name: 'my_gauge', value: 42, relative: false, labels: { ...job, model: 'v1' } },
      { type: 'observer', name: 'my_histogram', value: 100, labels: { ...job, model: 'v1' } },
      { type: 'observer', name: 'latency', value: 0.25, labels: job },
      { type: 'observer', name: 'size', value: 3.5, labels: job },
      { type: 'set', name: 'users', member: 'bob', labels: job },
    ]);
  });
});
