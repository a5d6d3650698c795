import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STALE_NAN } from '@tally/model';
import { XorChunkAppender, XorChunkIterator } from '../src/chunk/xor-chunk.js';
import { chunkIterator } from '../src/chunk/chunk-iterator.js';
import { encodeChunk } from '../src/chunk/encode-chunk.js';
import { ENCODING_SCALED_INT } from '../src/chunk/chunk-iterator.js';

const bits = (v: number): string => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getBigUint64(0).toString(16);
};

const sampleArb = fc
  .tuple(
    fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constant(15_000),
          fc.integer({ min: 1, max: 20_000 }),
          fc.integer({ min: 1, max: 2 ** 40 }),
        ),
        fc.oneof(
          fc.double(),
          fc.float(),
          fc.integer({ min: -1000, max: 1000 }),
          fc.constantFrom(STALE_NAN, NaN, -0, 0, Infinity, -Infinity, 0.1, 37.25),
          fc.integer({ min: 0, max: 1e6 }).map((k) => k / 100),
        ),
      ),
      { minLength: 1, maxLength: 300 },
    ),
  )
  .map(([t0, steps]) => {
    const ts: number[] = [];
    const vs: number[] = [];
    let t = t0;
    for (const [dt, v] of steps) {
      t += dt;
      ts.push(t);
      vs.push(v);
    }
    return { ts, vs };
  });

describe('XOR chunk', () => {
  it('round-trips timestamps and value bits exactly', () => {
    fc.assert(
      fc.property(sampleArb, ({ ts, vs }) => {
        const app = new XorChunkAppender();
        for (let i = 0; i < ts.length; i++) app.append(ts[i]!, vs[i]!);
        const it = new XorChunkIterator(app.bytes());
        for (let i = 0; i < ts.length; i++) {
          expect(it.next()).toBe(true);
          expect(it.t).toBe(ts[i]);
          expect(bits(it.v)).toBe(bits(vs[i]!));
        }
        expect(it.next()).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes delta-of-deltas at the edges of every bucket (regression: +8192 read back as -8192)', () => {
    for (const dod of [
      8192,
      -8191,
      8193,
      -8192,
      65536,
      -65535,
      65537,
      524288,
      -524287,
      524289,
      -524288,
      2 ** 40,
    ]) {
      const app = new XorChunkAppender();
      const ts = [0, 1_000_000, 2_000_000 + dod];
      for (const t of ts) app.append(t, 1);
      const it = new XorChunkIterator(app.bytes());
      for (const t of ts) {
        expect(it.next()).toBe(true);
        expect(it.t).toBe(t);
      }
    }
  });

  it('costs about one bit per regular timestamp and unchanged value', () => {
    const app = new XorChunkAppender();
    for (let i = 0; i < 120; i++) app.append(1_700_000_000_000 + i * 15_000, 1);
    expect(app.bytes().length).toBeLessThan(2 + 7 + 8 + 3 + (2 * 118) / 8 + 2);
  });
});

describe('block chunk encoding', () => {
  it('picks an encoding that round-trips every sample exactly', () => {
    fc.assert(
      fc.property(sampleArb, ({ ts, vs }) => {
        const t = Float64Array.from(ts);
        const v = Float64Array.from(vs);
        const c = encodeChunk(t, v, 0, ts.length);
        const it = chunkIterator(c.encoding, c.bytes);
        for (let i = 0; i < ts.length; i++) {
          expect(it.next()).toBe(true);
          expect(it.t).toBe(ts[i]);
          expect(bits(it.v)).toBe(bits(vs[i]!));
        }
        expect(it.next()).toBe(false);
      }),
      { numRuns: Number(process.env.TSDB_CHUNK_RUNS ?? 300) },
    );
  });

  it('codes float32 values (ML losses) by their bit patterns', () => {
    const n = 120;
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = i * 10_000;
      v[i] = Math.fround(2 * Math.exp(-i / 50) * (1 + Math.sin(i * 7) * 0.02));
    }
    const c = encodeChunk(t, v, 0, n);
    expect(c.encoding).toBe(ENCODING_SCALED_INT);
    const it = chunkIterator(c.encoding, c.bytes);
    for (let i = 0; i < n; i++) {
      expect(it.next()).toBe(true);
      expect(it.v).toBe(v[i]);
    }
  });

  it('uses scaled integers for counters and short decimals', () => {
    const n = 120;
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = 1_700_000_000_000 + i * 15_000;
      v[i] = i === 0 ? 1000 : v[i - 1]! + (i % 7);
    }
    const c = encodeChunk(t, v, 0, n);
    expect(c.encoding).toBe(ENCODING_SCALED_INT);
    expect(c.bytes.length / n).toBeLessThan(1);
  });
});
