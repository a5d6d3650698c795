// Fuzz pass over the StatsD parser (untrusted UDP input): random and mutated lines give events
// or typed errors, never an exception, never a hang, never a malformed event.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStatsdLine, parseStatsdPacket, type StatsdParseResult } from '@tally/model';

const SAMPLE_REASONS = new Set([
  'malformed_line',
  'mixed_tagging_styles',
  'not_enough_parts_after_colon',
  'invalid_extended_aggregate_type',
  'malformed_component',
  'malformed_value',
  'invalid_sample_factor',
  'malformed_container_id',
  'illegal_event',
  'sample_rate_limited',
]);
const TAG_REASONS = new Set(['empty_tag', 'malformed_tag', 'unbalanced_signalfx_brackets']);

function checkResult(result: StatsdParseResult, lines: number): void {
  for (const event of result.events) {
    expect(['counter', 'gauge', 'observer', 'set']).toContain(event.type);
    expect(typeof event.name).toBe('string');
    expect(event.name).not.toBe('');
    if (event.type === 'set') expect(event.member).not.toBe('');
    else expect(Number.isFinite(event.value)).toBe(true);
    for (const [k, v] of Object.entries(event.labels)) {
      expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(typeof v).toBe('string');
    }
  }
  for (const error of result.errors) {
    expect((error.kind === 'sample' ? SAMPLE_REASONS : TAG_REASONS).has(error.reason)).toBe(true);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines);
  }
}

const statsdChar = fc.constantFrom(
  ...'abc_.-019:|#@,=[]+-eE.cgmshdT \n\r'.split(''),
  'ms',
  '|#',
  '|@0.',
  '|c:',
  'é',
  '\uD800',
  '\u0000',
);
const statsdish = fc.array(statsdChar, { maxLength: 60 }).map((parts) => parts.join(''));

const seeds = [
  'foo:100|c|@0.1|#tag1:bar,#tag2:baz',
  'foo.[tag1=bar,tag2=baz]test:0.5:120:3000|ms|@0.5',
  'foo#tag1=bar,tag2=baz:100|c',
  'foo,tag1=bar:100|g',
  'foo:100|c|#tag1:value|c:container123|T1656581400',
  'users:alice|s',
];
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(), statsdChar), { maxLength: 6 }))
  .map(([seed, edits]) => {
    let line = seed;
    for (const [at, cut, insert] of edits) {
      const i = at % (line.length + 1);
      line = line.slice(0, i) + insert + line.slice(i + (cut % 3));
    }
    return line;
  });

describe('StatsD parser fuzz', () => {
  it('random statsd-like lines', () => {
    fc.assert(
      fc.property(statsdish, (line) => {
        checkResult(parseStatsdLine(line.replaceAll('\n', '')), 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated real lines', () => {
    fc.assert(
      fc.property(mutated, (line) => {
        checkResult(parseStatsdLine(line.replaceAll('\n', '')), 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary bytes as packets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const lines = bytes.filter((b) => b === 0x0a).length + 1;
        checkResult(parseStatsdPacket(bytes), lines);
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary strings, including lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        checkResult(parseStatsdPacket(text), text.split('\n').length);
      }),
      { numRuns: 500 },
    );
  });
});
