import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BUCKETS, exponentialBuckets, Histogram, linearBuckets, Registry } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

const bucketLines = (text: string) => text.split('\n').filter((l) => l.includes('_bucket'));

describe('Histogram (seed: track the size and number of events in buckets)', () => {
  it("follows the seed: h = Histogram('request_latency_seconds', …); h.observe(4.7)", async () => {
    const r = new Registry();
    const h = new Histogram('request_latency_seconds', 'Description of histogram', [], { registers: [r] });
    h.observe(4.7);
    const text = await r.metrics();
    expect(bucketLines(text)).toEqual([
      ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1.0', '2.5'].map(
        (le) => `request_latency_seconds_bucket{le="${le}"} 0`,
      ),
      'request_latency_seconds_bucket{le="5.0"} 1',
      'request_latency_seconds_bucket{le="10.0"} 1',
      'request_latency_seconds_bucket{le="+Inf"} 1',
    ]);
    expect(text).toContain('request_latency_seconds_sum 4.7\nrequest_latency_seconds_count 1\n');
  });

  it("uses Prometheus' default buckets; custom buckets override them; +Inf is implied", () => {
    expect(DEFAULT_BUCKETS).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    expect(new Histogram({ name: 'h', help: 'h', registers: [] }).buckets).toEqual(DEFAULT_BUCKETS);
    expect(new Histogram({ name: 'h', help: 'h', buckets: [1, 2, Infinity], registers: [] }).buckets).toEqual(
      [1, 2],
    );
  });

  it('counts a value equal to a bound in that bucket (le = less or equal), also with many buckets', async () => {
    for (const buckets of [[1, 2, 3], linearBuckets(1, 1, 40)]) {
      const r = new Registry();
      const h = new Histogram({ name: 'h', help: 'h', buckets, registers: [r] });
      for (const v of [0, 1, 1.5, 2, 3, 3.5, -Infinity, Infinity]) h.observe(v);
      const s = h.labels();
      expect(Array.from(s._counts.slice(0, 3))).toEqual([3, 2, 1]);
      expect(s._count).toBe(8);
      expect(await r.metrics()).toContain('h_bucket{le="+Inf"} 8\n');
    }
  });

  it('refuses bad buckets and NaN observations', () => {
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: [2, 1], registers: [] })).toThrow(
      /strictly increasing \(2 then 1\)/,
    );
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: [], registers: [] })).toThrow(/at least one/);
    expect(() => new Histogram({ name: 'h', help: 'h', buckets: [NaN], registers: [] })).toThrow(
      /not a finite number/,
    );
    expect(() => new Histogram({ name: 'h', help: 'h', labelNames: ['le'], registers: [] })).toThrow(
      /"le" is reserved/,
    );
    const h = new Histogram({ name: 'h', help: 'h', registers: [] });
    expect(() => h.observe(NaN)).toThrow(/Histogram h: observed value must be a number/);
  });

  it('linearBuckets and exponentialBuckets as prom-client', () => {
    expect(linearBuckets(0, 10, 5)).toEqual([0, 10, 20, 30, 40]);
    expect(exponentialBuckets(1, 2, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(() => linearBuckets(0, 0, 3)).toThrow(/width/);
    expect(() => linearBuckets(0, 1, 0)).toThrow(/count/);
    expect(() => exponentialBuckets(0, 2, 3)).toThrow(/start/);
    expect(() => exponentialBuckets(1, 1, 3)).toThrow(/factor/);
  });

  it('times sync and async code: time(fn), time() as wrapper/decorator, startTimer()', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['op'], registers: [] });
    const unlabelled = new Histogram({ name: 'u', help: 'h', registers: [] });
    expect(unlabelled.time(() => 42)).toBe(42);
    await expect(unlabelled.time(async () => 'later')).resolves.toBe('later');
    expect(() =>
      unlabelled.time(() => {
        throw new Error('still timed');
      }),
    ).toThrow('still timed');
    expect(unlabelled.labels()._count).toBe(3);
    const timed = h.labels('load').time()((x: number) => x + 1);
    expect(timed(1)).toBe(2);
    const end = h.startTimer({ op: 'save' });
    expect(end()).toBeGreaterThanOrEqual(0);
    h.labels('load').startTimer()();
    expect(h.labels('load')._count).toBe(2);
    expect(h.labels('save')._count).toBe(1);
  });

  it('records exemplars per bucket, written in OpenMetrics only', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const r = new Registry();
    const h = new Histogram({
      name: 'rpc_seconds',
      help: 'h',
      buckets: [1],
      registers: [r],
      enableExemplars: true,
    });
    h.observe({ value: 0.5, exemplarLabels: { trace_id: 'a1' } });
    h.observe({ value: 3, exemplarLabels: { trace_id: 'b2' }, labels: {} });
    // The exemplar timestamp is the observation time, in seconds (its digits are model's formatting).
    expect(await r.metrics('openmetrics')).toMatch(
      /rpc_seconds_bucket\{le="1\.0"\} 1\.0 # \{trace_id="a1"\} 0\.5 (1700000000|1\.7e\+09)\S*\nrpc_seconds_bucket\{le="\+Inf"\} 2\.0 # \{trace_id="b2"\} 3\.0 (1700000000|1\.7e\+09)\S*\n/,
    );
    expect(await r.metrics('prometheus')).not.toContain('#  {');
    expect(() => h.labels().observe(1, { 'bad-name': 'x' })).toThrow(/invalid exemplar label name/);
    expect(() => h.labels().observe(1, { trace_id: 'x'.repeat(130) })).toThrow(/at most 128/);
  });

  it('a removed series still held sends its observations to the series that has its labels now', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [1], registers: [] });
    const held = h.labels('x');
    held.observe(0.5);
    h.remove('x');
    h.observe({ a: 'x' }, 2); // the label set comes back as a new series
    held.observe(3);
    expect(h.labels('x')).not.toBe(held);
    expect(h.labels('x')._count).toBe(2);
    expect(h.labels('x')._sum).toBe(5);
    const current = h.labels('x');
    h.remove('x');
    held.observe(1); // still forwarded: the series it forwards to comes back, from zero
    expect(h.labels('x')).toBe(current);
    expect(current._count).toBe(1);
  });

  it('zero() exposes a series before its first observation; get() gives prom-client values', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [1], registers: [] });
    h.zero({ a: 'x' });
    expect((await h.get()).values).toEqual([
      { value: 0, labels: { a: 'x', le: '1' }, metricName: 'h_bucket' },
      { value: 0, labels: { a: 'x', le: '+Inf' }, metricName: 'h_bucket' },
      { value: 0, labels: { a: 'x' }, metricName: 'h_sum' },
      { value: 0, labels: { a: 'x' }, metricName: 'h_count' },
    ]);
  });
});
