import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ema } from '../src/lib/ema.js';
import { seriesStats } from '../src/lib/stats.js';

describe('ema', () => {
  it('is the identity at weight 0', () => {
    expect(ema([1, null, 3], 0)).toEqual([1, null, 3]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of ema([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
  });

  it('keeps gaps and smooths across them', () => {
    const out = ema([0, null, 10], 0.5);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeNull();
    // last = 0.5·0 + 0.5·10 = 5, debiased by 1 − 0.5² = 0.75
    expect(out[2]).toBeCloseTo(5 / 0.75, 12);
  });

  it('stays within the range of its inputs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (xs, w) => {
          const lo = Math.min(...xs);
          const hi = Math.max(...xs);
          for (const v of ema(xs, w)) {
            expect(v!).toBeGreaterThanOrEqual(lo - 1e-6 * Math.max(1, Math.abs(lo)));
            expect(v!).toBeLessThanOrEqual(hi + 1e-6 * Math.max(1, Math.abs(hi)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('seriesStats', () => {
  it('computes last/min/max/mean ignoring gaps and NaN', () => {
    expect(seriesStats([3, null, 1, NaN, 8])).toEqual({ last: 8, min: 1, max: 8, mean: 4, count: 3 });
  });
  it('is empty for no values', () => {
    expect(seriesStats([null])).toEqual({ last: null, min: null, max: null, mean: null, count: 0 });
  });
});
