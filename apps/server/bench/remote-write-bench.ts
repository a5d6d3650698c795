import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { decodeWriteRequest } from '../src/ingest/remote-write/decode-write-request.js';
import { encodeWriteRequest, type TestSeries } from '../test/helpers.js';
import { send } from './http-send.js';
import type { Target } from './peers.js';

/**
 * 1 M samples: `seriesCount` series × `samplesPerSeries` samples at 15 s, split into `shards`
 * like Prometheus' remote-write shards (a series always goes through the same shard, in time
 * order, so neither receiver sees a sample out of order), snappy-compressed before the clock starts.
 */
export function buildRequests(
  seriesCount: number,
  samplesPerSeries: number,
  samplesPerRequestPerSeries: number,
  shards: number,
): Buffer[][] {
  const startMs = Date.now() - samplesPerSeries * 15_000 - 60_000;
  const out: Buffer[][] = [];
  for (let shard = 0; shard < shards; shard++) {
    const requests: Buffer[] = [];
    for (let k = 0; k < samplesPerSeries; k += samplesPerRequestPerSeries) {
      const series: TestSeries[] = [];
      for (let s = shard; s < seriesCount; s += shards) {
        const samples: [number, number][] = [];
        for (let i = k; i < Math.min(samplesPerSeries, k + samplesPerRequestPerSeries); i++)
          samples.push([startMs + i * 15_000, (s * 31 + i) % 977]);
        series.push({
          labels: { __name__: `rw_bench_${s % 10}`, job: 'rw_bench', instance: `i${s}` },
          samples,
        });
      }
      requests.push(encodeWriteRequest(series));
    }
    out.push(requests);
  }
  return out;
}

export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

/**
 * Sends each shard's requests in order, the shards concurrently; stored samples per second. A
 * 400 is a sender's "drop it": Prometheus refuses, as out of bounds, what fell behind its head
 * compaction when one shard runs ahead of another. Such a request is counted once and left out
 * of the rate (its samples were not stored), rather than ending the run.
 */
export async function remoteWrite(t: Target, shards: Buffer[][], samples: number): Promise<number> {
  const requests = shards.reduce((n, s) => n + s.length, 0);
  let refused = 0;
  let firstRefusal = '';
  const start = performance.now();
  const worker = async (bodies: Buffer[]): Promise<void> => {
    for (const body of bodies) {
      const res = await send(`${t.url}/api/v1/write`, 'POST', body, REMOTE_WRITE_HEADERS);
      if (res.status === 400) {
        refused++;
        firstRefusal ||= res.text.slice(0, 160).trim();
      } else if (res.status !== 204 && res.status !== 200)
        throw new Error(`${t.name}: remote write answered ${res.status}: ${res.text}`);
    }
  };
  await Promise.all(shards.map(worker));
  const seconds = (performance.now() - start) / 1000;
  const stored = samples - (refused * samples) / requests;
  if (refused > 0)
    console.log(
      `   ${t.name}: ${refused} of ${requests} requests refused (400: ${firstRefusal}); the rate counts the ${stored.toLocaleString('en-US')} samples stored`,
    );
  return stored / seconds;
}

/** Decode cost of one request: the hand-written decoder against protobufjs (samples per second). */
export function decoderComparison(requests: Buffer[], samples: number): { hand: number; protobufjs: number } {
  const root = protobuf.parse(`syntax = "proto3"; package prometheus;
    message WriteRequest { repeated TimeSeries timeseries = 1; }
    message Sample { double value = 1; int64 timestamp = 2; }
    message Label { string name = 1; string value = 2; }
    message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }`).root;
  const WriteRequest = root.lookupType('prometheus.WriteRequest');
  const raw = requests.map((r) => {
    const u = snappy.uncompress(new Uint8Array(r));
    return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  });
  const time = (fn: (b: Buffer) => unknown): number => {
    for (const b of raw.slice(0, 5)) fn(b);
    const start = performance.now();
    for (const b of raw) fn(b);
    return samples / ((performance.now() - start) / 1000);
  };
  return {
    hand: time((b) => decodeWriteRequest(b)),
    protobufjs: time((b) => WriteRequest.toObject(WriteRequest.decode(b), { longs: Number })),
  };
}
