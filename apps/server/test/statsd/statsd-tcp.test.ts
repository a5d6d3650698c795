import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/peers.js';
import { resolveServeConfig } from '../../src/config/serve-config.js';
import { listenStatsdTcp } from '../../src/ingest/statsd/statsd-tcp.js';
import { silentLogger } from '../../src/log/logger.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers.js';
import { latest, received, refused, until } from './statsd-test-kit.js';

let server: RunningServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

async function startTcp(): Promise<{ server: RunningServer; port: number }> {
  const port = await freePort();
  const s = await startTestServer([
    '--statsd-tcp-listen',
    `127.0.0.1:${port}`,
    '--statsd-flush-interval',
    '50ms',
    '--instance-name',
    'tcp-1',
  ]);
  return { server: s, port };
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

const write = (socket: Socket, data: string | Buffer): Promise<void> =>
  new Promise((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));

const value = async (s: RunningServer, name: string, job: string): Promise<number | undefined> =>
  (await latest(s, name)).get(`__name__=${name},instance=tcp-1,job=${job}`);

describe('StatsD over TCP (--statsd-tcp-listen)', () => {
  it('is off by default and parses its address', () => {
    expect(resolveServeConfig([]).statsdTcpListen).toBeUndefined();
    expect(resolveServeConfig(['--statsd-tcp-listen', '127.0.0.1:9125']).statsdTcpListen).toEqual({
      host: '127.0.0.1',
      port: 9125,
    });
    expect(() => resolveServeConfig(['--statsd-tcp-listen', 'nope'])).toThrow(/--statsd-tcp-listen/);
  });

  it('aggregates newline-delimited lines, a line split across packets included', async () => {
    const t = await startTcp();
    server = t.server;
    const c = await open(t.port);
    await write(c, 'steps:1|c|#job:tcp\nsteps:2|c|#jo');
    await write(c, 'b:tcp\nloss:0.');
    await write(c, '5|g|#job:tcp\nlat:250|ms|#job:tcp\n');
    await until(async () => ((await value(t.server, 'steps', 'tcp')) === 3 ? true : undefined));
    await until(async () => ((await value(t.server, 'loss', 'tcp')) === 0.5 ? true : undefined));
    await until(async () => ((await value(t.server, 'lat_count', 'tcp')) === 1 ? true : undefined));
    expect(await received(t.server)).toBe(4);
  });

  it('refuses and counts a bad line and keeps the connection', async () => {
    const t = await startTcp();
    server = t.server;
    const c = await open(t.port);
    await write(c, 'garbage line\nno_job:1|c\nok:1|c|#job:tcp\n');
    await until(async () => ((await value(t.server, 'ok', 'tcp')) === 1 ? true : undefined));
    await write(c, 'ok:1|c|#job:tcp\n');
    await until(async () => ((await value(t.server, 'ok', 'tcp')) === 2 ? true : undefined));
    expect(await refused(t.server, 'malformed_malformed_line')).toBe(1);
    expect(await refused(t.server, 'unattributed')).toBe(1);
    expect(c.destroyed).toBe(false);
  });

  it('refuses a line past the length bound, skips to its newline, and goes on', async () => {
    const t = await startTcp();
    server = t.server;
    const c = await open(t.port);
    const long = 'x'.repeat(70 * 1024);
    await write(c, `big:1|c|#job:tcp,pad:${long.slice(0, 30_000)}`);
    await write(c, long);
    await write(c, '|c\nafter:1|c|#job:tcp\n');
    await until(async () => ((await value(t.server, 'after', 'tcp')) === 1 ? true : undefined));
    expect(await refused(t.server, 'line_too_long')).toBe(1);
    expect((await latest(t.server, 'big')).size).toBe(0);
    await write(c, 'after:1|c|#job:tcp\n');
    await until(async () => ((await value(t.server, 'after', 'tcp')) === 2 ? true : undefined));
  });

  it('one client sending garbage and breaking off never disturbs another', async () => {
    const t = await startTcp();
    server = t.server;
    const good = await open(t.port);
    const bad = await open(t.port);
    await write(good, 'g:1|c|#job:tcp\n');
    await write(bad, Buffer.from([0xff, 0xfe, 0x0a]));
    await write(bad, `${'y'.repeat(100 * 1024)}\nno colon\n`);
    await until(async () => ((await refused(t.server, 'line_too_long')) === 1 ? true : undefined));
    bad.resetAndDestroy();
    await until(async () => {
      const text = await (await fetch(t.server.url + '/metrics')).text();
      return /^tally_statsd_tcp_connections 1$/m.test(text) ? true : undefined;
    });
    await write(good, 'g:1|c|#job:tcp\n');
    await until(async () => ((await value(t.server, 'g', 'tcp')) === 2 ? true : undefined));
    expect(await refused(t.server, 'malformed_malformed_line')).toBe(2);
    expect(good.destroyed).toBe(false);
  });

  it('refuses the unfinished line of a connection reset mid-line (listener level)', async () => {
    const handled: string[] = [];
    const refusals: string[] = [];
    const sink = {
      handle: (b: Buffer) => void handled.push(b.toString()),
      refuse: (reason: string) => void refusals.push(reason),
    };
    const listener = await listenStatsdTcp(sink, { host: '127.0.0.1', port: 0 }, 1024, silentLogger);
    try {
      const c = await open(listener.port);
      await write(c, 'a:1|c\nhalf:1|');
      await until(async () => (listener.heldBytes === 7 ? true : undefined));
      c.resetAndDestroy();
      await until(async () => (listener.connections === 0 ? true : undefined));
      expect(handled).toEqual(['a:1|c']);
      expect(refusals).toEqual(['truncated_line']);
    } finally {
      await listener.close();
    }
  });

  it('takes the last line without a newline when the client ends cleanly', async () => {
    const t = await startTcp();
    server = t.server;
    const c = await open(t.port);
    await new Promise<void>((resolve) => c.end('final:7|g|#job:tcp', resolve));
    await until(async () => ((await value(t.server, 'final', 'tcp')) === 7 ? true : undefined));
  });

  it('runs beside UDP over one aggregator', async () => {
    const port = await freePort();
    server = await startTestServer([
      '--statsd-listen',
      '127.0.0.1:0',
      '--statsd-tcp-listen',
      `127.0.0.1:${port}`,
      '--statsd-flush-interval',
      '50ms',
      '--instance-name',
      'tcp-1',
    ]);
    const { createSocket } = await import('node:dgram');
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      udp.send('both:1|c|#job:tcp', server!.statsdPort, '127.0.0.1', (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    udp.close();
    await write(await open(port), 'both:2|c|#job:tcp\n');
    await until(async () => ((await value(server!, 'both', 'tcp')) === 3 ? true : undefined));
  });

  it('closes connections past the limit at once and counts them; the open ones go on', async () => {
    const handled: string[] = [];
    const refusals: string[] = [];
    const sink = {
      handle: (b: Buffer) => void handled.push(b.toString()),
      refuse: (reason: string) => void refusals.push(reason),
    };
    const listener = await listenStatsdTcp(sink, { host: '127.0.0.1', port: 0 }, 1024, silentLogger, 2);
    try {
      const a = await open(listener.port);
      const b = await open(listener.port);
      await until(async () => (listener.connections === 2 ? true : undefined));
      const c = await open(listener.port);
      await new Promise<void>((resolve) => {
        c.on('close', () => resolve());
        c.resume();
      });
      expect(refusals).toEqual(['tcp_connection_limit']);
      await write(a, 'a:1|c\n');
      await write(b, 'b:1|c\n');
      await until(async () => (handled.length === 2 ? true : undefined));
      expect(handled.sort()).toEqual(['a:1|c', 'b:1|c']);
    } finally {
      await listener.close();
    }
  });

  it("takes hot-shots' TCP protocol (a real client)", async () => {
    const t = await startTcp();
    server = t.server;
    const { StatsD } = await import('hot-shots');
    const errors: Error[] = [];
    const client = new StatsD({
      host: '127.0.0.1',
      port: t.port,
      protocol: 'tcp',
      globalTags: { job: 'hot-tcp' },
      errorHandler: (err) => errors.push(err),
    });
    client.increment('epochs', 1);
    client.increment('epochs', 2);
    client.gauge('loss', 0.125);
    client.timing('step_ms', 120);
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await until(async () => ((await value(t.server, 'epochs', 'hot-tcp')) === 3 ? true : undefined));
    await until(async () => ((await value(t.server, 'loss', 'hot-tcp')) === 0.125 ? true : undefined));
    await until(async () => ((await value(t.server, 'step_ms_count', 'hot-tcp')) === 1 ? true : undefined));
    expect(errors).toEqual([]);
  });
});
