// Bad input names what was wrong, on which line and column.
import { describe, expect, it } from 'vitest';
import { ExpositionParseError, parseOpenMetrics, parsePrometheusText } from '../src/index.js';

function errorOf(fn: () => unknown): ExpositionParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExpositionParseError) return e;
    throw e;
  }
  throw new Error('expected an ExpositionParseError');
}

// [input, line, column, reason fragment]
const textCases: [string, number, number, string][] = [
  ['a 1\nb{x="1"\n', 2, 8, 'unexpected end of label value "1"'],
  ['a{x="1",x="2"} 1\n', 1, 9, 'duplicate label names'],
  ['a{x=1} 1\n', 1, 5, `expected '"' at start of label value`],
  ['a{x="\\q"} 1\n', 1, 6, 'invalid escape sequence'],
  ['a 1 2 3\n', 1, 6, 'spurious string after timestamp'],
  ['a one\n', 1, 3, 'expected float as value, got "one"'],
  ['a 1 1.5\n', 1, 5, 'expected integer as timestamp'],
  ['a 1 99999999999999999999\n', 1, 5, 'expected integer as timestamp'],
  ['# TYPE a gauge\n# TYPE a counter\n', 2, 10, 'second TYPE line'],
  ['# TYPE a nope\n', 1, 10, 'unknown metric type "nope"'],
  ['a 1\n# TYPE a gauge\n', 2, 10, 'TYPE reported after samples'],
  ['# HELP a x\\q\n', 1, 11, 'invalid escape sequence'],
  ['  {a="b"} 1\n', 1, 3, 'invalid metric name'],
  ['a{__name__="b"} 1\n', 1, 3, 'reserved'],
  ['# TYPE h histogram\nh_bucket{le="x"} 1\n', 2, 13, "expected float as value for 'le' label"],
  ['# TYPE h histogram\nh_count -1\n', 2, 1, 'negative count for histogram "h"'],
  ['ok 1\nend 2', 2, 6, 'unexpected end of input stream'],
  ['{"a.b"="x"} 1\n', 1, 1, 'invalid metric name'],
];

describe('Prometheus text 0.0.4: bad input', () => {
  it.each(textCases)('%j → line %i column %i: %s', (input, line, column, fragment) => {
    const e = errorOf(() => parsePrometheusText(input));
    expect(e.reason).toContain(fragment);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toBe(`line ${line}, column ${column}: ${e.reason}`);
  });
  it('legacy name validation refuses quoted names that UTF-8 validation accepts', () => {
    const input = '{"my-metric"} 1\n';
    expect(parsePrometheusText(input)[0]!.name).toBe('my-metric');
    const e = errorOf(() => parsePrometheusText(input, { nameValidation: 'legacy' }));
    expect([e.line, e.column, e.reason]).toEqual([1, 2, 'invalid metric name "my-metric"']);
  });
  it('invalid UTF-8 bytes are located', () => {
    const bytes = new Uint8Array([...Buffer.from('a 1\nb{x="'), 0xff, ...Buffer.from('"} 1\n')]);
    const e = errorOf(() => parsePrometheusText(bytes));
    expect([e.line, e.column, e.reason]).toEqual([2, 6, 'invalid UTF-8 (byte 0xff)']);
  });
  it('maxSamples refuses oversized input', () => {
    const e = errorOf(() => parsePrometheusText('a 1\nb 2\nc 3\n', { maxSamples: 2 }));
    expect([e.line, e.reason]).toEqual([3, 'more than 2 samples']);
  });
});

const E = '\n# EOF\n';
const omCases: [string, number, number, string][] = [
  ['a 1', 2, 1, 'missing "# EOF"'],
  ['a 1\n\n# EOF\n', 2, 1, 'blank line'],
  ['# EOF\na 1\n', 2, 1, 'text after "# EOF"'],
  ['# comment here' + E, 1, 3, 'unknown metadata keyword "comment"'],
  ['#comment' + E, 1, 2, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF'"],
  ['# TYPE a gauge\n# TYPE a gauge' + E, 2, 8, 'second TYPE line for "a"'],
  ['# TYPE a untyped' + E, 1, 10, 'OpenMetrics calls it unknown'],
  ['# TYPE a_seconds gauge\n# UNIT a_seconds ms' + E, 2, 18, 'unit "ms" is not the suffix'],
  ['a{b="c"} 1 2 # {x="y"} 1' + E, 1, 14, 'exemplars are allowed only on'],
  ['a  1' + E, 1, 3, 'invalid value ""'],
  ['a 1\nb 1\na 2' + E, 3, 1, 'name "a" clashes with an earlier metric family'],
  ['# TYPE a counter\na_total -1' + E, 2, 1, 'a_total cannot be negative'],
  ['# TYPE a counter\na 1' + E, 2, 1, 'not allowed in counter family "a" (expected a_total, a_created)'],
  ['# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1' + E, 4, 1, '_sum without _count'],
  ['# TYPE h histogram\nh_bucket{le="+inf"} 1' + E, 2, 13, 'invalid le label "+inf"'],
  ['# TYPE s summary\ns{quantile="2"} 1' + E, 2, 12, 'invalid quantile label "2"'],
  ['a{b="1",b="2"} 1' + E, 1, 9, 'duplicate label name "b"'],
  ['a{b="1"}1' + E, 1, 9, 'expected a space after the metric name and labels'],
  ['a-b 1' + E, 1, 2, 'invalid character "-" in metric name'],
  ['a 1 NaN' + E, 1, 5, 'invalid timestamp "NaN"'],
  ['a{x="1"} 1 2\na{x="1"} 1 1' + E, 2, 1, 'timestamps go backwards'],
  ['a{x="1"} 1\na{x="2"} 1\na{x="1"} 1' + E, 3, 1, 'must be contiguous'],
];

describe('OpenMetrics 1.0: bad input', () => {
  it.each(omCases)('%j → line %i column %i: %s', (input, line, column, fragment) => {
    const e = errorOf(() => parseOpenMetrics(input));
    expect(e.reason).toContain(fragment);
    expect([e.line, e.column]).toEqual([line, column]);
  });
  it('maxSamples refuses oversized input', () => {
    const e = errorOf(() => parseOpenMetrics('a 1\nb 2\n# EOF\n', { maxSamples: 1 }));
    expect([e.line, e.reason]).toEqual([2, 'more than 1 samples']);
  });
});
