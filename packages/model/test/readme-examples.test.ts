// The README's examples, run: the outputs it shows are the outputs the code gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ExpositionParseError,
  PrometheusTextParser,
  labelsFromRecord,
  labelsKey,
  formatLabels,
  negotiateExposition,
  parseExposition,
  parseOpenMetrics,
  writeOpenMetrics,
  writePrometheusText,
  type MetricFamily,
} from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The fenced block that follows `marker` in the README. */
function blockAfter(marker: string): string {
  const at = readme.indexOf(marker);
  expect(at).toBeGreaterThan(0);
  const open = readme.indexOf('```\n', at) + 4;
  return readme.slice(open, readme.indexOf('```', open));
}

const families: MetricFamily[] = [
  {
    name: 'http_requests',
    type: 'counter',
    help: 'Requests served.',
    samples: [
      { name: 'http_requests_total', labels: labelsFromRecord({ method: 'get' }), value: 1027 },
      { name: 'http_requests_created', labels: labelsFromRecord({ method: 'get' }), value: 1700000000 },
    ],
  },
  {
    name: 'request_latency_seconds',
    type: 'histogram',
    help: 'Latency.',
    unit: 'seconds',
    samples: [
      { name: 'request_latency_seconds_bucket', labels: labelsFromRecord({ le: '0.00001' }), value: 0 },
      { name: 'request_latency_seconds_bucket', labels: labelsFromRecord({ le: '+Inf' }), value: 3 },
      { name: 'request_latency_seconds_sum', labels: [], value: 4.7 },
      { name: 'request_latency_seconds_count', labels: [], value: 3 },
    ],
  },
];

describe('README examples', () => {
  it('labels', () => {
    expect(
      labelsKey(labelsFromRecord({ a: '1,b:2' })) === labelsKey(labelsFromRecord({ a: '1', b: '2' })),
    ).toBe(false);
    expect(formatLabels(labelsFromRecord({ __name__: 'up', job: 'api' }))).toBe('up{job="api"}');
  });

  it('writing, in both formats', () => {
    const { format, contentType } = negotiateExposition('application/openmetrics-text; version=1.0.0');
    expect(format).toBe('openmetrics');
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(writeOpenMetrics(families)).toBe(blockAfter('`writeOpenMetrics(families)` gives'));
    expect(writePrometheusText(families)).toBe(blockAfter('`writePrometheusText(families)` gives'));
  });

  it('parsing', () => {
    expect(parseOpenMetrics('# TYPE jobs counter\njobs_total{queue="gpu"} 3 1700000000.5\n# EOF\n')).toEqual([
      {
        name: 'jobs',
        type: 'counter',
        samples: [
          {
            name: 'jobs_total',
            labels: [{ name: 'queue', value: 'gpu' }],
            value: 3,
            timestampMs: 1700000000500,
          },
        ],
      },
    ]);
    let error: unknown;
    try {
      parseExposition('up{job="a"} 1\nup{job="a" 1\n', 'text/plain; version=0.0.4', { maxSamples: 100_000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpositionParseError);
    const e = error as ExpositionParseError;
    expect([e.line, e.column, e.reason]).toEqual([2, 12, 'unexpected end of label value "a"']);
    expect(readme).toContain('// 2 12 unexpected end of label value "a"');

    const parser = new PrometheusTextParser({ nameValidation: 'utf8' });
    parser.write(new TextEncoder().encode('# TYPE up gauge\nup 1\n'));
    expect(parser.end()).toEqual([
      { name: 'up', type: 'gauge', samples: [{ name: 'up', labels: [], value: 1 }] },
    ]);
  });
});
