import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryStorage } from '@tally/storage';
import { engineFor, matrixOf, ramp, storeOf, vectorOf } from './helpers.js';

const constant = (v: number): [number, number][] => ramp(5, 15_000, () => v);

describe('aggregation operators', () => {
  let storage: MemoryStorage;
  beforeAll(async () => {
    storage = await storeOf({
      'm{job="a",inst="1"}': constant(1),
      'm{job="a",inst="2"}': constant(3),
      'm{job="b",inst="1"}': constant(5),
      'm{job="b",inst="2"}': constant(7),
      'n{job="a",inst="1"}': constant(NaN),
      'n{job="a",inst="2"}': constant(2),
      'big{i="1"}': constant(1e308),
      'big{i="2"}': constant(1e308),
      'x{i="1"}': [
        [0, 1],
        [60_000, 3],
      ],
      'x{i="2"}': [
        [0, 2],
        [60_000, 1],
      ],
    });
  });
  const at = (q: string) => engineFor(storage).instant(q, 60_000).then(vectorOf);

  it.each([
    ['sum by (job) (m)', { '{job="a"}': 4, '{job="b"}': 12 }],
    ['sum(m) by (job)', { '{job="a"}': 4, '{job="b"}': 12 }],
    ['sum without (inst) (m)', { '{job="a"}': 4, '{job="b"}': 12 }],
    ['sum without (job, inst) (m)', { '{}': 16 }],
    ['sum(m)', { '{}': 16 }],
    ['sum by (__name__) (m)', { 'm{}': 16 }],
    ['avg by (job) (m)', { '{job="a"}': 2, '{job="b"}': 6 }],
    ['min by (job) (m)', { '{job="a"}': 1, '{job="b"}': 5 }],
    ['max by (job) (m)', { '{job="a"}': 3, '{job="b"}': 7 }],
    ['count by (job) (m)', { '{job="a"}': 2, '{job="b"}': 2 }],
    ['group by (job) (m)', { '{job="a"}': 1, '{job="b"}': 1 }],
    ['stddev by (job) (m)', { '{job="a"}': 1, '{job="b"}': 1 }],
    ['stdvar(m)', { '{}': 5 }],
    ['quantile(0.25, m)', { '{}': 2.5 }],
    ['quantile by (job) (0.5, m)', { '{job="a"}': 2, '{job="b"}': 6 }],
    ['quantile(2, m)', { '{}': Infinity }],
    ['topk by (job) (1, m)', { 'm{inst="2",job="a"}': 3, 'm{inst="2",job="b"}': 7 }],
    ['bottomk by (job) (1, m)', { 'm{inst="1",job="a"}': 1, 'm{inst="1",job="b"}': 5 }],
    ['topk(0, m)', {}],
    [
      'topk(100, m)',
      {
        'm{inst="1",job="a"}': 1,
        'm{inst="2",job="a"}': 3,
        'm{inst="1",job="b"}': 5,
        'm{inst="2",job="b"}': 7,
      },
    ],
    ['count_values("v", m)', { '{v="1"}': 1, '{v="3"}': 1, '{v="5"}': 1, '{v="7"}': 1 }],
    [
      'count_values by (job) ("v", m > 2)',
      { '{job="a",v="3"}': 1, '{job="b",v="5"}': 1, '{job="b",v="7"}': 1 },
    ],
    ['min(n)', { '{}': 2 }],
    ['max(n)', { '{}': 2 }],
    ['avg(big)', { '{}': 1e308 }],
    ['sum(big)', { '{}': Infinity }],
    ['sum(nonexistent)', {}],
  ])('%s', async (q, expected) => {
    expect(await at(q)).toEqual(expected);
  });

  it('sum propagates NaN', async () => {
    expect(Number.isNaN((await at('sum(n)'))['{}'])).toBe(true);
  });

  it('topk keeps the order best first for instant queries', async () => {
    const r = await engineFor(storage).instant('topk(3, m)', 60_000);
    expect(r.resultType === 'vector' && r.result.map((s) => s.value)).toEqual([7, 5, 3]);
    const b = await engineFor(storage).instant('bottomk(2, m)', 60_000);
    expect(b.resultType === 'vector' && b.result.map((s) => s.value)).toEqual([1, 3]);
  });

  it('topk chooses per step in range queries', async () => {
    const r = await engineFor(storage).range('topk(1, x)', 0, 60_000, 60_000);
    expect(matrixOf(r)).toEqual({
      'x{i="2"}': [[0, 2]],
      'x{i="1"}': [[60_000, 3]],
    });
  });

  it('takes the topk parameter per step from a scalar expression', async () => {
    const r = await engineFor(storage).instant('topk(scalar(count(m)) - 3, m)', 60_000);
    expect(vectorOf(r)).toEqual({ 'm{inst="2",job="b"}': 7 });
  });

  it('warns on quantile values outside [0, 1]', async () => {
    const r = await engineFor(storage).instant('quantile(2, m)', 60_000);
    expect(r.warnings).toEqual(['PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)']);
  });

  it('count_values in a range query follows changing values', async () => {
    const r = await engineFor(storage).range('count_values("v", x)', 0, 60_000, 60_000);
    expect(matrixOf(r)).toEqual({
      '{v="1"}': [
        [0, 1],
        [60_000, 1],
      ],
      '{v="2"}': [[0, 1]],
      '{v="3"}': [[60_000, 1]],
    });
  });

  it('rejects a non-integer-convertible topk parameter', async () => {
    await expect(engineFor(storage).instant('topk(NaN, m)', 60_000)).rejects.toThrow(
      'Scalar value NaN overflows int64',
    );
  });

  it('groups by a label only some series have', async () => {
    expect(await at('sum by (inst) (m)')).toEqual({ '{inst="1"}': 6, '{inst="2"}': 10 });
    expect(await at('sum by (nolabel) (m)')).toEqual({ '{}': 16 });
  });
});
