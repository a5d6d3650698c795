import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryStorage } from '@tally/storage';
import { engineFor, ramp, storeOf, vectorOf } from './helpers.js';

const constant = (v: number): [number, number][] => ramp(3, 30_000, () => v);

describe('binary operators and vector matching', () => {
  let storage: MemoryStorage;
  beforeAll(async () => {
    storage = await storeOf({
      'a{job="x",inst="1"}': constant(10),
      'a{job="x",inst="2"}': constant(20),
      'a{job="y",inst="1"}': constant(30),
      'b{job="x",inst="1"}': constant(2),
      'b{job="x",inst="2"}': constant(4),
      'info{job="x",team="t1"}': constant(1),
      'info{job="y",team="t2"}': constant(1),
      'dup{job="x",k="1"}': constant(1),
      'dup{job="x",k="2"}': constant(1),
      'm1{l="v"}': constant(1),
      'm2{l="v"}': constant(2),
    });
  });
  const at = (q: string) => engineFor(storage).instant(q, 60_000).then(vectorOf);

  it.each([
    ['a / b', { '{inst="1",job="x"}': 5, '{inst="2",job="x"}': 5 }],
    ['a - on(job, inst) b', { '{inst="1",job="x"}': 8, '{inst="2",job="x"}': 16 }],
    ['a * ignoring(inst) group_left info', {}],
    [
      'a * on(job) group_left info',
      { '{inst="1",job="x"}': 10, '{inst="2",job="x"}': 20, '{inst="1",job="y"}': 30 },
    ],
    [
      'a * on(job) group_left(team) info',
      {
        '{inst="1",job="x",team="t1"}': 10,
        '{inst="2",job="x",team="t1"}': 20,
        '{inst="1",job="y",team="t2"}': 30,
      },
    ],
    [
      'info * on(job) group_right(team) a',
      {
        '{inst="1",job="x",team="t1"}': 10,
        '{inst="2",job="x",team="t1"}': 20,
        '{inst="1",job="y",team="t2"}': 30,
      },
    ],
    ['a > 15', { 'a{inst="2",job="x"}': 20, 'a{inst="1",job="y"}': 30 }],
    ['15 < a', { 'a{inst="2",job="x"}': 20, 'a{inst="1",job="y"}': 30 }],
    ['a > bool 15', { '{inst="1",job="x"}': 0, '{inst="2",job="x"}': 1, '{inst="1",job="y"}': 1 }],
    ['a > b', { 'a{inst="1",job="x"}': 10, 'a{inst="2",job="x"}': 20 }],
    ['a == bool on(job, inst) b * 5', { '{inst="1",job="x"}': 1, '{inst="2",job="x"}': 1 }],
    ['a and b', { 'a{inst="1",job="x"}': 10, 'a{inst="2",job="x"}': 20 }],
    ['a unless b', { 'a{inst="1",job="y"}': 30 }],
    ['a and on(job) info{team="t2"}', { 'a{inst="1",job="y"}': 30 }],
    ['b or a', { 'b{inst="1",job="x"}': 2, 'b{inst="2",job="x"}': 4, 'a{inst="1",job="y"}': 30 }],
    ['2 ^ 3 ^ 2', { '{}': 512 }],
    ['-a{inst="2"}', { '{inst="2",job="x"}': -20 }],
    ['a % 7', { '{inst="1",job="x"}': 3, '{inst="2",job="x"}': 6, '{inst="1",job="y"}': 2 }],
    ['b atan2 b', { '{inst="1",job="x"}': Math.PI / 4, '{inst="2",job="x"}': Math.PI / 4 }],
    ['m1 + ignoring(l) m2', { '{}': 3 }],
    ['m1 + on(l) m2', { '{l="v"}': 3 }],
  ])('%s', async (q, expected) => {
    const r = await engineFor(storage).instant(q, 60_000);
    if (r.resultType === 'scalar') expect({ '{}': r.result.value }).toEqual(expected);
    else expect(vectorOf(r)).toEqual(expected);
  });

  it.each([
    [
      'a * on(job) info2 or a * on(job) dup',
      'found duplicate series for the match group {job="x"} on the right hand-side of the operation: [{__name__="dup", job="x", k="1"}, {__name__="dup", job="x", k="2"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    [
      'a * on(job) info',
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    ],
    [
      'dup * on(job) group_left a',
      'found duplicate series for the match group {job="x"} on the right hand-side of the operation: [{__name__="a", inst="1", job="x"}, {__name__="a", inst="2", job="x"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    ['{__name__=~"m1|m2"} * 2', 'vector cannot contain metrics with the same labelset'],
    [
      'dup * on(job) group_left(k) info{job="x"}',
      'multiple matches for labels: grouping labels must ensure unique matches',
    ],
  ])('%s fails', async (q, message) => {
    await expect(engineFor(storage).instant(q, 60_000)).rejects.toMatchObject({
      message,
      errorType: 'execution',
    });
  });

  it('keeps the metric name through comparisons and drops it for arithmetic', async () => {
    expect(await at('a{inst="2"} >= 20')).toEqual({ 'a{inst="2",job="x"}': 20 });
    expect(await at('a{inst="2"} + 0')).toEqual({ '{inst="2",job="x"}': 20 });
  });
});
