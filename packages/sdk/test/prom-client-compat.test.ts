import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import * as tally from '../src/prom-client/index.js';
import { Counter as TallyCounter, register as tallyRegister } from '../src/index.js';

/** name{labels} value per sample line, and `# TYPE` names, of either format (simple labels only). */
function shape(text: string): { types: string[]; samples: string[] } {
  const types: string[] = [];
  const samples: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) types.push(line.split(' ').slice(2, 4).join(' '));
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line)!;
    // `le`/`quantile` values compare as numbers: Tally writes the canonical `1.0` where
    // prom-client writes `1` (the same series for Prometheus 3; see the README's migration notes).
    const labels = (m[2] ?? '')
      .split(',')
      .filter(Boolean)
      .map((l) => l.replace(/^(le|quantile)="([^"]+)"$/, (_, n: string, v: string) => `${n}="${Number(v)}"`))
      .sort()
      .join(',');
    samples.push(`${m[1]}{${labels}} ${Number(m[3])}`);
  }
  return { types, samples: samples.sort() };
}

/** The same instrumentation, written against either module. */
function instrument(
  client: typeof prom | typeof tally,
  registry: prom.Registry<prom.RegistryContentType> | tally.Registry,
): void {
  const registers = [registry] as never;
  new client.Counter({ name: 'test', help: 'bare counter', registers }).inc(2);
  const total = new client.Counter({
    name: 'requests_total',
    help: 'suffixed',
    labelNames: ['code'],
    registers,
  });
  total.inc({ code: '200' });
  total.labels('500').inc(3);
  const g = new client.Gauge({ name: 'queue_depth', help: 'gauge', labelNames: ['q'], registers });
  g.set({ q: 'a' }, 4);
  g.inc({ q: 'a' });
  g.dec({ q: 'b' }, 2);
  const h = new client.Histogram({
    name: 'latency_seconds',
    help: 'histogram',
    labelNames: ['op'],
    buckets: [0.1, 1],
    registers,
  });
  h.observe({ op: 'read' }, 0.05);
  h.observe({ op: 'read' }, 3);
  h.labels('write').observe(0.5);
  const s = new client.Summary({ name: 'size_bytes', help: 'summary', registers, percentiles: [0.5] });
  s.observe(10);
}

describe('@tally/sdk/prom-client', () => {
  for (const [format, contentType] of [
    ['Prometheus text', prom.prometheusContentType],
    ['OpenMetrics', prom.openMetricsContentType],
  ] as const) {
    it(`exposes exactly prom-client's names and values (${format})`, async () => {
      const pr = new prom.Registry<prom.RegistryContentType>();
      pr.setContentType(contentType);
      const tr = new tally.Registry(contentType);
      instrument(prom, pr);
      instrument(tally, tr);
      const expected = shape(await pr.metrics());
      const got = shape(await tr.metrics());
      expect(got.types).toEqual(expected.types);
      expect(got.samples).toEqual(expected.samples);
    });
  }

  it('keeps a counter named `test` as `test` (Tally’s own API would expose `test_total`)', async () => {
    const r = new tally.Registry();
    new tally.Counter({ name: 'test', help: 'h', registers: [r] }).inc();
    new TallyCounter({ name: 'own', help: 'h', registers: [r] }).inc();
    expect(await r.metrics()).toBe(
      '# HELP test h\n# TYPE test counter\ntest 1\n# HELP own_total h\n# TYPE own_total counter\nown_total 1\n',
    );
  });

  it('is reachable by its package name, @tally/sdk/prom-client (package.json exports)', async () => {
    const byName = await import('@tally/sdk/prom-client');
    expect(byName.Counter).toBe(tally.Counter);
    expect(byName.register).toBe(tallyRegister);
  });

  it('has prom-client’s module surface', () => {
    expect(tally.register).toBe(tallyRegister);
    expect(tally.prometheusContentType).toBe(prom.prometheusContentType);
    expect(tally.openMetricsContentType).toBe(prom.openMetricsContentType);
    expect(tally.contentType).toBe(prom.contentType);
    expect(tally.linearBuckets(1, 1, 3)).toEqual(prom.linearBuckets(1, 1, 3));
    expect(tally.exponentialBuckets(1, 3, 3)).toEqual(prom.exponentialBuckets(1, 3, 3));
    expect(tally.validateMetricName('a:b_c')).toBe(prom.validateMetricName('a:b_c'));
    expect(tally.validateMetricName('a-b')).toBe(prom.validateMetricName('a-b'));
    expect(tally.validateLabelName(['ok', 'also_ok'])).toBe(true);
    expect(tally.validateLabelName(['not-ok'])).toBe(false);
    expect(typeof tally.collectDefaultMetrics).toBe('function');
    expect(typeof tally.Pushgateway).toBe('function');
  });

  it('get(), getMetricsAsJSON(), startTimer(labels) and the collect hook behave as prom-client', async () => {
    const r = new tally.Registry();
    const g = new tally.Gauge({
      name: 'collected',
      help: 'h',
      labelNames: ['k'],
      registers: [r],
      collect() {
        this.set({ k: 'v' }, 9);
      },
    });
    expect(await g.get()).toEqual({
      name: 'collected',
      help: 'h',
      type: 'gauge',
      aggregator: 'sum',
      values: [{ value: 9, labels: { k: 'v' } }],
    });
    const h = new tally.Histogram({ name: 'h', help: 'h', labelNames: ['op'], registers: [r] });
    const end = h.startTimer({ op: 'x' });
    expect(typeof end()).toBe('number');
    const json = await r.getMetricsAsJSON();
    expect(json.map((m) => m.name)).toEqual(['collected', 'h']);
  });

  it('supports the exemplar call forms of prom-client', async () => {
    const r = new tally.Registry(tally.Registry.OPENMETRICS_CONTENT_TYPE);
    const c = new tally.Counter({
      name: 'ex_total',
      help: 'h',
      labelNames: ['a'],
      registers: [r],
      enableExemplars: true,
    });
    c.inc({ labels: { a: '1' }, value: 2, exemplarLabels: { trace: 't' } });
    c.inc();
    expect(await r.metrics()).toMatch(/ex_total\{a="1"\} 2\.0 # \{trace="t"\} 2\.0 \S+\nex_total 1\.0\n/);
  });
});
