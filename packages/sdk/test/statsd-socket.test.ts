// The StatsD client over real sockets on 127.0.0.1: UDP datagrams, TCP and Unix stream
// sockets, buffering, and every failure the issue names (DNS, closed port, oversize packet).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStatsdPacket } from '@tally/model';
import { StatsdClient } from '../src/statsd/statsd-client.js';
import { streamReceiver, udpReceiver, type Receiver } from './statsd-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(kind: 'udp' | 'tcp' = 'udp'): Promise<Receiver> {
  const r = kind === 'udp' ? await udpReceiver() : await streamReceiver({ port: 0 });
  cleanups.push(() => r.close());
  return r;
}

function client(options: ConstructorParameters<typeof StatsdClient>[0]) {
  const errors: Error[] = [];
  const c = new StatsdClient({ env: {}, onError: (e) => errors.push(e), ...options });
  cleanups.push(() => c.close());
  return { client: c, errors };
}

describe('StatsdClient over UDP', () => {
  it('packs lines into datagrams of at most maxBufferSize bytes, each line intact', async () => {
    const r = await receiver();
    const { client: c, errors } = client({ host: '127.0.0.1', port: r.port, maxBufferSize: 200 });
    for (let i = 0; i < 50; i++) c.increment('requests', i, { route: '/api', method: 'get' });
    await c.close();
    const lines = await r.waitForLines(50);
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => `requests:${i}|c|#route:/api,method:get`));
    for (const d of r.datagrams) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(200);
    expect(r.datagrams.length).toBeGreaterThan(5);
    expect(c.stats()).toEqual({ sentLines: 50, droppedLines: 0, datagrams: r.datagrams.length });
    expect(errors).toEqual([]);
    const events = parseStatsdPacket(r.datagrams.join('\n'));
    expect(events.errors).toEqual([]);
    expect(events.events[7]).toEqual({
      type: 'counter',
      name: 'requests',
      value: 7,
      labels: expect.anything(),
    });
  });

  it('flushes a partly filled datagram after flushInterval without any call', async () => {
    const r = await receiver();
    const { client: c } = client({ host: '127.0.0.1', port: r.port, flushInterval: 20 });
    c.gauge('loss', 0.5);
    expect(await r.waitForLines(1)).toEqual(['loss:0.5|g']);
  });

  it('sends every line at once with maxBufferSize 0', async () => {
    const r = await receiver();
    const { client: c } = client({ host: '127.0.0.1', port: r.port, maxBufferSize: 0 });
    c.increment('a');
    c.increment('b');
    await r.waitForLines(2);
    expect(r.datagrams).toEqual(['a:1|c', 'b:1|c']);
  });

  it('reads TALLY_STATSD, TALLY_JOB_ID and PS_JOB_ID', async () => {
    const r = await receiver();
    const { client: c } = client({
      env: { TALLY_STATSD: `127.0.0.1:${r.port}`, TALLY_JOB_ID: 'train-1', PS_JOB_ID: 'ps-9' },
    });
    c.increment('steps');
    await c.close();
    expect(await r.waitForLines(1)).toEqual(['steps:1|c|#job:train-1,container_name:ps-9']);
  });

  it('reports a bad TALLY_STATSD and falls back to the default address', async () => {
    const { errors } = client({ env: { TALLY_STATSD: 'nonsense' }, mock: true });
    await new Promise((r) => setTimeout(r, 5));
    expect(errors.map((e) => e.message)).toEqual([
      'TALLY_STATSD="nonsense" is not host:port; using the default',
    ]);
  });

  it('reports a failed DNS lookup, drops the lines and never throws', async () => {
    const { client: c, errors } = client({ host: 'no-such-host.invalid', port: 8125 });
    expect(() => {
      c.increment('x');
      c.flush();
    }).not.toThrow();
    await c.close();
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.message).toMatch(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
    expect(c.droppedLines).toBe(1);
  });

  it('sends to a closed port without throwing (UDP has no reply to learn it from)', async () => {
    const r = await receiver();
    const port = r.port;
    await r.close();
    cleanups.pop();
    const { client: c, errors } = client({ host: '127.0.0.1', port, maxBufferSize: 0 });
    for (let i = 0; i < 20; i++) expect(() => c.increment('x')).not.toThrow();
    await c.close();
    expect(errors).toEqual([]);
    expect(c.stats()).toEqual({ sentLines: 20, droppedLines: 0, datagrams: 20 });
  });

  it('reports a datagram too big for UDP', async () => {
    const r = await receiver();
    const { client: c, errors } = client({ host: '127.0.0.1', port: r.port });
    c.increment('big', 1, { blob: 'x'.repeat(70_000) });
    c.increment('small');
    await c.close();
    expect(errors.some((e) => /EMSGSIZE/.test(e.message))).toBe(true);
    expect(c.droppedLines).toBe(1);
    expect(await r.waitForLines(1)).toEqual(['small:1|c']);
  });

  it('does not keep the process alive, and still sends what a script forgot to flush', async () => {
    const r = await receiver();
    const script = fileURLToPath(new URL('./statsd-exit-script.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, String(r.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TALLY_JOB_ID: 'short-job' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await r.waitForLines(2)).toEqual(['short:1|c|#job:short-job', 'short_gauge:3|g|#job:short-job']);
  }, 30_000);
});

describe('StatsdClient over TCP and Unix sockets', () => {
  it('writes newline-terminated lines over TCP; close() flushes', async () => {
    const r = await receiver('tcp');
    const { client: c, errors } = client({ protocol: 'tcp', host: '127.0.0.1', port: r.port });
    c.increment('a', 1, { k: 'v' });
    c.timing('b', 250);
    await c.close();
    expect(await r.waitForLines(2)).toEqual(['a:1|c|#k:v', 'b:250|ms']);
    expect(errors).toEqual([]);
  });

  it('writes to a Unix stream socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-statsd-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'statsd.sock');
    const r = await streamReceiver({ path });
    cleanups.push(() => r.close());
    const { client: c } = client({ protocol: 'uds', path });
    c.gauge('g', 1);
    await c.close();
    expect(await r.waitForLines(1)).toEqual(['g:1|g']);
  });

  it('reconnects over TCP after the receiver restarts', async () => {
    const first = await streamReceiver({ port: 0 });
    const port = first.port;
    const { client: c } = client({ protocol: 'tcp', host: '127.0.0.1', port, maxBufferSize: 0 });
    c.increment('before');
    expect(await first.waitForLines(1)).toEqual(['before:1|c']);
    await first.close(); // closes the connection too
    const second = await streamReceiver({ port });
    cleanups.push(() => second.close());
    for (let i = 0; i < 100 && second.lines().length === 0; i++) {
      c.increment('after');
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(second.lines()[0]).toBe('after:1|c');
  });

  it('reports a refused TCP connection once per failure and counts every lost line', async () => {
    const r = await receiver('tcp');
    const port = r.port;
    await r.close();
    cleanups.pop();
    const { client: c, errors } = client({ protocol: 'tcp', host: '127.0.0.1', port, maxBufferSize: 0 });
    c.increment('a');
    c.increment('b');
    for (let i = 0; i < 100 && c.droppedLines < 2; i++) await new Promise((res) => setTimeout(res, 10));
    expect(errors.filter((e) => /ECONNREFUSED/.test(e.message))).toHaveLength(1);
    expect(c.droppedLines).toBe(2);
    c.increment('c'); // within the back-off: dropped at once, reported
    expect(c.droppedLines).toBe(3);
  });
});

describe('StatsdClient datagram sizes with non-ASCII text', () => {
  it('re-packs a datagram whose UTF-8 bytes exceed maxBufferSize, every line intact', async () => {
    const r = await receiver();
    const { client: c, errors } = client({ host: '127.0.0.1', port: r.port, maxBufferSize: 100 });
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) {
      c.gauge(`température_${i}`, i, { lieu: 'cuisine-été-ünïcødé-✓' });
      sent.push(`température_${i}:${i}|g|#lieu:cuisine-été-ünïcødé-✓`);
    }
    await c.close();
    expect(await r.waitForLines(40)).toEqual(sent);
    for (const d of r.datagrams) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(100);
    expect(errors).toEqual([]);
  });
});
