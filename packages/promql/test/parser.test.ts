import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PromQLParseError, exprToString, formatQuery, parseExpr } from '../src/index.js';

// Canonical forms as Prometheus's printer writes them.
const ROUND_TRIP: [string, string][] = [
  ['up', 'up'],
  [
    'up{job="a",instance!="b"}',
    'up{instance!="b", job="a"}'.replace('instance!="b", job="a"', 'job="a", instance!="b"'),
  ],
  ['{__name__=~"x.*"}', '{__name__=~"x.*"}'],
  ['{"my-metric"}', '{"my-metric"}'],
  ['{"my-metric", "a.b"="c"}', '{"my-metric", "a.b"="c"}'],
  ['x[5m]', 'x[5m]'],
  ['x[1h30m]', 'x[1h30m]'],
  ['x[90]', 'x[1m30s]'],
  ['x offset 5m', 'x offset 5m'],
  ['x offset -5m', 'x offset -5m'],
  ['x[5m] offset 1w', 'x[5m] offset 1w'],
  ['x @ 1609746000', 'x @ 1609746000.000'],
  ['x @ start()', 'x @ start()'],
  ['x[5m] @ end() offset 1m', 'x[5m] @ end() offset 1m'],
  ['x offset 1m @ 10', 'x @ 10.000 offset 1m'],
  ['rate(x[5m])[30m:1m]', 'rate(x[5m])[30m:1m]'],
  ['x[30m:]', 'x[30m:]'],
  ['x[30m:] offset 2m', 'x[30m:] offset 2m'],
  ['1 + 2 * 3', '1 + 2 * 3'],
  ['(1 + 2) * 3', '(1 + 2) * 3'],
  ['-x', '-x'],
  ['-1', '-1'],
  ['- 2 ^ 2', '-2 ^ 2'],
  ['2 ^ 3 ^ 2', '2 ^ 3 ^ 2'],
  ['a and b or c unless d', 'a and b or c unless d'],
  ['a == bool b', 'a == bool b'],
  ['a * on(x, y) group_left(z) b', 'a * on (x, y) group_left (z) b'],
  ['a / ignoring(x) group_right b', 'a / ignoring (x) group_right () b'],
  ['a + on() b', 'a + on () b'],
  ['sum(x)', 'sum(x)'],
  ['sum by (a) (x)', 'sum by (a) (x)'],
  ['sum(x) by (a)', 'sum by (a) (x)'],
  ['SUM WITHOUT (a, b) (x)', 'sum without (a, b) (x)'],
  ['topk(3, x)', 'topk(3, x)'],
  ['quantile(0.9, x)', 'quantile(0.9, x)'],
  ['count_values("v", x)', 'count_values("v", x)'],
  ['label_replace(x, "a", "$1", "b", "(.*)")', 'label_replace(x, "a", "$1", "b", "(.*)")'],
  ['0x1F', '31'],
  ['1e3', '1000'],
  ['1e-7', '0.0000001'],
  ['Inf', 'Inf'],
  ['-Inf', '-Inf'],
  ['NaN', 'NaN'],
  ['"a\\nb"', '"a\\nb"'],
  ["'single'", '"single"'],
  ['`raw\\n`', '"raw\\\\n"'],
  ['x # comment', 'x'],
  ['sum(x,)', 'sum(x)'],
  ['foo:bar:baz', 'foo:bar:baz'],
  ['by', 'by'],
  ['sum', 'sum'],
  ['time()', 'time()'],
  ['rate(x[5m] @ 100)', 'rate(x[5m] @ 100.000)'],
];

// Bad queries: the message Prometheus would give and where.
const BAD: [string, string][] = [
  ['', '1:1: parse error: no expression found in input'],
  ['x >', '1:4: parse error: unexpected end of input'],
  [
    'sum(x, y)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2',
  ],
  [
    'topk(x)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
  ],
  ['rate(x)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  [
    'abs(x[5m])',
    '1:5: parse error: expected type instant vector in call to function "abs", got range vector',
  ],
  ['round()', '1:1: parse error: expected at least 1 argument(s) in call to "round", got 0'],
  ['round(x, 1, 2)', '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
  ['time(1)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  ['nosuch(x)', '1:1: parse error: unknown function with name "nosuch"'],
  ['1 < 2', '1:1: parse error: comparisons between scalars must use BOOL modifier'],
  ['x + bool y', '1:3: parse error: bool modifier can only be used on comparison operators'],
  ['1 and x', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['1 + on(a) x', '1:1: parse error: vector matching only allowed between instant vectors'],
  ['a and on(x) group_left b', '1:13: parse error: no grouping allowed for "and" operation'],
  ['a * on(x) group_left(x) b', '1:11: parse error: label "x" must not occur in ON and GROUP clause at once'],
  ['x[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  [
    '-"a"',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
  ],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['foo{__name__="bar"}', '1:5: parse error: metric name must not be set twice: "foo" or "bar"'],
  ['(x)[5m]', '1:1: parse error: ranges only allowed for vector selectors'],
  ['x offset 5m[5m]', '1:12: parse error: no offset modifiers allowed before range'],
  [
    'sum(x) offset 5m',
    '1:8: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  ['x offset 1m offset 2m', '1:13: parse error: offset may not be set multiple times'],
  ['x @ 1 @ 2', '1:7: parse error: @ <timestamp> may not be set multiple times'],
  ['x @ Inf', '1:3: parse error: timestamp out of bounds for @ modifier: Infinity'],
  ['x[5m][5m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  ['x[0s]', '1:3: parse error: duration must be greater than 0'],
  [
    'x{a=~"("}',
    '1:3: parse error: invalid regular expression "(" for label a: Invalid regular expression: /^(?:()$/su: Unterminated group',
  ],
  ['"unterminated', '1:1: parse error: unterminated quoted string'],
  ['x{a="b"', '1:8: parse error: unexpected end of input inside braces'],
  ['1a', '1:1: parse error: bad number or duration syntax: "1a"'],
  ['x $ y', '1:3: parse error: unexpected character: "$"'],
  [
    'sum by (a:b) (x)',
    '1:9: parse error: unexpected metric identifier "a:b" in grouping opts, expected label',
  ],
  ['count_values(1, x)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
  [
    'sum(x[5m])',
    '1:1: parse error: expected type instant vector in aggregation expression, got range vector',
  ],
  ['x\n+ ', '2:3: parse error: unexpected end of input'],
];

describe('parser', () => {
  it.each(ROUND_TRIP)('%s prints as %s', (query, printed) => {
    expect(exprToString(parseExpr(query))).toBe(printed);
    // Printing is a fixed point.
    expect(exprToString(parseExpr(printed))).toBe(printed);
  });

  it.each(BAD)('rejects %j', (query, message) => {
    let err: unknown;
    try {
      parseExpr(query);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PromQLParseError);
    expect((err as PromQLParseError).message).toBe(message);
    expect((err as PromQLParseError).errorType).toBe('bad_data');
  });

  it('binds unary minus like * and ^ to the right', () => {
    const e = parseExpr('-a ^ b * c');
    expect(e.type).toBe('BinaryExpr');
    if (e.type === 'BinaryExpr') {
      expect(e.op).toBe('*');
      expect(e.lhs.type).toBe('UnaryExpr');
    }
    const p = parseExpr('2 ^ 3 ^ 2');
    if (p.type === 'BinaryExpr') expect(p.rhs.type).toBe('BinaryExpr');
  });

  it('reports positions as ranges', () => {
    try {
      parseExpr('sum(rate(x))');
    } catch (e) {
      expect((e as PromQLParseError).positionRange).toEqual({ start: 9, end: 10 });
    }
  });

  it('never throws anything but PromQLParseError on arbitrary input (fuzz)', () => {
    const alphabet = fc.constantFrom(
      ...'abcxyz_:{}[]()",=~!<>+-*/%^@ 0123456789.#\'`\\\n'.split(''),
      'sum',
      'by',
      'offset',
      'rate(',
      '[5m]',
      ' and ',
      'on(',
      'group_left',
      '@ start()',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (parts) => {
        const q = parts.join('');
        try {
          const e = parseExpr(q);
          // Whatever parses prints to something that parses to the same text.
          const printed = exprToString(e);
          expect(exprToString(parseExpr(printed))).toBe(printed);
        } catch (err) {
          if (!(err instanceof PromQLParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('formatQuery', () => {
  it('keeps short queries on one line', () => {
    expect(formatQuery('sum(rate(x[5m])) by (job)')).toBe('sum by (job) (rate(x[5m]))');
  });

  it('splits queries past 100 characters as Prometheus prettifies them', () => {
    const q =
      'sum by (job, instance) (rate(http_requests_total{job="apiserver", handler=~"/api/v1/(query|query_range)"}[5m])) / on (job) group_left sum by (job) (rate(http_requests_total[5m]))';
    expect(formatQuery(q)).toBe(
      [
        '  sum by (job, instance) (',
        '    rate(http_requests_total{job="apiserver", handler=~"/api/v1/(query|query_range)"}[5m])',
        '  )',
        '/ on (job) group_left ()',
        '  sum by (job) (rate(http_requests_total[5m]))',
      ].join('\n'),
    );
  });

  it('splits long function calls and aggregations with parameters', () => {
    const long = 'a_very_long_metric_name_that_goes_on_and_on{label_one="value one", label_two="value two"}';
    expect(formatQuery(`topk(5, ${long} offset 5m)`)).toBe(`topk(\n  5,\n  ${long} offset 5m\n)`);
    expect(formatQuery(`label_replace(${long}, "a", "b", "c", "d")`)).toBe(
      `label_replace(\n  ${long},\n  "a",\n  "b",\n  "c",\n  "d"\n)`,
    );
  });

  it('throws PromQLParseError for bad input', () => {
    expect(() => formatQuery('sum(')).toThrow(PromQLParseError);
  });
});
