import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MemoryStorage } from '@tally/storage';
import { BadDataError, QueryError, parseDurationParam, parseTimeParam } from '../src/index.js';
import { engineFor, ramp, storeOf } from './helpers.js';

// Random well-formed queries built from the grammar's pieces: the engine either answers or
// throws one of its QueryError classes — never a TypeError, a RangeError or a hang.
const selector = fc.constantFrom(
  'm',
  'c',
  'm{job="a"}',
  '{__name__=~"m|c"}',
  'nosuch',
  'c offset 1m',
  'm @ 30',
);
const rangeSel = fc.constantFrom('c[1m]', 'm[5m]', 'c[30s] offset 1m', 'm[2m] @ 60', 'nosuch[1m]');
const scalar = fc.constantFrom('1', '0', '-2.5', 'NaN', 'Inf', 'time()', 'pi()');

const vectorExpr: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    selector,
    fc
      .tuple(
        fc.constantFrom(
          'rate',
          'increase',
          'delta',
          'irate',
          'deriv',
          'resets',
          'changes',
          'avg_over_time',
          'stddev_over_time',
          'last_over_time',
          'present_over_time',
        ),
        rangeSel,
      )
      .map(([f, r]) => `${f}(${r})`),
    fc
      .tuple(
        fc.constantFrom('sum', 'avg', 'min', 'max', 'count', 'stddev', 'group'),
        fc.constantFrom('', ' by (job)', ' without (job)'),
        tie('v'),
      )
      .map(([a, g, v]) => `${a}${g} (${v})`),
    fc
      .tuple(fc.constantFrom('topk', 'bottomk', 'quantile'), scalar, tie('v'))
      .map(([a, k, v]) => `${a}(${k}, ${v})`),
    fc
      .tuple(
        tie('v'),
        fc.constantFrom(
          '+',
          '-',
          '*',
          '/',
          '%',
          '^',
          '==',
          '>',
          '< bool',
          'and',
          'or',
          'unless',
          '+ on(job)',
          '* ignoring(i)',
        ),
        tie('v'),
      )
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc
      .tuple(tie('v'), fc.constantFrom('+', '*', '>', '== bool'), scalar)
      .map(([a, op, s]) => `(${a}) ${op} ${s}`),
    fc
      .tuple(
        fc.constantFrom('abs', 'ceil', 'sqrt', 'ln', 'sort', 'sort_desc', 'timestamp', 'absent', 'hour'),
        tie('v'),
      )
      .map(([f, v]) => `${f}(${v})`),
    tie('v').map((v) => `max_over_time((${v})[2m:30s])`),
    tie('v').map((v) => `label_replace(${v}, "x", "$1", "job", "(.*)")`),
    tie('v').map((v) => `histogram_quantile(0.9, ${v})`),
    tie('v').map((v) => `clamp(${v}, 0, 5)`),
  ),
})).v;

describe('engine fuzz', () => {
  let storage: MemoryStorage;
  beforeAll(async () => {
    storage = await storeOf({
      'm{job="a",i="1"}': ramp(20, 15_000, (k) => k % 7),
      'm{job="b",i="2"}': ramp(20, 15_000, (k) => (k * 3) % 5),
      'c{job="a",i="1"}': ramp(20, 15_000, (k) => k * 10),
      'c{job="b",le="1"}': ramp(20, 15_000, (k) => k),
    });
  });

  it('answers or throws a QueryError, instant and range', async () => {
    const e = engineFor(storage, { maxSamples: 200_000 });
    await fc.assert(
      fc.asyncProperty(vectorExpr, fc.integer({ min: 0, max: 300_000 }), async (q, t) => {
        for (const run of [() => e.instant(q, t), () => e.range(q, 0, 300_000, 30_000)]) {
          try {
            const r = await run();
            expect(['vector', 'matrix', 'scalar']).toContain(r.resultType);
          } catch (err) {
            if (!(err instanceof QueryError)) throw new Error(`${q}: ${(err as Error).stack ?? String(err)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('HTTP parameter parsers only throw BadDataError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        for (const f of [parseTimeParam, parseDurationParam]) {
          try {
            const v = f(s);
            expect(Number.isNaN(v)).toBe(false);
          } catch (err) {
            expect(err).toBeInstanceOf(BadDataError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
