import { writeOpenMetrics, writePrometheusText } from '@tally/model';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Counter, Gauge, Histogram, Registry, register, Summary } from '../src/index.js';
import { expositionCases } from './exposition-cases.js';

const slug = (name: string) =>
  name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

describe('golden expositions', () => {
  beforeEach(() => {
    // Exemplar timestamps come from the clock.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.678Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const c of expositionCases) {
    it(`${c.name}: Prometheus text`, async () => {
      await expect(await c.build().metrics('prometheus')).toMatchFileSnapshot(
        `golden/${slug(c.name)}.prom.txt`,
      );
    });
    it(`${c.name}: OpenMetrics`, async () => {
      await expect(await c.build().metrics('openmetrics')).toMatchFileSnapshot(
        `golden/${slug(c.name)}.om.txt`,
      );
    });
    it(`${c.name}: the fast serialiser writes what @tally/model's writers write`, async () => {
      const r = c.build();
      const families = await r.collect();
      expect(await r.metrics('prometheus')).toBe(writePrometheusText(families));
      expect(await r.metrics('openmetrics')).toBe(writeOpenMetrics(families));
    });
  }
});

describe('fast serialiser = model writers, for arbitrary metrics', () => {
  const labelValue = fc.string({
    unit: fc.constantFrom('a', 'b', ',', ':', '"', '\\', '\n', 'é', '=', '{', ' ', ''),
    maxLength: 6,
  });
  const value = fc.oneof(
    fc.double(),
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.constantFrom(0, -0, 1e-7, 1e21, NaN, Infinity),
  );
  it('holds for gauges, counters and histograms with random labels, values and default labels', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(labelValue, labelValue, value), { maxLength: 8 }),
        fc.option(fc.tuple(labelValue, labelValue)),
        fc.string({ maxLength: 10 }),
        async (rows, defaults, help) => {
          const r = new Registry();
          if (defaults) r.setDefaultLabels({ b: defaults[0], z: defaults[1] });
          const g = new Gauge({ name: 'g', help, labelNames: ['a', 'b'], registers: [r] });
          const c = new Counter({ name: 'c_total', help, labelNames: ['b', 'a'], registers: [r] });
          const h = new Histogram({
            name: 'h',
            help,
            labelNames: ['a'],
            buckets: [0, 1.5, 100],
            registers: [r],
          });
          for (const [a, b, v] of rows) {
            g.set({ a, b }, v);
            if (v >= 0 && v !== Infinity) c.inc({ a, b }, v);
            if (!Number.isNaN(v)) h.observe({ a }, v);
          }
          const families = await r.collect();
          expect(await r.metrics('prometheus')).toBe(writePrometheusText(families));
          expect(await r.metrics('openmetrics')).toBe(writeOpenMetrics(families));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Registry', () => {
  it('keeps {a:"1,b:2"} and {a:"1",b:"2"} apart (prom-client merges them)', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'collide', help: 'h', labelNames: ['a', 'b'], registers: [r] });
    c.inc({ a: '1,b:2' });
    c.inc({ a: '1', b: '2' }, 5);
    expect(c.labels({ a: '1,b:2' })).not.toBe(c.labels({ a: '1', b: '2' }));
    const text = await r.metrics();
    expect(text).toContain('collide_total{a="1,b:2"} 1\n');
    expect(text).toContain('collide_total{a="1",b="2"} 5\n');
  });

  it('has a content type, switchable to OpenMetrics, and refuses others', async () => {
    const r = new Registry();
    expect(r.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    new Gauge({ name: 'x', help: 'h', registers: [r] }).set(1);
    r.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(r.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(await r.metrics()).toMatch(/x 1\.0\n# EOF\n$/);
    expect(() => r.setContentType('text/html' as never)).toThrow(/unsupported/);
    expect(() => new Registry('application/json' as never)).toThrow(/unsupported/);
  });

  it('finds metrics by name (a counter with or without _total), removes, clears and resets them', async () => {
    const r = new Registry();
    const c = new Counter('hits_total', 'h', [], { registers: [r] });
    const g = new Gauge('temp', 'h', ['room'], { registers: [r] });
    c.inc(3);
    g.set({ room: 'a' }, 20);
    expect(r.getSingleMetric('hits')).toBe(c);
    expect(r.getSingleMetric('hits_total')).toBe(c);
    expect(r.getSingleMetric('temp')).toBe(g);
    expect(r.getSingleMetric('nope')).toBeUndefined();
    expect(await r.getSingleMetricAsString('temp')).toBe(
      '# HELP temp h\n# TYPE temp gauge\ntemp{room="a"} 20\n',
    );
    r.resetMetrics();
    expect(await r.metrics()).toBe(
      '# HELP hits_total h\n# TYPE hits_total counter\nhits_total 0\n# HELP temp h\n# TYPE temp gauge\n',
    );
    r.removeSingleMetric('hits_total');
    expect(r.getMetricsAsArray()).toEqual([g]);
    r.setDefaultLabels({ a: 'b' });
    r.clear();
    expect(r.getMetricsAsArray()).toEqual([]);
    expect(r.getDefaultLabels()).toEqual({});
    expect(await r.metrics()).toBe('');
  });

  it('refuses a second metric with a taken name, accepts the same metric twice', () => {
    const r = new Registry();
    const g = new Gauge({ name: 'dup', help: 'h', registers: [r] });
    expect(() => new Gauge({ name: 'dup', help: 'h', registers: [r] })).toThrow(/already been registered/);
    expect(() => r.registerMetric(g)).not.toThrow();
  });

  it('registers with the default registry unless told otherwise', () => {
    const c = new Counter('default_registry_probe', 'h');
    expect(register.getSingleMetric('default_registry_probe')).toBe(c);
    register.removeSingleMetric('default_registry_probe');
    const none = new Counter({ name: 'default_registry_probe', help: 'h', registers: [] });
    expect(register.getSingleMetric('default_registry_probe')).toBeUndefined();
    none.inc();
  });

  it('merges registries and refuses clashes and mixed content types', async () => {
    const a = new Registry();
    const b = new Registry();
    new Gauge({ name: 'ga', help: 'h', registers: [a] }).set(1);
    new Gauge({ name: 'gb', help: 'h', registers: [b] }).set(2);
    const merged = Registry.merge([a, b]);
    expect(await merged.metrics()).toBe(
      '# HELP ga h\n# TYPE ga gauge\nga 1\n# HELP gb h\n# TYPE gb gauge\ngb 2\n',
    );
    new Gauge({ name: 'ga', help: 'h', registers: [b] });
    expect(() => Registry.merge([a, b])).toThrow(/already been registered/);
    expect(() => Registry.merge([a, new Registry(Registry.OPENMETRICS_CONTENT_TYPE)])).toThrow(
      /same content type/,
    );
  });

  it('adds default labels to the JSON form and to every series', async () => {
    const r = new Registry();
    r.setDefaultLabels({ job: 'j' });
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['job', 'x'], registers: [r] });
    c.inc({ x: '1' });
    c.inc({ x: '2', job: 'own' });
    const json = await r.getMetricsAsJSON();
    expect(json).toEqual([
      {
        name: 'c',
        help: 'h',
        type: 'counter',
        aggregator: 'sum',
        values: [
          { value: 1, labels: { job: 'j', x: '1' } },
          { value: 1, labels: { job: 'own', x: '2' } },
        ],
      },
    ]);
    expect(await r.metrics()).toBe(
      '# HELP c_total h\n# TYPE c_total counter\nc_total{job="j",x="1"} 1\nc_total{job="own",x="2"} 1\n',
    );
  });

  it('runs collect hooks (sync and async, this = the metric) before any family is written', async () => {
    const r = new Registry();
    const later = new Gauge({ name: 'later', help: 'set by the first hook', registers: [r] });
    new Gauge({
      name: 'first',
      help: 'h',
      registers: [r],
      async collect() {
        await Promise.resolve();
        this.set(7);
        later.set(8);
      },
    });
    expect(await r.metrics()).toBe(
      '# HELP later set by the first hook\n# TYPE later gauge\nlater 8\n# HELP first h\n# TYPE first gauge\nfirst 7\n',
    );
  });

  it('yields to the event loop while serialising a large registry', async () => {
    const r = new Registry();
    for (let f = 0; f < 5; f++) {
      const c = new Counter({ name: `big_${f}`, help: 'h', labelNames: ['i'], registers: [r] });
      for (let i = 0; i < 1_000; i++) c.inc({ i });
    }
    let ranDuring = false;
    setImmediate(() => (ranDuring = true));
    const text = await r.metrics();
    expect(ranDuring).toBe(true);
    expect(text.split('\n').length).toBe(5 * 1_002 + 1);
  });

  it('does not yield for a small registry', async () => {
    const r = new Registry();
    new Gauge({ name: 'small', help: 'h', registers: [r] }).set(1);
    let ranDuring = false;
    setImmediate(() => (ranDuring = true));
    await r.metrics();
    expect(ranDuring).toBe(false);
  });

  it('writes families as MetricFamily objects', async () => {
    const r = new Registry();
    new Summary({ name: 's', help: 'h', registers: [r] }).observe(2);
    expect(await r.collect()).toEqual([
      {
        name: 's',
        type: 'summary',
        help: 'h',
        samples: [
          { name: 's_sum', labels: [], value: 2 },
          { name: 's_count', labels: [], value: 1 },
        ],
      },
    ]);
  });
});
