import { resolveServeConfig } from '../src/config/serve-config.js';
import { silentLogger } from '../src/log/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import snappy from 'snappyjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts an in-process server on a free loopback port with in-memory storage (unless flags say otherwise). */
export async function startTestServer(flags: string[] = []): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-server-test-'));
  const base = [
    '--storage',
    'memory',
    '--data-dir',
    dir,
    '--listen',
    '127.0.0.1:0',
    '--statsd-listen',
    'off',
  ];
  const config = resolveServeConfig([...base, '--ui-dir', '/nonexistent', ...flags], {});
  const server = await startServer(config, silentLogger).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const close = (): Promise<void> => server.close();
  return {
    ...server,
    close: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function api(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

// --- a minimal remote-write encoder for tests (the server only decodes) ---
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
function field(num: number, bytes: Uint8Array | number[]): number[] {
  return [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
}
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

export interface TestSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

/** Encodes a prometheus.WriteRequest (remote write 1.0) and snappy-compresses it. */
export function encodeWriteRequest(series: TestSeries[]): Buffer {
  const out: number[] = [];
  for (const s of series) {
    const ts: number[] = [];
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))) {
      ts.push(...field(1, [...field(1, utf8(name)), ...field(2, utf8(value))]));
    }
    for (const [t, v] of s.samples) {
      const d = Buffer.alloc(8);
      d.writeDoubleLE(v);
      ts.push(...field(2, [0x09, ...d, ...[0x10, ...varint(t)]]));
    }
    out.push(...field(1, ts));
  }
  return Buffer.from(snappy.compress(new Uint8Array(out)));
}

export async function remoteWrite(
  server: RunningServer,
  series: TestSeries[],
  headers: Record<string, string> = {},
) {
  const res = await fetch(server.url + '/api/v1/write', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      ...headers,
    },
    body: encodeWriteRequest(series),
  });
  return { status: res.status, text: await res.text() };
}
