import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsKey, STALE_NAN } from '@tally/model';
import { tempDir } from '../../../test-support/peers.js';
import { decodeWriteRequest } from '../src/ingest/remote-write/decode-write-request.js';
import { isStaleMarker } from '../src/storage/remote/float-bits.js';
import { decodeQueueBody, encodeQueueBody } from '../src/storage/remote/queue-body.js';
import { RemoteHttpClient } from '../src/storage/remote/remote-http-client.js';
import { RemoteQueueFullError, RemoteWriteQueue } from '../src/storage/remote/remote-write-queue.js';
import { SegmentQueue } from '../src/storage/remote/segment-queue.js';
import { encodeWriteRequest, type OutgoingSeries } from '../src/storage/remote/write-request-encoder.js';
import { startFakeReceiver, type FakeReceiver } from './remote-fake-receiver.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function dir(): string {
  const d = tempDir('remote-queue');
  cleanups.push(() => d.remove());
  return d.path;
}

const labelValue = fc.string({ minLength: 1, maxLength: 12 });
const arbSeries: fc.Arbitrary<OutgoingSeries> = fc
  .record({
    name: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/),
    extra: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), labelValue, { maxKeys: 4 }),
    samples: fc.array(
      fc.tuple(
        fc.integer({ min: -1e12, max: 4e12 }),
        fc.oneof(fc.double(), fc.constant(STALE_NAN), fc.constant(Infinity)),
      ),
      { maxLength: 20 },
    ),
  })
  .map(({ name, extra, samples }) => ({
    labels: labelsFromRecord({ ...extra, __name__: name }),
    timestampsMs: samples.map(([t]) => t),
    values: samples.map(([, v]) => v),
  }));

const bitsView = new DataView(new ArrayBuffer(8));
const bitsOf = (v: number): bigint => {
  bitsView.setFloat64(0, v, true);
  return bitsView.getBigUint64(0, true);
};
// V8 may canonicalise a NaN held in a number[] (float-bits.ts): compare NaNs by kind.
const norm = (vs: ArrayLike<number>): (bigint | string)[] =>
  Array.from(vs, (v) => (isStaleMarker(v) ? 'stale' : Number.isNaN(v) ? 'NaN' : bitsOf(v)));
const STALE_BYTES = Buffer.from([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

describe('queue record body', () => {
  it('round-trips series, keeping every value bit pattern', () => {
    fc.assert(
      fc.property(fc.array(arbSeries, { maxLength: 6 }), (series) => {
        const back = decodeQueueBody(encodeQueueBody(series));
        expect(back.map((s) => s.labels)).toEqual(series.map((s) => s.labels));
        expect(back.map((s) => Array.from(s.timestampsMs))).toEqual(series.map((s) => s.timestampsMs));
        expect(back.map((s) => norm(s.values))).toEqual(series.map((s) => norm(s.values)));
      }),
      { numRuns: 200 },
    );
  });

  it('writes a stale marker with its exact bits, also from its quieted form', () => {
    const quieted = new Float64Array(new BigUint64Array([0x7ff8000000000002n]).buffer)[0]!;
    const values = new Float64Array([STALE_NAN, quieted, NaN]);
    const body = encodeQueueBody([
      { labels: labelsFromRecord({ __name__: 's' }), timestampsMs: [1, 2, 3], values },
    ]);
    const back = decodeQueueBody(body)[0]!.values;
    expect([bitsOf(back[0]!), bitsOf(back[1]!)]).toEqual([0x7ff0000000000002n, 0x7ff0000000000002n]);
    expect(isStaleMarker(back[2]!)).toBe(false);
    const wire = Buffer.from(
      encodeWriteRequest([
        { labels: labelsFromRecord({ __name__: 's' }), timestampsMs: [1], values: back.subarray(0, 1) },
      ]),
    );
    expect(wire.includes(STALE_BYTES)).toBe(true);
  });

  it('refuses a truncated body with a RangeError', () => {
    const body = encodeQueueBody([
      { labels: labelsFromRecord({ __name__: 'x' }), timestampsMs: [1, 2], values: [1, 2] },
    ]);
    for (const cut of [3, 10, body.length - 1])
      expect(() => decodeQueueBody(body.subarray(0, cut))).toThrow(RangeError);
  });
});

describe('remote-write request encoder', () => {
  it("is read back by the server's own remote-write decoder", () => {
    fc.assert(
      fc.property(fc.array(arbSeries, { maxLength: 6 }), (series) => {
        const decoded = decodeWriteRequest(Buffer.from(encodeWriteRequest(series)));
        expect(decoded.series.map((s) => s.labels)).toEqual(series.map((s) => s.labels));
        // The decoder hands out typed arrays, the test's series hold plain ones: compare the numbers.
        expect(decoded.series.map((s) => Array.from(s.timestampsMs))).toEqual(
          series.map((s) => Array.from(s.timestampsMs)),
        );
        const kinds = (vs: ArrayLike<number>) => norm(vs).map((v) => (v === 'stale' ? 'NaN' : v));
        expect(decoded.series.map((s) => kinds(s.values))).toEqual(series.map((s) => kinds(s.values)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('SegmentQueue', () => {
  const body = (n: number): Buffer => Buffer.from(`record-${n}`);

  it('reads back what was appended, in order, and forgets what was acknowledged across a reopen', async () => {
    const d = dir();
    let q = new SegmentQueue(d, { segmentSizeBytes: 64 });
    for (let i = 0; i < 10; i++) q.append(body(i), 1, 1000 + i);
    await q.sync();
    const first = q.read(4);
    expect(first.map((r) => r.body.toString())).toEqual(['record-0', 'record-1', 'record-2', 'record-3']);
    expect(first[0]!.enqueuedAtMs).toBe(1000);
    q.ack(first);
    expect(q.pendingSamples).toBe(6);
    q.read(2); // read but never acknowledged: sent again after the restart
    await q.close();
    q = new SegmentQueue(d, { segmentSizeBytes: 64 });
    expect(q.pendingSamples).toBe(6);
    const rest = q.read(100);
    expect(rest.map((r) => r.body.toString())).toEqual([4, 5, 6, 7, 8, 9].map((i) => `record-${i}`));
    q.ack(rest);
    expect(q.pendingBytes).toBe(0);
    await q.close();
    // Fully acknowledged segments are gone; only the checkpoint and at most the last segment remain.
    expect(readdirSync(d).filter((f) => f.endsWith('.seg')).length).toBeLessThanOrEqual(1);
  });

  it('cuts off a torn record at the tail and keeps everything before it', async () => {
    const d = dir();
    const q = new SegmentQueue(d);
    q.append(body(1), 1, 1);
    q.append(body(2), 1, 2);
    await q.sync();
    await q.close();
    const seg = readdirSync(d).find((f) => f.endsWith('.seg'))!;
    const size = statSync(join(d, seg)).size;
    appendFileSync(join(d, seg), Buffer.from([40, 0, 0, 0, 1, 2, 3])); // a header and a few bytes of a record
    const events: string[] = [];
    const q2 = new SegmentQueue(d, { onRecovery: (what) => events.push(what) });
    expect(events).toEqual(['torn_tail']);
    expect(statSync(join(d, seg)).size).toBe(size);
    expect(q2.read(10).map((r) => r.body.toString())).toEqual(['record-1', 'record-2']);
    await q2.close();
  });

  it('detects a flipped byte by its checksum', async () => {
    const d = dir();
    const q = new SegmentQueue(d);
    q.append(body(1), 1, 1);
    q.append(body(2), 1, 2);
    await q.close();
    const seg = join(
      d,
      readdirSync(d).find((f) => f.endsWith('.seg'))!,
    );
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(seg, 'r+');
    writeSync(fd, Buffer.from([0xff]), 0, 1, statSync(seg).size - 2); // inside record 2's body
    closeSync(fd);
    const events: string[] = [];
    const q2 = new SegmentQueue(d, { onRecovery: (what) => events.push(what) });
    expect(events).toEqual(['torn_tail']);
    expect(q2.read(10).map((r) => r.body.toString())).toEqual(['record-1']);
    await q2.close();
  });

  it('groups concurrent syncs and wakes a waiting reader on append', async () => {
    const q = new SegmentQueue(dir());
    cleanups.push(() => q.close());
    const woke = q.waitForData();
    q.append(body(1), 1, 1);
    await woke;
    const syncs = [q.sync(), q.sync(), q.sync()];
    q.append(body(2), 1, 2);
    syncs.push(q.sync());
    await Promise.all(syncs);
    expect(q.read(10)).toHaveLength(2);
  });
});

describe('RemoteWriteQueue', () => {
  const series = (name: string, from: number, n: number): OutgoingSeries => ({
    labels: labelsFromRecord({ __name__: name, job: 'j' }),
    timestampsMs: Array.from({ length: n }, (_, i) => from + i),
    values: Array.from({ length: n }, (_, i) => from + i),
  });
  async function setup(
    opts: { shards?: number; maxQueueBytes?: number; d?: string; receiver?: FakeReceiver } = {},
  ) {
    const receiver = opts.receiver ?? (await startFakeReceiver());
    if (!opts.receiver) cleanups.push(() => receiver.close());
    const client = new RemoteHttpClient({ timeoutMs: 5000 });
    const queue = new RemoteWriteQueue({
      dir: opts.d ?? dir(),
      writeUrl: receiver.url,
      client,
      shards: opts.shards ?? 3,
      maxSamplesPerSend: 50,
      minBackoffMs: 5,
      maxBackoffMs: 20,
      ...(opts.maxQueueBytes !== undefined ? { maxQueueBytes: opts.maxQueueBytes } : {}),
    });
    cleanups.push(async () => {
      await queue.close();
      client.close();
    });
    return { receiver, queue };
  }
  const enqueue = (queue: RemoteWriteQueue, list: OutgoingSeries[]): Promise<void> => {
    const perShard: OutgoingSeries[][] = Array.from({ length: queue.shardCount }, () => []);
    for (const s of list) perShard[queue.shardOf(labelsKey(s.labels))]!.push(s);
    return queue.enqueue(perShard);
  };

  it('delivers every series in order across shards, batches bounded by maxSamplesPerSend', async () => {
    const { receiver, queue } = await setup();
    const commits: Promise<void>[] = [];
    for (let batch = 0; batch < 20; batch++) {
      commits.push(
        enqueue(
          queue,
          Array.from({ length: 8 }, (_, k) => series(`m${k}`, batch * 10, 10)),
        ),
      );
    }
    await Promise.all(commits);
    expect(await queue.barrier(10_000)).toBe(true);
    expect(receiver.accepted()).toBe(20 * 8 * 10);
    for (const samples of receiver.received.values()) {
      expect(samples.map((s) => s.t)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    }
    expect(Math.max(...receiver.requests.map((r) => r.samples))).toBeLessThanOrEqual(50);
    expect(queue.stats().pendingSamples).toBe(0);
    expect(queue.stats().sentSamples).toBe(1600);
  });

  it('retries 5xx and 429 with backoff and drops 4xx with a counted reason', async () => {
    const { receiver, queue } = await setup({ shards: 1 });
    receiver.script.push(503, 429, 500, 400);
    await enqueue(queue, [series('a', 0, 5)]); // 503, 429, 500 then 400: dropped
    await queue.barrier(10_000);
    await enqueue(queue, [series('a', 5, 5)]); // 204
    await queue.barrier(10_000);
    expect(receiver.requests.map((r) => r.status)).toEqual([503, 429, 500, 400, 204]);
    expect(receiver.received.get(labelsKey(series('a', 0, 1).labels))!.map((s) => s.t)).toEqual([
      5, 6, 7, 8, 9,
    ]);
    const stats = queue.stats();
    expect(stats.retries).toBe(3);
    expect(stats.droppedSamples.get('http_400')).toBe(5);
    expect(stats.sentSamples).toBe(5);
  });

  it('keeps what is queued across a restart while the engine is down, and delivers it after', async () => {
    const d = dir();
    const down = await startFakeReceiver();
    const port = Number(new URL(down.url).port);
    down.script.push(...Array<number>(1000).fill(503));
    const first = await setup({ d, receiver: down });
    await enqueue(first.queue, [series('a', 0, 30), series('b', 0, 30)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(first.queue.stats().pendingSamples).toBe(60);
    expect(first.queue.stats().lagSeconds).toBeGreaterThan(0);
    await first.queue.close();
    await down.close();
    const up = await startFakeReceiver(port);
    cleanups.push(() => up.close());
    const second = await setup({ d, receiver: up });
    expect(await second.queue.barrier(10_000)).toBe(true);
    expect(up.accepted()).toBe(60);
    expect(second.queue.stats().pendingSamples).toBe(0);
  });

  it('refuses commits once the queue is over its byte limit', async () => {
    const receiver = await startFakeReceiver();
    cleanups.push(() => receiver.close());
    receiver.script.push(...Array<number>(1000).fill(503));
    const { queue } = await setup({ receiver, maxQueueBytes: 100 });
    await enqueue(queue, [series('a', 0, 20)]);
    await expect(enqueue(queue, [series('a', 20, 1)])).rejects.toThrow(RemoteQueueFullError);
  });
});
