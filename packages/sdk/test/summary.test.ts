import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry, Summary } from '../src/index.js';
import { QuantileSketch, RELATIVE_ACCURACY } from '../src/metrics/quantile-sketch.js';

describe('Summary (seed: Summaries track the size and number of events)', () => {
  it('follows the seed: s.observe(4.7) gives count and sum, no quantiles by default', async () => {
    const r = new Registry();
    const s = new Summary('request_latency_seconds', 'Description of summary', [], { registers: [r] });
    s.observe(4.7);
    expect(await r.metrics()).toBe(
      '# HELP request_latency_seconds Description of summary\n# TYPE request_latency_seconds summary\nrequest_latency_seconds_sum 4.7\nrequest_latency_seconds_count 1\n',
    );
  });

  it('times code: time(fn), time() wrapper, startTimer()', async () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['op'], registers: [] });
    const u = new Summary({ name: 'u', help: 'h', registers: [] });
    expect(u.time(() => 'x')).toBe('x');
    await u.time(async () => undefined);
    expect(u.time()((a: number) => a * 2)(4)).toBe(8);
    s.startTimer({ op: 'a' })();
    s.labels('a').startTimer()();
    s.labels('a').time(() => 1);
    expect(u.labels()._count).toBe(3);
    expect(s.labels('a')._count).toBe(3);
  });

  it('refuses NaN, bad percentiles and bad windows', () => {
    expect(() => new Summary({ name: 's', help: 'h', percentiles: [1.5], registers: [] })).toThrow(
      /percentile 1.5 is not in \[0, 1\]/,
    );
    expect(() => new Summary({ name: 's', help: 'h', maxAgeSeconds: 0, registers: [] })).toThrow(
      /maxAgeSeconds/,
    );
    expect(() => new Summary({ name: 's', help: 'h', ageBuckets: 0, registers: [] })).toThrow(/ageBuckets/);
    expect(() => new Summary({ name: 's', help: 'h', labelNames: ['quantile'], registers: [] })).toThrow(
      /reserved/,
    );
    expect(() => new Summary({ name: 's', help: 'h', registers: [] }).observe(NaN)).toThrow(
      /Summary s: observed value/,
    );
  });

  it('reads one observation back exactly and an empty window as NaN', () => {
    const s = new Summary({ name: 's', help: 'h', percentiles: [0, 0.5, 1], registers: [] });
    expect(s.labels().quantiles().every(Number.isNaN)).toBe(true);
    s.observe(4.7);
    expect(s.labels().quantiles()).toEqual([4.7, 4.7, 4.7]);
  });
});

describe('streaming quantiles', () => {
  it(`stay within ${RELATIVE_ACCURACY * 100}% of the exact nearest-rank quantile`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -5, max: 5 })), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (values, qs) => {
          const sketch = new QuantileSketch();
          for (const v of values) sketch.add(v);
          const sorted = [...values].sort((a, b) => a - b);
          const got = sketch.quantiles(qs);
          qs.forEach((q, i) => {
            const exact = sorted[Math.round(q * (sorted.length - 1))]!;
            const tolerance = Math.abs(exact) * RELATIVE_ACCURACY + 1e-12;
            expect(Math.abs(got[i]! - exact)).toBeLessThanOrEqual(tolerance);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merge equals adding everything to one sketch', () => {
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const all = new QuantileSketch();
    for (let i = 1; i <= 500; i++) {
      (i % 2 ? a : b).add(i * 0.37);
      all.add(i * 0.37);
    }
    a.merge(b);
    expect(a.count).toBe(500);
    expect(a.quantiles([0.1, 0.5, 0.99])).toEqual(all.quantiles([0.1, 0.5, 0.99]));
  });

  it('slide: observations leave the window a period at a time, each recorded once', () => {
    let now = 0;
    const s = new Summary({
      name: 's',
      help: 'h',
      percentiles: [0, 1],
      maxAgeSeconds: 10,
      ageBuckets: 5,
      nowMs: () => now,
      registers: [],
    });
    s.observe(100); // period [0 s, 2 s)
    now = 2_500;
    s.observe(1); // period [2 s, 4 s)
    now = 9_999;
    expect(s.labels().quantiles()).toEqual([1, 100]);
    now = 10_000; // the first period has aged out
    expect(s.labels().quantiles()).toEqual([1, 1]);
    now = 12_000; // and so has the second
    expect(s.labels().quantiles().every(Number.isNaN)).toBe(true);
    // count and sum are cumulative, as in every Prometheus client
    expect(s.labels()._count).toBe(2);
    expect(s.labels()._sum).toBe(101);
  });

  it('a window slot reused after a long pause holds only new observations', () => {
    let now = 0;
    const s = new Summary({
      name: 's',
      help: 'h',
      percentiles: [0.5],
      maxAgeSeconds: 10,
      ageBuckets: 5,
      nowMs: () => now,
      registers: [],
    });
    s.observe(5);
    now = 100_000; // same slot (epoch 50 % 5 = 0), a different period
    s.observe(7);
    expect(s.labels().quantiles()).toEqual([7]);
  });

  it('prom-client flavour: seven quantiles over the lifetime', async () => {
    const { Summary: CompatSummary } = await import('../src/prom-client/index.js');
    const s = new CompatSummary({ name: 's', help: 'h', registers: [] });
    expect(s.percentiles).toEqual([0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]);
    expect(s.maxAgeSeconds).toBe(Infinity);
    for (let i = 1; i <= 1000; i++) s.observe(i);
    const [p01, , p50, , , , p999] = s.labels().quantiles();
    expect(p01).toBeCloseTo(11, -0.5);
    expect(Math.abs(p50! - 500) / 500).toBeLessThan(0.011);
    expect(Math.abs(p999! - 999) / 999).toBeLessThan(0.011);
  });
});
