import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { tempDir } from '../../../../test-support/peers.js';
import { encodeQueueBody } from '../../src/storage/remote/queue-body.js';
import {
  decodeDeletionBody,
  encodeDeletionBody,
  isControlBody,
  type QueuedDeletion,
} from '../../src/storage/remote/queued-deletion.js';
import { SegmentQueue } from '../../src/storage/remote/segment-queue.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const arbDeletion: fc.Arbitrary<QueuedDeletion> = fc.record(
  {
    id: fc.integer({ min: 1, max: 2 ** 40 }),
    selector: fc.string({ maxLength: 60 }),
    startMs: fc.integer({ min: 0, max: 4e12 }),
    endMs: fc.integer({ min: 0, max: 4e12 }),
  },
  { requiredKeys: ['id', 'selector'] },
);

describe('queued deletion records', () => {
  it('round-trip, and are never taken for a samples body (property)', () => {
    fc.assert(
      fc.property(arbDeletion, fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }), (deletion, names) => {
        const body = encodeDeletionBody(deletion);
        expect(isControlBody(body)).toBe(true);
        expect(decodeDeletionBody(body)).toEqual(deletion);
        const samples = encodeQueueBody(
          names.map((n) => ({
            labels: labelsFromRecord({ __name__: `m${n}` }),
            timestampsMs: [1],
            values: [1],
          })),
        );
        expect(isControlBody(samples)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a control record it does not know', () => {
    const json = Buffer.from('{"op":"compact","id":1}');
    const body = Buffer.alloc(8 + json.length);
    body.writeUInt32LE(0xffffffff, 0);
    body.writeUInt32LE(json.length, 4);
    json.copy(body, 8);
    expect(() => decodeDeletionBody(body)).toThrow(/unknown control record/);
    expect(() => decodeDeletionBody(Buffer.from('nope-nope'))).toThrow(/not a control record/);
  });

  it('a control record ends a batch of samples and is read alone; pending ones are reported at start', async () => {
    const dir = tempDir('queued-deletion');
    cleanups.push(() => dir.remove());
    const q = new SegmentQueue(dir.path);
    const samples = (n: number) =>
      encodeQueueBody([{ labels: labelsFromRecord({ __name__: 'm' }), timestampsMs: [n], values: [n] }]);
    q.append(samples(1), 1, 0);
    q.append(samples(2), 1, 0);
    q.append(encodeDeletionBody({ id: 7, selector: '{job="x"}' }), 0, 0);
    q.append(samples(3), 1, 0);
    await q.sync();
    const first = q.read(1000);
    expect(first.map((r) => r.control)).toEqual([false, false]);
    const second = q.read(1000);
    expect(second.map((r) => r.control)).toEqual([true]);
    expect(decodeDeletionBody(second[0]!.body).id).toBe(7);
    q.ack(first);
    await q.close();
    const seen: number[] = [];
    const reopened = new SegmentQueue(dir.path, {
      onPendingControl: (b) => seen.push(decodeDeletionBody(b).id),
    });
    expect(seen).toEqual([7]);
    expect(reopened.read(1000).map((r) => r.control)).toEqual([true]);
    expect(reopened.read(1000).map((r) => r.control)).toEqual([false]);
    await reopened.close();
  });
});

describe('a deletion cut short before it was queued in every shard', () => {
  it('is skipped at start, so the shards holding it go on', async () => {
    const { RemoteWriteQueue } = await import('../../src/storage/remote/remote-write-queue.js');
    const { RemoteHttpClient } = await import('../../src/storage/remote/remote-http-client.js');
    const { startFakeEngine } = await import('./fake-engine.js');
    const dir = tempDir('queued-deletion-torn');
    cleanups.push(() => dir.remove());
    const engine = await startFakeEngine();
    // What a crash inside enqueueDeletion leaves: shard 0 has the record, shard 1 does not.
    writeFileSync(join(dir.path, 'shards'), '2\n');
    const shard0 = new SegmentQueue(join(dir.path, 'shard-0'));
    shard0.append(encodeDeletionBody({ id: 1, selector: '{job="x"}' }), 0, 0);
    shard0.append(
      encodeQueueBody([
        { labels: labelsFromRecord({ __name__: 'after', job: 'x' }), timestampsMs: [5], values: [1] },
      ]),
      1,
      0,
    );
    await shard0.sync();
    await shard0.close();
    const logs: string[] = [];
    const client = new RemoteHttpClient();
    const queue = new RemoteWriteQueue({
      dir: dir.path,
      writeUrl: engine.writeUrl,
      client,
      minBackoffMs: 5,
      maxBackoffMs: 20,
      log: (_l, msg) => void logs.push(msg),
      deleteSeries: () => Promise.resolve({ outcome: 'done' }),
    });
    try {
      expect(queue.stats().pendingDeletions).toBe(0);
      expect(await queue.barrier(20_000)).toBe(true);
      expect(engine.events).toEqual([
        { kind: 'write', series: expect.stringContaining('after') as string, t: 5 },
      ]);
      expect(logs.some((l) => l.includes('never fully queued'))).toBe(true);
    } finally {
      await queue.close();
      client.close();
      await engine.close();
    }
  });
});
