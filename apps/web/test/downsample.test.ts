import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignSeries, mergeMinMax, parsePromValue, type PromPoint } from '../src/lib/downsample.js';

const pts = (xs: [number, number][]): PromPoint[] => xs.map(([t, v]) => [t, String(v)]);

describe('mergeMinMax', () => {
  it('draws one point for a bucket whose min equals its max', () => {
    const m = pts([
      [10, 1],
      [20, 2],
    ]);
    expect(mergeMinMax(m, m, m, 10)).toEqual({ t: [10, 20], v: [1, 2] });
  });

  it('keeps a spike: both extremes are drawn and the bucket ends on its last value', () => {
    const min = pts([[10, 1]]);
    const max = pts([[10, 100]]);
    const last = pts([[10, 1]]);
    expect(mergeMinMax(min, max, last, 10)).toEqual({ t: [5, 10], v: [100, 1] });
  });

  it('puts a last value between the extremes after both of them', () => {
    const r = mergeMinMax(pts([[30, 0]]), pts([[30, 9]]), pts([[30, 4]]), 30);
    expect(r).toEqual({ t: [10, 20, 30], v: [0, 9, 4] });
  });

  it('orders extremes to continue from the previous point', () => {
    const min = pts([
      [10, 50],
      [20, 0],
    ]);
    const max = pts([
      [10, 50],
      [20, 60],
    ]);
    const last = pts([
      [10, 50],
      [20, 30],
    ]);
    const r = mergeMinMax(min, max, last, 9);
    expect(r.v).toEqual([50, 60, 0, 30]);
  });

  it('never loses a bucket extreme (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (buckets) => {
          const step = 12;
          const min = buckets.map(([lo], i): PromPoint => [(i + 1) * step, String(lo)]);
          const max = buckets.map(([lo, d], i): PromPoint => [(i + 1) * step, String(lo + d)]);
          const last = buckets.map(([lo, d], i): PromPoint => [
            (i + 1) * step,
            String(lo + Math.floor(d / 3)),
          ]);
          const r = mergeMinMax(min, max, last, step);
          buckets.forEach(([lo, d], i) => {
            const end = (i + 1) * step;
            const inBucket = r.v.filter((_, j) => r.t[j]! > end - step && r.t[j]! <= end);
            expect(Math.min(...(inBucket as number[]))).toBe(lo);
            expect(Math.max(...(inBucket as number[]))).toBe(lo + d);
            expect(r.v[r.t.indexOf(end)]).toBe(lo + Math.floor(d / 3));
          });
          expect([...r.t].sort((a, b) => a - b)).toEqual(r.t);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('alignSeries', () => {
  it('puts series on one sorted x axis with gaps as null', () => {
    const r = alignSeries([
      { t: [1, 3], v: [10, 30] },
      { t: [2, 3], v: [20, 31] },
    ]);
    expect(r).toEqual({
      x: [1, 2, 3],
      ys: [
        [10, null, 30],
        [null, 20, 31],
      ],
    });
  });
});

it('parses Prometheus values, infinities included', () => {
  expect(parsePromValue('+Inf')).toBe(Infinity);
  expect(parsePromValue('-Inf')).toBe(-Infinity);
  expect(parsePromValue('NaN')).toBeNaN();
  expect(parsePromValue('1e3')).toBe(1000);
});
