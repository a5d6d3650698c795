import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeChunk } from '../src/chunk/encode-chunk.js';
import { XorChunkAppender } from '../src/chunk/xor-chunk.js';

describe('encodeChunk with the head XOR chunk of the same samples', () => {
  it('gives exactly what encoding from scratch gives', () => {
    const samples = fc.array(
      fc.tuple(
        fc.integer({ min: 1, max: 60_000 }),
        fc.oneof(
          fc.double(),
          fc.integer({ min: -1000, max: 1000 }).map((k) => k / 100),
        ),
      ),
      { minLength: 1, maxLength: 120 },
    );
    fc.assert(
      fc.property(samples, fc.integer({ min: 0, max: 2 ** 40 }), (deltas, start) => {
        const ts = new Float64Array(deltas.length);
        const vs = new Float64Array(deltas.length);
        const head = new XorChunkAppender();
        let t = start;
        deltas.forEach(([d, v], i) => {
          t += d;
          ts[i] = t;
          vs[i] = v;
          head.append(t, v); // as the head builds it, sample by sample
        });
        const hinted = encodeChunk(ts, vs, 0, ts.length, head.bytes().slice());
        const fresh = encodeChunk(ts, vs, 0, ts.length);
        expect(hinted.encoding).toBe(fresh.encoding);
        expect(Buffer.from(hinted.bytes).equals(Buffer.from(fresh.bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
