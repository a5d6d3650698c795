// prometheus/common expfmt's text parser test table (../shared/corpora/prom_text_0.0.4): good
// inputs give the expected families, bad inputs fail on the same line with expfmt's reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExpositionParseError, parsePrometheusText, type NameValidation } from '../src/index.js';
import { expectedDto, toDto, type JsonFamily } from './expfmt-dto.js';
import { corpusPath } from '../../../test-support/corpora.js';

interface CorpusCase {
  id: string;
  input_base64: string;
  shouldParse?: boolean;
  expect?: JsonFamily[];
  input_invalid_utf8?: boolean;
  error_prefix_utf8_validation?: string | null;
  error_prefix_legacy_validation?: string | null;
}

const dir = corpusPath('prom_text_0.0.4');
const corpus = JSON.parse(readFileSync(`${dir}/expfmt_text_parse.json`, 'utf8')) as { cases: CorpusCase[] };
const bytesOf = (c: CorpusCase) => new Uint8Array(Buffer.from(c.input_base64, 'base64'));
const good = corpus.cases.filter((c) => c.shouldParse === true);
const bad = corpus.cases.filter((c) => c.shouldParse === undefined);

describe('prom_text_0.0.4 corpus: good cases', () => {
  it.each(good.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const families = parsePrometheusText(bytesOf(c));
    const got = new Map(families.map((f) => [toDto(f).name, toDto(f)]));
    const want = new Map((c.expect ?? []).map((f) => [f.name, expectedDto(f)]));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, w] of want) expect(got.get(name)).toEqual(w);
  });
});

describe('prom_text_0.0.4 corpus: bad cases fail on expfmt’s line with expfmt’s reason', () => {
  const rows: [string, NameValidation, CorpusCase, string | null | undefined][] = [];
  for (const c of bad) {
    rows.push([c.id, 'utf8', c, c.error_prefix_utf8_validation]);
    rows.push([c.id, 'legacy', c, c.error_prefix_legacy_validation]);
  }
  it.each(rows)('%s (%s names)', (_id, nameValidation, c, prefix) => {
    const input = bytesOf(c);
    if (prefix === null || prefix === undefined) {
      expect(() => parsePrometheusText(input, { nameValidation })).not.toThrow();
      return;
    }
    const m = /^text format parsing error in line (\d+): (.*)$/s.exec(prefix)!;
    let error: unknown;
    try {
      parsePrometheusText(input, { nameValidation });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpositionParseError);
    const e = error as ExpositionParseError;
    expect(e.line).toBe(Number(m[1]));
    // Invalid UTF-8 is caught while decoding, before expfmt's label-value check would see it.
    if (c.input_invalid_utf8 === true) expect(e.reason).toMatch(/^invalid UTF-8/);
    else expect(e.reason.startsWith(m[2]!)).toBe(true);
  });
});

describe('prom_text_0.0.4 corpus: sample_exposition.txt', () => {
  it('parses the whole of expfmt’s sample exposition', () => {
    const families = parsePrometheusText(readFileSync(`${dir}/sample_exposition.txt`, 'utf8'));
    expect(families.length).toBeGreaterThan(10);
    const summary = families.find((f) => f.name === 'http_request_duration_microseconds')!;
    expect(summary.type).toBe('summary');
    expect(summary.samples.some((s) => s.name === 'http_request_duration_microseconds_count')).toBe(true);
  });
});
