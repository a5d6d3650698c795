import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLabelName, type LabelNamerOptions } from '../src/ingest/otlp/otlp-label-namer.js';
import { buildMetricName, buildUnitName, type OtlpMetricType } from '../src/ingest/otlp/otlp-metric-namer.js';
import { corpusPath } from '../../../test-support/corpora.js';

interface MetricCase {
  name: string;
  namer: { namespace: string; utf8Allowed: boolean; withMetricSuffixes: boolean };
  metric: { name: string; unit: string; type: string };
  wantMetricName: string;
  wantUnitName?: string;
  wantError?: string;
}
interface LabelCase {
  label: string;
  expect: Record<string, { name?: string; error?: string }>;
}
const corpus = JSON.parse(readFileSync(corpusPath('otlp/otlp_naming.json'), 'utf8')) as {
  metric_cases: MetricCase[];
  label_cases: LabelCase[];
};

const TYPES: Record<string, OtlpMetricType> = {
  MetricTypeGauge: 'gauge',
  MetricTypeMonotonicCounter: 'monotonic_counter',
  MetricTypeNonMonotonicCounter: 'non_monotonic_counter',
  MetricTypeHistogram: 'histogram',
  MetricTypeExponentialHistogram: 'exponential_histogram',
  MetricTypeSummary: 'summary',
  MetricTypeUnknown: 'unknown',
};

const LABEL_CONFIGS: Record<string, LabelNamerOptions> = {
  default: { utf8Allowed: false, underscoreLabelSanitization: false, preserveMultipleUnderscores: false },
  underscoreLabelSanitization: {
    utf8Allowed: false,
    underscoreLabelSanitization: true,
    preserveMultipleUnderscores: false,
  },
  preserveMultipleUnderscores: {
    utf8Allowed: false,
    underscoreLabelSanitization: false,
    preserveMultipleUnderscores: true,
  },
  'preserveMultipleUnderscores+underscoreLabelSanitization (Prometheus OTLP default)': {
    utf8Allowed: false,
    underscoreLabelSanitization: true,
    preserveMultipleUnderscores: true,
  },
  utf8Allowed: { utf8Allowed: true, underscoreLabelSanitization: false, preserveMultipleUnderscores: false },
};

describe('OTLP metric names (otlptranslator MetricNamer table)', () => {
  it.each(corpus.metric_cases.map((c) => [`${c.name} [${c.metric.name} ${c.metric.unit}]`, c] as const))(
    '%s',
    (_, c) => {
      const type = TYPES[c.metric.type]!;
      const build = (): string => buildMetricName(c.metric.name, c.metric.unit, type, c.namer);
      if (c.wantError) expect(build).toThrow(c.wantError);
      else expect(build()).toBe(c.wantMetricName);
      if (c.namer.withMetricSuffixes && c.wantUnitName !== undefined) {
        expect(buildUnitName(c.metric.unit, c.namer.utf8Allowed)).toBe(c.wantUnitName);
      }
    },
  );
});

describe('OTLP label names (otlptranslator LabelNamer table)', () => {
  const cases = corpus.label_cases.flatMap((c) =>
    Object.entries(c.expect).map(
      ([config, want]) => [`${JSON.stringify(c.label)} ${config}`, c.label, config, want] as const,
    ),
  );
  it.each(cases)('%s', (_, label, config, want) => {
    const opts = LABEL_CONFIGS[config]!;
    if (want.error) expect(() => buildLabelName(label, opts)).toThrow(want.error);
    else expect(buildLabelName(label, opts)).toBe(want.name);
  });
});
