// The bulk XOR decoder (head cuts) against the iterator every other reader uses: the same
// samples for any chunk the appender writes, and the same verdict on damaged bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XorChunkAppender, XorChunkIterator } from '../src/chunk/xor-chunk.js';
import { decodeXorInto, xorSampleCount } from '../src/chunk/xor-bulk-decode.js';
import { SampleBuffer } from '../src/block/sample-buffer.js';
import { CorruptDataError } from '../src/index.js';

/** What the iterator reads: [t, value bits] pairs, or 'corrupt'. */
function viaIterator(bytes: Uint8Array, n: number): [number, string][] | 'corrupt' {
  try {
    const it = new XorChunkIterator(bytes, n);
    const out: [number, string][] = [];
    while (it.next()) out.push([it.t, bitsOf(it.v)]);
    return out;
  } catch (err) {
    if (err instanceof CorruptDataError) return 'corrupt';
    throw err;
  }
}

function viaBulk(bytes: Uint8Array, n: number): [number, string][] | 'corrupt' {
  try {
    const k = xorSampleCount(bytes, n);
    const ts = new Float64Array(k);
    const vs = new Float64Array(k);
    decodeXorInto(bytes, k, ts, vs, 0);
    return Array.from(ts, (t, i) => [t, bitsOf(vs[i]!)] as [number, string]);
  } catch (err) {
    if (err instanceof CorruptDataError) return 'corrupt';
    throw err;
  }
}

/**
 * A float's exact bits (NaN payloads and -0 included), through a typed array: an array literal
 * `[v]` holds doubles in a form where V8 rewrites NaN bits (canonical in one tier, quieted in
 * another), which made this comparison flaky.
 */
const F64 = new Float64Array(1);
function bitsOf(v: number): string {
  F64[0] = v;
  return Buffer.from(F64.buffer).toString('hex');
}

function encode(ts: readonly number[], vs: readonly number[]): Uint8Array {
  const a = new XorChunkAppender();
  for (let i = 0; i < ts.length; i++) a.append(ts[i]!, vs[i]!);
  return a.bytes().slice();
}

// Timestamps whose delta-of-deltas land in every bucket (0, 14, 17, 20 bits, 64 bits).
const timestamps = fc
  .array(
    fc.oneof(
      fc.constant(0),
      fc.integer({ min: -8191, max: 8192 }),
      fc.integer({ min: -65535, max: 65536 }),
      fc.integer({ min: -524287, max: 524288 }),
      fc.integer({ min: 1, max: 2 ** 40 }),
    ),
    { minLength: 1, maxLength: 130 },
  )
  .map((jitter) => {
    const ts: number[] = [];
    let t = 1_700_000_000_000;
    for (const j of jitter) {
      t += 15_000 + Math.abs(j);
      ts.push(t);
    }
    return ts;
  });

const values = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.1, 1e-300),
  fc
    .integer({ min: 0, max: 0xffffffff })
    .map((lo) => new Float64Array(new Uint32Array([lo, 0x7ff00000]).buffer)[0]!),
);

describe('decodeXorInto', () => {
  it('decodes what the appender wrote exactly as the iterator does', () => {
    fc.assert(
      fc.property(timestamps, fc.array(values, { minLength: 130, maxLength: 130 }), (ts, vs) => {
        const bytes = encode(ts, vs);
        const expected = viaIterator(bytes, -1);
        expect(expected).not.toBe('corrupt');
        expect(viaBulk(bytes, ts.length)).toEqual(expected);
        // A snapshot of a growing chunk: fewer samples than the header counts.
        const part = Math.max(1, ts.length >> 1);
        expect(viaBulk(bytes, part)).toEqual(viaIterator(bytes, part));
      }),
      { numRuns: 400 },
    );
  });

  it('refuses damaged chunks where the iterator does, and reads the same samples where it does not', () => {
    fc.assert(
      fc.property(
        timestamps,
        fc.array(values, { minLength: 130, maxLength: 130 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
        (ts, vs, edits) => {
          let bytes = encode(ts, vs);
          for (const [at, bit, cut] of edits) {
            const i = XOR_BODY + (at % Math.max(1, bytes.length - XOR_BODY));
            if (cut) bytes = bytes.slice(0, i);
            else if (i < bytes.length) bytes[i] = bytes[i]! ^ (1 << bit);
          }
          if (bytes.length < 2) return;
          const n = (bytes[0]! << 8) | bytes[1]!;
          expect(viaBulk(bytes, n)).toEqual(viaIterator(bytes, n));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a chunk shorter than its header', Uint8Array.of(0)],
    ['a header counting samples the bytes do not hold', Uint8Array.of(0, 5, 0x80)],
    ['a reused XOR window before any was set', encodeWithReusedWindow()],
  ])('refuses %s', (_name, bytes) => {
    expect(() => {
      const k = xorSampleCount(bytes, 65535);
      decodeXorInto(bytes, k, new Float64Array(k), new Float64Array(k), 0);
    }).toThrow(CorruptDataError);
  });
});

/** Damage is aimed past the two header bytes (a changed count is just another chunk). */
const XOR_BODY = 2;

/**
 * Two samples whose second value claims the previous window ('10') with none set. Sample 1's
 * value bit follows the 2-byte header, t's 2-byte varint, 64 value bits and the delta's 2-byte
 * varint: bit (2 + 2 + 8 + 2) * 8, a '0' (same value) made '1' (the next bit is padding, '0').
 */
function encodeWithReusedWindow(): Uint8Array {
  const out = encode([1000, 2000], [1, 1]);
  out[14] = out[14]! | 0x80;
  return out;
}

describe('SampleBuffer.readXor', () => {
  it('reads the chunks of a cut in order and leaves out samples at or after the cut', () => {
    const chunkA = encode([10, 20, 30], [1, 2, 3]);
    const chunkB = encode([40, 50, 60], [4, 5, 6]);
    const chunkC = encode([70], [7]);
    const buf = new SampleBuffer();
    const n = buf.readXor(
      [
        { bytes: chunkA, numSamples: 3, minT: 10 },
        { bytes: chunkB, numSamples: 3, minT: 40 },
        { bytes: chunkC, numSamples: 1, minT: 70 },
      ],
      55,
    );
    expect(n).toBe(5);
    expect([...buf.ts.subarray(0, n)]).toEqual([10, 20, 30, 40, 50]);
    expect([...buf.vs.subarray(0, n)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('grows past its first size', () => {
    const chunks = Array.from({ length: 20 }, (_, c) => {
      const ts = Array.from({ length: 120 }, (_, i) => (c * 120 + i) * 1000);
      return {
        bytes: encode(
          ts,
          ts.map((t) => t / 7),
        ),
        numSamples: 120,
        minT: ts[0]!,
      };
    });
    const buf = new SampleBuffer();
    expect(buf.readXor(chunks, Infinity)).toBe(2400);
    expect(buf.ts[2399]).toBe(2399_000);
    expect(buf.vs[1234]).toBe(1234_000 / 7);
  });
});

describe('decodeXorInto on a chunk larger than its first scratch copy', () => {
  it('decodes a 600-sample chunk of wide timestamps and values as the iterator does', () => {
    const ts: number[] = [];
    const vs: number[] = [];
    let t = 1_700_000_000_000;
    for (let i = 0; i < 600; i++) {
      t += 15_000 + ((i * 2_654_435_761) % 2 ** 36); // 64-bit delta-of-deltas
      ts.push(t);
      vs.push(Math.sin(i) * 1e6 + i / 3);
    }
    const bytes = encode(ts, vs);
    expect(bytes.length).toBeGreaterThan(4096);
    expect(viaBulk(bytes, 600)).toEqual(viaIterator(bytes, 600));
  });
});
