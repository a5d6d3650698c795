// Interop: every exposition the SDK writes in its tests is linted by `promtool check metrics`
// and read back by Python's prometheus_client parsers (Debian's python3-prometheus-client),
// which must see the same families the SDK meant to write.
import { spawnSync } from 'node:child_process';
import { writeOpenMetrics, writePrometheusText, type MetricFamily } from '@tally/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { debianPython, hasPythonModule, peerAvailable, which } from '../../../test-support/peers.js';
import { collectDefaultMetrics, Counter, Gauge, httpGoldenSignals, Registry } from '../src/index.js';
import { expositionCases, type ExpositionCase } from './exposition-cases.js';

const extraCases: readonly (ExpositionCase & { volatile?: boolean })[] = [
  {
    name: 'default process and Node.js metrics',
    volatile: true,
    build: () => {
      const r = new Registry();
      collectDefaultMetrics({ register: r });
      return r;
    },
  },
  {
    name: 'golden signals and the series-limit self-metric',
    build: () => {
      const r = new Registry();
      const s = httpGoldenSignals({ registry: r });
      s.requests.inc({ method: 'GET', route: '/users', status: '200' });
      s.duration.observe({ method: 'GET', route: '/users', status: '200' }, 0.02);
      s.inFlight.set(2);
      const limited = new Counter({
        name: 'per_user',
        help: 'h',
        labelNames: ['user'],
        maxSeries: 2,
        registers: [r],
        onError: () => undefined,
      });
      for (let i = 0; i < 5; i++) limited.inc({ user: `u${i}` });
      return r;
    },
  },
  {
    name: 'a large registry with default labels',
    build: () => {
      const r = new Registry();
      r.setDefaultLabels({ job: 'bulk', instance: 'node-1' });
      for (let f = 0; f < 5; f++) {
        // `id` sorts first and is unique per series, so the tree reorders its levels past 256
        // series; the default `instance` sorts between `id` and `zone`.
        const g = new Gauge({
          name: `bulk_${f}_bytes`,
          help: `family ${f}`,
          labelNames: ['zone', 'id', 'instance'],
          registers: [r],
        });
        for (let i = 0; i < 500; i++)
          g.set(
            { id: String(i), zone: `z${i % 3}`, ...(i % 7 === 0 ? { instance: `own-${i}` } : {}) },
            i * 1.25,
          );
      }
      return r;
    },
  },
];

const allCases: readonly (ExpositionCase & { volatile?: boolean })[] = [...expositionCases, ...extraCases];

/** A sample as both sides describe it: name, labels as a record, value (NaN/±Inf as strings). */
type Row = [string, Record<string, string>, number | string];
/** An exemplar: labels, value, timestamp in milliseconds. */
type ExemplarRow = [Record<string, string>, number | string, number | undefined];
interface NormalFamily {
  name: string;
  type: string;
  samples: Row[];
  exemplars?: (ExemplarRow | null)[];
}

const encode = (v: number): number | string =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : v;
const record = (labels: readonly { name: string; value: string }[]) =>
  Object.fromEntries(labels.map((l) => [l.name, l.value]));

/** What the SDK meant to write, as each Python parser names things. */
function expected(families: readonly MetricFamily[], openMetrics: boolean): NormalFamily[] {
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    samples: f.samples.map((s): Row => {
      // OpenMetrics writes a bare counter sample (prom-client's `test`) as `test_total`, and
      // Python's text parser also reads a bare counter sample back as `test_total`.
      const name = f.type === 'counter' && s.name === f.name ? `${s.name}_total` : s.name;
      return [name, record(s.labels), encode(s.value)];
    }),
    ...(openMetrics
      ? {
          exemplars: f.samples.map((s): ExemplarRow | null =>
            s.exemplar ? [record(s.exemplar.labels), encode(s.exemplar.value), s.exemplar.timestampMs] : null,
          ),
        }
      : {}),
  }));
}

const PYTHON = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om

def enc(v):
    if math.isnan(v): return 'NaN'
    if math.isinf(v): return '+Inf' if v > 0 else '-Inf'
    return v

out = []
for item in json.load(sys.stdin):
    om = item['format'] == 'openmetrics'
    fams = []
    for f in (parse_om if om else parse_text)(item['text']):
        fam = {'name': f.name, 'type': f.type, 'samples': [[s.name, dict(s.labels), enc(s.value)] for s in f.samples]}
        if om:
            fam['exemplars'] = [[dict(s.exemplar.labels), enc(s.exemplar.value), round(float(s.exemplar.timestamp) * 1000)] if s.exemplar else None for s in f.samples]
        fams.append(fam)
    out.append(fams)
json.dump(out, sys.stdout)
`;

interface Written {
  name: string;
  text: string;
  om: string;
  families: MetricFamily[];
}
let written: Written[] = [];

beforeAll(async () => {
  written = [];
  for (const c of allCases) {
    const r = c.build();
    const families = await r.collect();
    // Values of the default metrics move between collections (CPU, memory): write those
    // families with model's writers, which registry.test.ts holds byte-identical to metrics().
    written.push(
      c.volatile
        ? { name: c.name, text: writePrometheusText(families), om: writeOpenMetrics(families), families }
        : { name: c.name, text: await r.metrics('prometheus'), om: await r.metrics('openmetrics'), families },
    );
  }
});

describe.runIf(peerAvailable('promtool', which('promtool') !== undefined))('promtool check metrics', () => {
  for (const c of allCases) {
    it(`${c.name}: no findings`, () => {
      const w = written.find((x) => x.name === c.name)!;
      const r = spawnSync('promtool', ['check', 'metrics'], { input: w.text, encoding: 'utf8' });
      const findings = `${r.stdout}${r.stderr}`.trim();
      // Two names are kept on purpose although promtool's lint dislikes them: prom-client's bare
      // counter name in the compatibility entry point (DESIGN.md "SDK naming"), and prom-client's
      // gauge nodejs_active_resources_total among the default metrics (dashboards use it).
      const expectedFindings: Record<string, string> = {
        'prom-client compatibility: a counter keeps its bare name':
          'test counter metrics should have "_total" suffix',
        'default process and Node.js metrics':
          'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
      };
      const allowed = expectedFindings[c.name];
      if (allowed !== undefined) {
        expect(findings).toBe(allowed);
        expect(r.status).toBe(3);
        return;
      }
      expect(findings).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

describe.runIf(peerAvailable('python3-prometheus-client', hasPythonModule('prometheus_client')))(
  "Python's prometheus_client parsers",
  () => {
    it('read every exposition back to the same families (text 0.0.4 and OpenMetrics)', () => {
      const input = written.flatMap((w) => [
        { format: 'prometheus', text: w.text },
        { format: 'openmetrics', text: w.om },
      ]);
      const r = spawnSync(debianPython, ['-c', PYTHON], {
        input: JSON.stringify(input),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(r.stderr).toBe('');
      const parsed = JSON.parse(r.stdout) as NormalFamily[][];
      written.forEach((w, i) => {
        expect({ case: w.name, families: parsed[2 * i] }).toEqual({
          case: w.name,
          families: expected(w.families, false),
        });
        expect({ case: w.name, families: parsed[2 * i + 1] }).toEqual({
          case: w.name,
          families: expected(w.families, true),
        });
      });
    });
  },
);
