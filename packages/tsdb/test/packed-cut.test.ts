import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { packCut, unpackCut } from '../src/block/packed-cut.js';

describe('packed head cuts', () => {
  it('unpack to the series, labels and chunks that were packed', () => {
    const chunk = fc.record({
      bytes: fc.uint8Array({ maxLength: 64 }),
      numSamples: fc.integer({ min: 1, max: 120 }),
      minT: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
      maxT: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
    });
    const series = fc.record({
      labels: fc.dictionary(fc.string({ minLength: 1 }), fc.string()).map(labelsFromRecord),
      chunks: fc.array(chunk, { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(series, { maxLength: 20 }), (cut) => {
        const back = unpackCut(structuredClone(packCut(cut)));
        expect(
          back.map((s) => ({ ...s, chunks: s.chunks.map((c) => ({ ...c, bytes: [...c.bytes] })) })),
        ).toEqual(cut.map((s) => ({ ...s, chunks: s.chunks.map((c) => ({ ...c, bytes: [...c.bytes] })) })));
      }),
      { numRuns: 200 },
    );
  });
});
