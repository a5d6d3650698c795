// Property: what the writers write, the parsers read back unchanged — in both formats, with
// NaN, ±Inf, -0, escaping of `\`, `"` and newlines, unicode, quoted seed-rule names — and
// a stream split anywhere (even inside a UTF-8 sequence) parses like the whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OpenMetricsParser,
  PrometheusTextParser,
  parseOpenMetrics,
  parsePrometheusText,
  writeOpenMetrics,
  writePrometheusText,
  type MetricFamily,
} from '../src/index.js';
import { families } from './exposition-arbitraries.js';
import { goldenFamilies } from './exposition-fixtures.js';

const RUNS = 300;

const omFamilies = families({
  types: ['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown'],
  openMetrics: true,
});
const textFamilies = families({
  types: ['counter', 'gauge', 'histogram', 'summary', 'unknown'],
  openMetrics: false,
});

function splitBytes(text: string, cuts: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

describe('writer → parser round trip', () => {
  it('OpenMetrics 1.0', () => {
    fc.assert(
      fc.property(omFamilies, (fams) => {
        expect(parseOpenMetrics(writeOpenMetrics(fams))).toEqual(fams);
      }),
      { numRuns: RUNS },
    );
  });

  it('Prometheus text 0.0.4', () => {
    fc.assert(
      fc.property(textFamilies, (fams) => {
        expect(parsePrometheusText(writePrometheusText(fams))).toEqual(fams);
      }),
      { numRuns: RUNS },
    );
  });

  it('chunked byte streams parse like the whole input', () => {
    fc.assert(
      fc.property(omFamilies, cuts, (fams, at) => {
        const om = new OpenMetricsParser();
        for (const chunk of splitBytes(writeOpenMetrics(fams), at)) om.write(chunk);
        expect(om.end()).toEqual(fams);
        const text = new PrometheusTextParser();
        const written = writePrometheusText(fams);
        for (const chunk of splitBytes(written, at)) text.write(chunk);
        expect(text.end()).toEqual(parsePrometheusText(written));
      }),
      { numRuns: 60 },
    );
  });

  it('OpenMetrics-only shapes map to 0.0.4 as Python’s client maps them', () => {
    const parsed = parsePrometheusText(writePrometheusText(goldenFamilies));
    const byName = new Map(parsed.map((f) => [f.name, f] as const));
    expect(byName.get('http_requests')?.type).toBe('counter');
    expect(byName.get('http_requests_created')?.type).toBe('gauge');
    expect(byName.get('build_info')?.type).toBe('gauge');
    expect(byName.get('feature')?.type).toBe('gauge');
    expect(byName.get('queue_size_bytes')?.type).toBe('histogram');
    expect(byName.get('queue_size_bytes_gsum')?.type).toBe('gauge');
    expect(byName.get('mystery')?.type).toBe('unknown');
    const samples = (fams: readonly MetricFamily[]) =>
      fams.flatMap((f) => f.samples.map((s) => s.name)).sort();
    const withoutExemplars = goldenFamilies.map((f) => ({
      ...f,
      samples: f.samples.map(({ exemplar: _e, ...s }) => s),
    }));
    expect(samples(parsed)).toEqual(samples(withoutExemplars));
  });

  it('the OpenMetrics golden families round-trip exactly', () => {
    expect(parseOpenMetrics(writeOpenMetrics(goldenFamilies))).toEqual(
      goldenFamilies.map((f) => ({
        ...f,
        samples: f.samples.map((s) =>
          s.labels.some((l) => l.name === 'le' || l.name === 'quantile')
            ? { ...s, labels: s.labels.map((l) => ({ ...l, value: canonical(l.name, l.value) })) }
            : s,
        ),
      })),
    );
  });
});

function canonical(name: string, value: string): string {
  if (name !== 'le' && name !== 'quantile') return value;
  return { '0.00001': '1e-05', '1': '1.0', '1024': '1024.0' }[value] ?? value;
}
