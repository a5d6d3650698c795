// The series-text cache must never change what the text parser answers: every input parses to
// the same families, or fails with the same error at the same place, with a warm cache as
// without one — including inputs that differ from a cached one by a byte.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../../../test-support/corpora.js';
import type { NameValidation } from './prom-text-line.js';
import { parsePrometheusText } from './parse-prometheus-text.js';
import { SeriesTextCache, seriesTextEnd } from './series-text-cache.js';

const corpus = (
  JSON.parse(readFileSync(corpusPath('prom_text_0.0.4/expfmt_text_parse.json'), 'utf8')) as {
    cases: { input_base64: string }[];
  }
).cases.map((c) => Buffer.from(c.input_base64, 'base64').toString('utf8'));

const pushLike = [
  '# HELP loss Training loss.\n# TYPE loss gauge\nloss{step="1",run="a"} 0.5\nloss{step="2",run="a"} 0.25\n',
  '# TYPE req counter\nreq_total{code="200"} 3\nreq_total {code="500"} 1\n{"req_total",code="404"} 2\n',
  '# TYPE lat histogram\nlat_bucket{le="0.1"} 1\nlat_bucket{le="+Inf"} 2\nlat_sum 0.3\nlat_count 2\n',
  '# TYPE q summary\nq{quantile="0.5"} 1\nq_sum 4\nq_count 2\nx{a="}"} 1\ny{a="a b"} 2\n',
];

type Outcome = { ok: unknown } | { error: string };

function outcome(input: string, names: NameValidation, cache?: SeriesTextCache): Outcome {
  try {
    const families = parsePrometheusText(input, {
      nameValidation: names,
      ...(cache ? { seriesCache: cache } : {}),
    });
    // Compared as plain data: the cache shares objects, which must not show.
    return { ok: JSON.parse(JSON.stringify(families, (_k, v: unknown) => (Number.isNaN(v) ? 'NaN' : v))) };
  } catch (e) {
    return { error: String(e) + JSON.stringify(e) };
  }
}

function sameAsUncached(input: string, names: NameValidation, cache: SeriesTextCache): void {
  expect(outcome(input, names, cache)).toEqual(outcome(input, names));
}

describe('SeriesTextCache', () => {
  it('changes nothing on the expfmt corpus, cold and warm, in both name modes', () => {
    const cache = new SeriesTextCache();
    for (const names of ['utf8', 'legacy', 'utf8'] as const) {
      for (const input of [...corpus, ...pushLike]) sameAsUncached(input, names, cache);
      for (const input of [...pushLike, ...corpus].reverse()) sameAsUncached(input, names, cache);
    }
    expect(cache.size).toBeGreaterThan(0);
  });

  it('reuses the labels of a series seen before and reads the new value', () => {
    const cache = new SeriesTextCache();
    const [a] = parsePrometheusText('up{job="a",x="1"} 1\n', { seriesCache: cache });
    const [b] = parsePrometheusText('up{job="a",x="1"}   2\nup{job="b"} 3\n', { seriesCache: cache });
    expect(b!.samples[0]!.labels).toBe(a!.samples[0]!.labels);
    expect(b!.samples.map((s) => s.value)).toEqual([2, 3]);
    expect(cache.size).toBe(2);
  });

  it('still runs the family checks on a cached series', () => {
    const cache = new SeriesTextCache();
    parsePrometheusText('h_bucket{le="x"} 1\n', { seriesCache: cache });
    expect(() =>
      parsePrometheusText('# TYPE h histogram\nh_bucket{le="x"} 1\n', { seriesCache: cache }),
    ).toThrow(/expected float as value for 'le' label, got "x"/);
    expect(() => parsePrometheusText('h_bucket{le="x"} 1 2 3\n', { seriesCache: cache })).toThrow(
      /spurious string after timestamp/,
    );
  });

  it('checks its guess of the next line: same-length changes, reordered lines, a name mode change', () => {
    const cache = new SeriesTextCache();
    const body = 'a{x="1"} 1\nb{x="1"} 2\nc{x="1"} 3\n';
    const first = parsePrometheusText(body, { seriesCache: cache });
    const again = parsePrometheusText(body, { seriesCache: cache });
    expect(again.map((f) => f.samples[0]!.labels)).toEqual(first.map((f) => f.samples[0]!.labels));
    expect(again[2]!.samples[0]!.labels).toBe(first[2]!.samples[0]!.labels);
    // b's line after a's was guessed; the same length with another value must not be taken for it.
    for (const input of [
      'a{x="1"} 1\nb{x="2"} 2\nc{x="1"} 3\n',
      'a{x="1"} 1\nc{x="1"} 3\nb{x="1"} 2\n',
      'a{x="1"} 1\nb{x="1",y="2"} 2\nc{x="1"} 3\n',
      'a{x="1"} 1\nb{x="1"} 2\nb{x="1"} 2\n',
    ]) {
      sameAsUncached(input, 'utf8', cache);
    }
    // A line cached as valid UTF-8-mode syntax is not guessed into a legacy-mode parse.
    sameAsUncached('a 1\n{"b.c"} 1\n', 'utf8', cache);
    sameAsUncached('a 1\n{"b.c"} 1\n', 'utf8', cache);
    sameAsUncached('a 1\n{"b.c"} 1\n', 'legacy', cache);
  });

  it('starts over past its bound', () => {
    const cache = new SeriesTextCache(3);
    parsePrometheusText('a 1\nb 1\nc 1\n', { seriesCache: cache });
    expect(cache.size).toBe(3);
    parsePrometheusText('d 1\n', { seriesCache: cache });
    expect(cache.size).toBe(1);
  });

  it('finds where a line’s series text ends without parsing it', () => {
    const end = (line: string): number => seriesTextEnd(line, 0, line.length);
    expect(end('a 1')).toBe(1);
    expect(end('a\t1')).toBe(1);
    expect(end('a{b="1"} 1')).toBe(8);
    expect(end('a {b="}"} 1 2')).toBe(9);
    expect(end('{"a b"} 1')).toBe(7);
    expect(end('a')).toBe(-1);
    expect(end('a{b="1" 1')).toBe(-1);
    expect(end('a  x{} 1')).toBe(1);
    // Only this line is read: a `}` on the next line is not this line's.
    const text = 'a{b="1 1\nc{} 2\n';
    expect(seriesTextEnd(text, 0, 8)).toBe(-1);
  });

  it('changes nothing on mutated inputs after their originals were cached (fast-check)', () => {
    const seeds = [...pushLike, ...corpus.filter((c) => c.length < 2000)];
    const alphabet = Array.from('{}"\\ \t#=,._-+e019aZIN\n');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
            cut: fc.integer({ min: 0, max: 2 }),
            insert: fc.array(fc.constantFrom(...alphabet), { maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom<NameValidation>('utf8', 'legacy'),
        (i, edits, names) => {
          const seed = seeds[i]!;
          let input = seed;
          for (const e of edits) {
            const at = Math.floor(e.at * (input.length + 1));
            input = input.slice(0, at) + e.insert.join('') + input.slice(at + e.cut);
          }
          const cache = new SeriesTextCache();
          outcome(seed, names, cache);
          sameAsUncached(input, names, cache);
          sameAsUncached(seed, names, cache);
        },
      ),
      { numRuns: 500 },
    );
  });
});
