// Registries the tests expose, shared by the golden tests (registry.test.ts) and the interop
// suite (exposition.interop.test.ts), so every exposition the SDK writes in its tests is also
// checked by promtool and read back by Python's parsers.
import { Counter, Gauge, Histogram, Registry, Summary } from '../src/index.js';
import * as compat from '../src/prom-client/index.js';

export interface ExpositionCase {
  readonly name: string;
  readonly build: () => Registry;
}

const fixedClock = () => 1_700_000_000_000;

export const expositionCases: readonly ExpositionCase[] = [
  {
    name: 'seed counter, gauge, summary, histogram',
    build: () => {
      const r = new Registry();
      const c = new Counter('my_failures', 'Description of counter', [], { registers: [r] });
      c.inc();
      c.inc(1.6);
      const g = new Gauge('my_inprogress_requests', 'Description of gauge', [], { registers: [r] });
      g.inc();
      g.dec(10);
      g.set(4.2);
      const s = new Summary('request_latency_seconds', 'Description of summary', [], { registers: [r] });
      s.observe(4.7);
      const h = new Histogram('request_size_seconds', 'Description of histogram', [], { registers: [r] });
      h.observe(4.7);
      return r;
    },
  },
  {
    name: 'seed labels, positional and by name',
    build: () => {
      const r = new Registry();
      const c = new Counter('my_requests_total', 'HTTP Failures', ['method', 'endpoint'], { registers: [r] });
      c.labels('get', '/').inc();
      c.labels('post', '/submit').inc();
      c.labels({ method: 'get', endpoint: '/' }).inc();
      c.labels({ method: 'post', endpoint: '/submit' }).inc();
      return r;
    },
  },
  {
    name: 'escaping, special values, label collision',
    build: () => {
      const r = new Registry();
      const g = new Gauge({
        name: 'weird_values',
        help: 'Help with \\ backslash,\nnewline and "quotes"',
        labelNames: ['a', 'b'],
        registers: [r],
      });
      g.set({ a: '1,b:2' }, 1);
      g.set({ a: '1', b: '2' }, 2);
      g.set({ a: 'quote " back \\ nl \n', b: 'ünïcødé' }, NaN);
      g.set({ a: 'inf' }, Infinity);
      g.set({ a: '-inf' }, -Infinity);
      g.set({ a: 'tiny' }, 1e-7);
      g.set({ a: 'big' }, 1.5e21);
      g.set({ a: 'neg' }, -0.25);
      return r;
    },
  },
  {
    name: 'histogram with custom buckets, labels and default labels',
    build: () => {
      const r = new Registry();
      r.setDefaultLabels({ job: 'train', zone: 'a' });
      const h = new Histogram({
        name: 'batch_seconds',
        help: 'Batch time',
        labelNames: ['stage'],
        buckets: [0.1, 1, 10],
        registers: [r],
      });
      h.observe({ stage: 'load' }, 0.05);
      h.observe({ stage: 'load' }, 2);
      h.labels('step').observe(20);
      const c = new Counter({ name: 'steps_total', help: 'Steps', labelNames: ['zone'], registers: [r] });
      c.inc({ zone: 'b' }, 3); // own label wins over the default
      c.inc(2); // empty zone: the default fills it in
      return r;
    },
  },
  {
    name: 'summary quantiles over a window',
    build: () => {
      const r = new Registry();
      const s = new Summary({
        name: 'loss',
        help: 'Training loss',
        labelNames: ['model'],
        percentiles: [0.5, 0.9, 0.99],
        registers: [r],
        nowMs: fixedClock,
      });
      for (let i = 1; i <= 100; i++) s.observe({ model: 'v1' }, i / 100);
      s.zero({ model: 'v2' });
      return r;
    },
  },
  {
    name: 'exemplars (OpenMetrics only)',
    build: () => {
      const r = new Registry();
      const h = new Histogram({ name: 'rpc_seconds', help: 'RPC time', buckets: [0.5, 1], registers: [r] });
      h.labels().observe(0.3, { trace_id: 'abc123' });
      const c = new Counter({ name: 'jobs_total', help: 'Jobs', registers: [r] });
      c.labels().inc(2, { trace_id: 'def' });
      return r;
    },
  },
  {
    name: 'prom-client compatibility: a counter keeps its bare name',
    build: () => {
      const r = new Registry();
      new compat.Counter({ name: 'test', help: 'bare counter', registers: [r] }).inc();
      new compat.Summary({
        name: 'compat_request_seconds',
        help: 'summary with default percentiles',
        registers: [r],
      }).observe(3);
      return r;
    },
  },
  {
    name: 'prom-client compatibility: a counter named _total',
    build: () => {
      const r = new Registry();
      new compat.Counter({
        name: 'test_total',
        help: 'suffixed counter',
        labelNames: ['code'],
        registers: [r],
      }).inc({ code: '200' });
      return r;
    },
  },
];
