// Interop with real peers: promtool (Prometheus 2.42) lints every text exposition the writer
// produces and finds nothing; Python's prometheus_client (Debian's 0.16) reads both formats
// back to the same families.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseFloatToken,
  parseOpenMetrics,
  parsePrometheusText,
  writeOpenMetrics,
  writePrometheusText,
  type MetricFamily,
} from '../src/index.js';
import { debianPython, hasPythonModule, peerAvailable, which } from '../../../test-support/peers.js';
import { families } from './exposition-arbitraries.js';
import { goldenFamilies } from './exposition-fixtures.js';

const promtool = which('promtool');
const hasPromtool = peerAvailable('promtool (Debian package prometheus)', promtool !== undefined);
const hasPython = peerAvailable(
  'python3-prometheus-client for /usr/bin/python3',
  hasPythonModule('prometheus_client'),
);

const SEED = 20261122;
const omCases: MetricFamily[][] = [
  goldenFamilies,
  ...fc.sample(
    families({
      types: ['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown'],
      openMetrics: true,
      peerSafe: true,
    }),
    { seed: SEED, numRuns: 40 },
  ),
];
const textCases: MetricFamily[][] = [
  goldenFamilies,
  ...fc.sample(
    families({
      types: ['counter', 'gauge', 'histogram', 'summary', 'unknown'],
      openMetrics: false,
      peerSafe: true,
    }),
    { seed: SEED, numRuns: 40 },
  ),
];

describe.skipIf(!hasPromtool)('promtool check metrics', () => {
  it.each(omCases.map((f, i) => [i, f] as const))(
    'text exposition %i (incl. OpenMetrics-only types) lints clean',
    (_i, fams) => {
      const r = spawnSync(promtool!, ['check', 'metrics'], {
        input: writePrometheusText(fams),
        encoding: 'utf8',
      });
      expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: '' });
    },
  );
});

interface PyFamily {
  name: string;
  type: string;
  help: string;
  unit: string;
  samples: {
    name: string;
    labels: Record<string, string>;
    value: string;
    timestampMs: number | null;
    exemplar?: { labels: Record<string, string>; value: string; timestampMs: number | null };
  }[];
}

function readWithPython(cases: { format: 'prometheus' | 'openmetrics'; text: string }[]) {
  const script = fileURLToPath(new URL('interop/read_families.py', import.meta.url));
  const r = spawnSync(debianPython, [script], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ({ families: PyFamily[] } | { error: string })[];
}

/** Both sides in one shape: Python's conventions (empty help/unit, label records, Go floats). */
function normalise(fams: readonly MetricFamily[], trimHelp: boolean) {
  return fams.map((f) => ({
    name: f.name,
    type: f.type,
    help: trimHelp ? (f.help ?? '').trim() : (f.help ?? ''),
    unit: f.unit ?? '',
    samples: f.samples.map((s) => ({
      name: s.name,
      labels: Object.fromEntries(s.labels.map((l) => [l.name, l.value])),
      value: s.value,
      timestampMs: s.timestampMs ?? null,
      ...(s.exemplar && {
        exemplar: {
          labels: Object.fromEntries(s.exemplar.labels.map((l) => [l.name, l.value])),
          value: s.exemplar.value,
          timestampMs: s.exemplar.timestampMs ?? null,
        },
      }),
    })),
  }));
}

function fromPython(fams: PyFamily[], trimHelp: boolean) {
  return fams.map((f) => ({
    ...f,
    help: trimHelp ? f.help.trim() : f.help,
    samples: f.samples.map((s) => ({
      ...s,
      value: parseFloatToken(s.value),
      ...(s.exemplar && { exemplar: { ...s.exemplar, value: parseFloatToken(s.exemplar.value) } }),
    })),
  }));
}

describe.skipIf(!hasPython)('Python prometheus_client reads the writers’ output back', () => {
  it('OpenMetrics: the same families, exemplars and units included', () => {
    const results = readWithPython(
      omCases.map((f) => ({ format: 'openmetrics', text: writeOpenMetrics(f) })),
    );
    results.forEach((r, i) => {
      if ('error' in r) throw new Error(`case ${i}: ${r.error}\n${writeOpenMetrics(omCases[i]!)}`);
      // Our parser gives back exactly what was written (the round-trip property); le and
      // quantile values come back in their canonical form.
      expect(fromPython(r.families, false)).toEqual(
        normalise(parseOpenMetrics(writeOpenMetrics(omCases[i]!)), false),
      );
    });
  });

  it('text 0.0.4: the families our parser reads (Python trims HELP text, as its line parser strips lines)', () => {
    const results = readWithPython(
      textCases.map((f) => ({ format: 'prometheus', text: writePrometheusText(f) })),
    );
    results.forEach((r, i) => {
      const text = writePrometheusText(textCases[i]!);
      if ('error' in r) throw new Error(`case ${i}: ${r.error}\n${text}`);
      expect(fromPython(r.families, true)).toEqual(normalise(parsePrometheusText(text), true));
    });
  });
});
