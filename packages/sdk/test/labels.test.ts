import { describe, expect, expectTypeOf, it } from 'vitest';
import { Counter, CounterSeries, Gauge, Registry } from '../src/index.js';

describe('labels (seed: All metrics can have labels)', () => {
  it("follows the seed: c.labels('get', '/').inc() and c.labels(method='get', endpoint='/').inc()", async () => {
    const r = new Registry();
    const c = new Counter('my_requests_total', 'HTTP Failures', ['method', 'endpoint'], { registers: [r] });
    c.labels('get', '/').inc();
    c.labels('post', '/submit').inc();
    c.labels({ method: 'get', endpoint: '/' }).inc();
    c.labels({ method: 'post', endpoint: '/submit' }).inc();
    expect(await r.metrics()).toBe(
      '# HELP my_requests_total HTTP Failures\n# TYPE my_requests_total counter\n' +
        'my_requests_total{endpoint="/",method="get"} 2\nmy_requests_total{endpoint="/submit",method="post"} 2\n',
    );
  });

  it('returns the same cached series object, positional or by name, in any key order', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['method', 'endpoint'], registers: [] });
    const s = c.labels('get', '/');
    expect(s).toBeInstanceOf(CounterSeries);
    expect(c.labels('get', '/')).toBe(s);
    expect(c.labels({ method: 'get', endpoint: '/' })).toBe(s);
    expect(c.labels({ endpoint: '/', method: 'get' })).toBe(s);
    expect(c.labels('get', '/x')).not.toBe(s);
  });

  it('writes numbers as strings and treats a missing label as the empty (absent) value', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['code', 'method'], registers: [r] });
    c.labels(200, 'get').inc();
    expect(c.labels('200', 'get').get()).toBe(1);
    c.inc({ code: 404 });
    c.inc();
    expect(await r.metrics()).toBe(
      '# HELP c_total h\n# TYPE c_total counter\nc_total{code="200",method="get"} 1\nc_total{code="404"} 1\nc_total 1\n',
    );
  });

  it('refuses unknown label names, wrong counts and non-string values, naming the metric', () => {
    const c = new Counter({ name: 'strict', help: 'h', labelNames: ['a', 'b'], registers: [] });
    expect(() => c.labels('x')).toThrow(/Counter strict: expected 2 label values \(a, b\), got 1/);
    expect(() => c.labels('x', 'y', 'z')).toThrow(/got 3/);
    expect(() => c.labels({ a: '1', c: '2' } as never)).toThrow(
      /Counter strict: label "c" is not one of its label names \[a, b\]/,
    );
    // Extra key on an existing series is still refused (the fast path counts keys).
    c.labels({ a: '1', b: '2' });
    expect(() => c.inc({ a: '1', b: '2', c: '3' } as never)).toThrow(/label "c"/);
    expect(() => c.labels({ a: true as never, b: '1' })).toThrow(
      /label "a" must be a string or number, got boolean/,
    );
    const unlabelled = new Counter({ name: 'plain', help: 'h', registers: [] });
    expect(() => unlabelled.labels({ a: 'x' } as never)).toThrow(/label "a" is not one of its label names/);
    expect(() => unlabelled.labels('x')).toThrow(/expected 0 label values/);
  });

  it('inc(labels, v) updates the series of those labels', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['method'], registers: [] });
    c.inc({ method: 'get' }, 2);
    c.inc({ method: 'get' });
    expect(c.labels('get').get()).toBe(3);
  });

  it('remove() drops one series; a held series comes back from zero on its next update', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a', 'b'], registers: [r] });
    const held = c.labels('1', '2');
    held.inc(5);
    c.labels('1', '3').inc(1);
    c.remove('1', '2');
    expect(c.seriesSize).toBe(1);
    expect(await r.metrics()).toBe('# HELP c_total h\n# TYPE c_total counter\nc_total{a="1",b="3"} 1\n');
    c.remove({ a: 'missing', b: 'x' }); // absent: a no-op
    held.inc();
    expect(c.labels('1', '2')).toBe(held);
    expect(held.get()).toBe(1);
    expect(c.seriesSize).toBe(2);
    expect(() => c.remove('1')).toThrow(/expected 2 label values/);
    // Removed, then recreated through inc(labels) before the held series is used again: both
    // update the one series.
    c.remove('1', '2');
    c.inc({ a: '1', b: '2' }, 10);
    held.inc();
    expect(held.get()).toBe(11);
    expect(c.labels('1', '2')).toBe(held);
    // Two held series for one label set (one removed, the label set recreated and held again):
    // the removed one's updates go to the live one.
    c.remove('1', '2');
    const again = c.labels('1', '2');
    held.inc(4);
    expect(again.get()).toBe(4);
    expect(held.get()).toBe(4);
    expect(() => new Counter({ name: 'u', help: 'h', registers: [] }).remove()).toThrow(/has no labels/);
  });

  it('reset() and clear() drop every labelled series; an unlabelled value goes back to zero on reset', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a'], registers: [r] });
    const g = new Gauge({ name: 'g', help: 'h', registers: [r] });
    const held = c.labels('x');
    held.inc(3);
    g.set(4);
    c.clear();
    g.clear();
    expect((await g.get()).values[0]!.value).toBe(4);
    expect(c.seriesSize).toBe(0);
    held.inc();
    expect(c.labels('x').get()).toBe(1);
    c.reset();
    g.reset();
    expect(await r.metrics()).toBe(
      '# HELP c_total h\n# TYPE c_total counter\n# HELP g h\n# TYPE g gauge\ng 0\n',
    );
  });

  it('removes empty branches of the series tree, so removed label values hold no memory', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a', 'b', 'c'], registers: [] });
    for (let i = 0; i < 50; i++) c.labels(String(i), 'x', String(i % 3)).inc();
    for (let i = 0; i < 50; i++) c.remove(String(i), 'x', String(i % 3));
    expect(c.seriesSize).toBe(0);
    expect((c._root() as Map<string, unknown>).size).toBe(0);
    c.labels('1', 'x', '1').inc();
    c.labels('1', 'y', '1').inc();
    c.labels('1', 'y', '2').inc();
    c.remove('1', 'y', '1');
    expect(c.labels('1', 'y', '2').get()).toBe(1);
    expect(c.labels('1', 'x', '1').get()).toBe(1);
  });

  it('types label names: Counter<"method" | "endpoint"> refuses others at compile time', () => {
    const c = new Counter({ name: 'typed', help: 'h', labelNames: ['method', 'endpoint'], registers: [] });
    expectTypeOf(c).toEqualTypeOf<Counter<'method' | 'endpoint'>>();
    c.inc({ method: 'get' });
    // @ts-expect-error -- "status" is not a label of this counter
    expect(() => c.inc({ status: '200' })).toThrow(/label "status"/);
    const seed = new Counter('seed_typed', 'h', ['a'] as const, { registers: [] });
    expectTypeOf(seed).toEqualTypeOf<Counter<'a'>>();
  });
});
