import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { packCut, unpackCut } from '../src/block/packed-cut.js';
import { encodeCheckpoint, headSeries } from '../src/head/head-records.js';
import { Head } from '../src/head/head.js';

describe('packed head cuts', () => {
  it('unpack to the series, labels and chunks that were packed', () => {
    const chunk = fc.record({
      bytes: fc.uint8Array({ maxLength: 64 }),
      numSamples: fc.integer({ min: 1, max: 120 }),
      minT: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
      maxT: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
    });
    // A cut's series have no ref (unpacked as 0); the head's, for a checkpoint, have one.
    const series = fc.record(
      {
        ref: fc.integer({ min: 1, max: 2 ** 40 }),
        labels: fc.dictionary(fc.string({ minLength: 1 }), fc.string()).map(labelsFromRecord),
        chunks: fc.array(chunk, { maxLength: 5 }),
      },
      { requiredKeys: ['labels', 'chunks'] },
    );
    fc.assert(
      fc.property(fc.array(series, { maxLength: 20 }), (cut) => {
        const back = unpackCut(structuredClone(packCut(cut)));
        expect(
          back.map((s) => ({ ...s, chunks: s.chunks.map((c) => ({ ...c, bytes: [...c.bytes] })) })),
        ).toEqual(
          cut.map((s) => ({
            ref: s.ref ?? 0,
            labels: s.labels,
            chunks: s.chunks.map((c) => ({ ...c, bytes: [...c.bytes] })),
          })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('carry a head whose checkpoint encodes to the same bytes as the head itself', () => {
    const head = new Head(7_200_000);
    for (let s = 0; s < 30; s++) {
      const series = head.getOrCreate(labelsFromRecord({ __name__: 'm', i: String(s) }), `k${s}`);
      // 0, 1, 11, … 281 samples: no chunk, a held first sample, an open chunk, closed chunks.
      const n = s === 0 ? 0 : s * 10 - 9;
      for (let i = 0; i < n; i++) head.appendSample(series, 1_700_000_000_000 + i * 15_000, (s * 7 + i) % 13);
    }
    // What the calling thread writes, against what the thread writes from the packed copy.
    const direct = encodeCheckpoint(headSeries(head));
    const packed = structuredClone(packCut(headSeries(head)));
    expect(encodeCheckpoint(unpackCut(packed))).toEqual(direct);
  });
});
