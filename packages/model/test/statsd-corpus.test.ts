// Every case of statsd_exporter's line tests (../shared/corpora/statsd_lines.json): the
// expected events in order, or "error" with the statsd_exporter sample/tag error counts.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStatsdLine, parseStatsdPacket, type StatsdParseResult } from '@tally/model';

interface CorpusCase {
  id: string;
  parser: { dogstatsd: boolean; influxdb: boolean; librato: boolean; signalfx: boolean };
  input: string;
  input_base64: string;
  input_invalid_utf8?: boolean;
  expect: 'error' | Record<string, unknown>[];
  sample_errors?: Record<string, number>;
  tag_errors?: number;
}

const corpusPath =
  process.env.TALLY_CORPORA !== undefined
    ? `${process.env.TALLY_CORPORA}/statsd_lines.json`
    : fileURLToPath(new URL('../../../../shared/corpora/statsd_lines.json', import.meta.url));
const available = existsSync(corpusPath);
if (!available) {
  if (process.env.CI === 'true')
    throw new Error(`StatsD corpus not found at ${corpusPath} (set TALLY_CORPORA)`);
  console.warn(`NOTICE: skipping the StatsD corpus, not found at ${corpusPath}`);
}
const cases: CorpusCase[] = available
  ? (JSON.parse(readFileSync(corpusPath, 'utf8')) as { cases: CorpusCase[] }).cases
  : [];

function plain(result: StatsdParseResult) {
  return result.events.map((e) => ({ ...e, labels: { ...e.labels } }));
}

function errorCounts(result: StatsdParseResult) {
  const sample: Record<string, number> = {};
  let tag = 0;
  for (const e of result.errors) {
    if (e.kind === 'tag') tag++;
    else sample[e.reason] = (sample[e.reason] ?? 0) + 1;
  }
  return { sample, tag };
}

describe.skipIf(!available)('statsd_exporter line corpus', () => {
  it('has all 276 line cases', () => {
    expect(cases).toHaveLength(276);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const bytes = Buffer.from(c.input_base64, 'base64');
    const results = [parseStatsdPacket(bytes, c.parser)];
    // The JSON `input` of an invalid-UTF-8 case carries U+FFFD replacements: only bytes are exact.
    if (!c.input_invalid_utf8) results.push(parseStatsdLine(c.input, c.parser));
    for (const result of results) {
      expect(plain(result)).toEqual(c.expect === 'error' ? [] : c.expect);
      const counts = errorCounts(result);
      expect(counts.sample).toEqual(c.sample_errors ?? {});
      expect(counts.tag).toBe(c.tag_errors ?? 0);
      if (c.expect === 'error') expect(result.errors.some((e) => e.kind === 'sample')).toBe(true);
    }
  });
});
