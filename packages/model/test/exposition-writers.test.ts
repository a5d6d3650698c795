import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_TEXT_CONTENT_TYPE,
  escapeHelp,
  escapeLabelValue,
  escapeOpenMetricsHelp,
  formatFloat,
  formatLabelPairs,
  formatOpenMetricsFloat,
  formatSeries,
  labelsFromRecord,
  negotiateExposition,
  openMetricsSampleLine,
  prometheusSampleLine,
  writeOpenMetrics,
  writePrometheusText,
} from '../src/index.js';
import { dashFamily, goldenFamilies } from './exposition-fixtures.js';

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), 'utf8');

describe('writers: golden output', () => {
  it('Prometheus text 0.0.4', () => {
    expect(writePrometheusText([...goldenFamilies, dashFamily])).toBe(golden('families.prom'));
  });
  it('OpenMetrics 1.0', () => {
    expect(writeOpenMetrics([...goldenFamilies, dashFamily])).toBe(golden('families.om'));
  });
  it('no families: empty text, and a lone # EOF', () => {
    expect(writePrometheusText([])).toBe('');
    expect(writeOpenMetrics([])).toBe('# EOF\n');
  });
  it('a prom-client style counter keeps its bare name in 0.0.4 and gains _total in OpenMetrics', () => {
    const f = { name: 'test', type: 'counter', samples: [{ name: 'test', labels: [], value: 2 }] } as const;
    expect(writePrometheusText([f])).toBe('# TYPE test counter\ntest 2\n');
    expect(writeOpenMetrics([f])).toBe('# TYPE test counter\ntest_total 2.0\n# EOF\n');
  });
  it('leaves out a UNIT that is not the suffix of the name, and exemplars OpenMetrics forbids', () => {
    const f = {
      name: 'temp',
      type: 'gauge',
      unit: 'celsius',
      samples: [{ name: 'temp', labels: [], value: 1, exemplar: { labels: [], value: 1 } }],
    } as const;
    expect(writeOpenMetrics([f])).toBe('# TYPE temp gauge\ntemp 1.0\n# EOF\n');
  });
});

describe('formatFloat (Go strconv.FormatFloat(v, "g", -1, 64))', () => {
  // Expected strings as Go prints them.
  const table: [number, string, string][] = [
    [0, '0', '0.0'],
    [-0, '-0', '-0.0'],
    [1, '1', '1.0'],
    [-1, '-1', '-1.0'],
    [0.1, '0.1', '0.1'],
    [1e-5, '1e-05', '1e-05'],
    [0.0001, '0.0001', '0.0001'],
    [0.00012345, '0.00012345', '0.00012345'],
    [123456, '123456', '123456.0'],
    [999999.5, '999999.5', '999999.5'],
    [1e6, '1e+06', '1e+06'],
    [1756047.3, '1.7560473e+06', '1.7560473e+06'],
    [1e21, '1e+21', '1e+21'],
    [1.5e300, '1.5e+300', '1.5e+300'],
    [5e-324, '5e-324', '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308', '1.7976931348623157e+308'],
    [2 ** 53 + 2, '9.007199254740994e+15', '9.007199254740994e+15'],
    [-2.5e-7, '-2.5e-07', '-2.5e-07'],
    [NaN, 'NaN', 'NaN'],
    [Infinity, '+Inf', '+Inf'],
    [-Infinity, '-Inf', '-Inf'],
  ];
  it.each(table)('%s → %s / %s', (v, text, om) => {
    expect(formatFloat(v)).toBe(text);
    expect(formatOpenMetricsFloat(v)).toBe(om);
  });
});

describe('escaping', () => {
  it('label values escape backslash, quote and newline', () => {
    expect(escapeLabelValue('plain')).toBe('plain');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
  it('0.0.4 HELP leaves quotes alone; OpenMetrics HELP escapes them', () => {
    expect(escapeHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
    expect(escapeOpenMetricsHelp('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});

describe('low-level line helpers', () => {
  const pairs = formatLabelPairs(labelsFromRecord({ b: '2', a: 'x"y' }));
  it('format label pairs and series', () => {
    expect(pairs).toBe('a="x\\"y",b="2"');
    expect(formatSeries('m', pairs, 'le="1.0"')).toBe('m{a="x\\"y",b="2",le="1.0"}');
    expect(formatSeries('m', '')).toBe('m');
    expect(formatSeries('my-metric', '')).toBe('{"my-metric"}');
  });
  it('write sample lines in both formats', () => {
    expect(prometheusSampleLine('m', 3, 1700000000123)).toBe('m 3 1700000000123\n');
    expect(openMetricsSampleLine('m', 3, 1700000000123)).toBe('m 3.0 1700000000.123\n');
    expect(openMetricsSampleLine('m', 3, -1500)).toBe('m 3.0 -1.5\n');
    expect(openMetricsSampleLine('m', 3, 5)).toBe('m 3.0 0.005\n');
  });
});

describe('negotiateExposition', () => {
  const table: [string | undefined, 'prometheus' | 'openmetrics'][] = [
    [undefined, 'prometheus'],
    ['', 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain', 'prometheus'],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0', 'openmetrics'],
    ['application/openmetrics-text; version=2.0.0', 'prometheus'],
    ['text/plain;q=0.9, application/openmetrics-text;q=0.5', 'prometheus'],
    ['text/plain;q=0.4, application/openmetrics-text;q=0.5', 'openmetrics'],
    ['application/openmetrics-text;q=0', 'prometheus'],
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
      'prometheus',
    ],
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
  ];
  it.each(table)('%s → %s', (accept, format) => {
    const r = negotiateExposition(accept);
    expect(r.format).toBe(format);
    expect(r.contentType).toBe(
      format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_TEXT_CONTENT_TYPE,
    );
  });
  it('answers version 0.0.1 to a client that asks only for it', () => {
    expect(negotiateExposition('application/openmetrics-text; version=0.0.1').contentType).toBe(
      'application/openmetrics-text; version=0.0.1; charset=utf-8',
    );
  });
});
