// Fuzz pass over both parsers (untrusted input): random text and mutated corpus bytes either
// parse or throw ExpositionParseError — never another error, never a hang.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ExpositionParseError,
  PrometheusTextParser,
  parseExposition,
  parseOpenMetrics,
  parsePrometheusText,
} from '../src/index.js';
import { corpusPath } from '../../../test-support/corpora.js';

const omDir = corpusPath('openmetrics');
const textCorpus = JSON.parse(readFileSync(corpusPath('prom_text_0.0.4/expfmt_text_parse.json'), 'utf8')) as {
  cases: { input_base64: string }[];
};
const seeds: Uint8Array[] = [
  ...readdirSync(omDir).map((d) => new Uint8Array(readFileSync(`${omDir}/${d}/metrics`))),
  ...textCorpus.cases.map((c) => new Uint8Array(Buffer.from(c.input_base64, 'base64'))),
  new Uint8Array(readFileSync(new URL('golden/families.prom', import.meta.url))),
  new Uint8Array(readFileSync(new URL('golden/families.om', import.meta.url))),
];

/** Bytes that matter to the grammars, plus invalid and multi-byte UTF-8. */
// eslint-disable-next-line @typescript-eslint/no-misused-spread -- ASCII only
const interesting = [...'{}"\\\n #=,.:_-+eE0123456789aZ\tNnIifx'].map((c) => c.charCodeAt(0));
const byte = fc.oneof(
  fc.constantFrom(...interesting, 0xff, 0xc3, 0xa9, 0xe2, 0x98, 0x83, 0x00),
  fc.integer({ min: 0, max: 255 }),
);

type Mutation = { at: number; kind: 'insert' | 'delete' | 'replace'; bytes: number[] };
const mutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((x) => x),
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  bytes: fc.array(byte, { minLength: 1, maxLength: 4 }),
});

function mutate(seed: Uint8Array, ms: { at: number; kind: Mutation['kind']; bytes: number[] }[]): Uint8Array {
  let out = [...seed];
  for (const m of ms) {
    const i = Math.floor(m.at * (out.length + 1));
    if (m.kind === 'insert') out = [...out.slice(0, i), ...m.bytes, ...out.slice(i)];
    else if (m.kind === 'delete') out.splice(i, m.bytes.length);
    else out.splice(i, m.bytes.length, ...m.bytes);
  }
  return new Uint8Array(out);
}

function parsesOrFailsCleanly(input: string | Uint8Array): void {
  for (const parse of [
    () => parsePrometheusText(input),
    () => parsePrometheusText(input, { nameValidation: 'legacy' }),
    () => parseOpenMetrics(input),
    () => parseExposition(input, 'application/openmetrics-text; version=1.0.0'),
  ]) {
    try {
      parse();
    } catch (e) {
      if (!(e instanceof ExpositionParseError)) throw e;
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
    }
  }
}

describe('exposition parser fuzz', () => {
  it('mutated corpus bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        (i, ms) => {
          const bytes = mutate(seeds[i]!, ms);
          parsesOrFailsCleanly(bytes);
          parsesOrFailsCleanly(Buffer.from(bytes).toString('utf8'));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('random text from the grammar’s alphabet', () => {
    const line = fc
      .array(
        fc.constantFrom(
          'a',
          'a_total',
          '{',
          '}',
          '"',
          '\\',
          ' ',
          '#',
          'EOF',
          'HELP',
          'TYPE',
          'UNIT',
          'counter',
          'histogram',
          '=',
          ',',
          'le',
          '1',
          '-1',
          'NaN',
          '+Inf',
          '.',
          'e',
          '\t',
        ),
        { maxLength: 12 },
      )
      .map((t) => t.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (lines, eof) => {
        parsesOrFailsCleanly(lines.join('\n') + (eof ? '\n# EOF\n' : '\n'));
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary strings and bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => parsesOrFailsCleanly(s)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => parsesOrFailsCleanly(b)),
      { numRuns: 500 },
    );
  });

  it('long and pathological lines stay linear', () => {
    const n = 200_000;
    parsesOrFailsCleanly(`a{b="${'\\\\'.repeat(n)}"} 1\n`);
    parsesOrFailsCleanly(`# HELP a ${'\\n'.repeat(n)}\n`);
    parsesOrFailsCleanly(`${'a'.repeat(n)} 1\n# EOF\n`);
    parsesOrFailsCleanly('{'.repeat(n));
    parsesOrFailsCleanly('\n'.repeat(n));
    parsesOrFailsCleanly(`a{${'b="c",'.repeat(20_000)}} 1\n`);
    // A long line arriving a few bytes at a time.
    const stream = new PrometheusTextParser();
    const line = new TextEncoder().encode(`a{b="${'x'.repeat(n)}"} 1\n`);
    for (let i = 0; i < line.length; i += 3) stream.write(line.subarray(i, i + 3));
    expect(stream.end()[0]!.samples[0]!.labels[0]!.value.length).toBe(n);
    const manyLabels = Array.from({ length: 50_000 }, (_, i) => `l${i}="v"`).join(',');
    parsesOrFailsCleanly(`a{${manyLabels}} 1\n# EOF\n`);
  });
});
