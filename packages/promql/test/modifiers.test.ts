import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryStorage } from '@tally/storage';
import { engineFor, matrixOf, ramp, storeOf, vectorOf } from './helpers.js';

// c: one sample every 10 s from 0 to 600 s, value = t / 10 s.
describe('offset, @, lookback and subqueries', () => {
  let storage: MemoryStorage;
  beforeAll(async () => {
    storage = await storeOf({ 'c{job="a"}': ramp(61, 10_000, (i) => i) });
  });
  const at = (q: string, tMs: number) => engineFor(storage).instant(q, tMs).then(vectorOf);
  const range = (q: string, s: number, e: number, step: number) =>
    engineFor(storage).range(q, s, e, step).then(matrixOf);

  it.each([
    ['c', 300_000, 30],
    ['c offset 1m', 300_000, 24],
    ['c offset -1m', 100_000, 16],
    ['c @ 100', 300_000, 10],
    ['c @ 100 offset 10s', 300_000, 9],
    ['c offset 10s @ 100', 300_000, 9],
    ['c @ 100.999', 300_000, 10],
    ['timestamp(c)', 95_000, 90],
    ['timestamp(c @ 50)', 95_000, 50],
    ['timestamp(c offset 1m)', 95_000, 30],
    ['count_over_time(c[30s])', 60_000, 3],
    ['count_over_time(c[30s] offset 10s)', 60_000, 3],
    ['count_over_time(c[30s] @ 30)', 600_000, 3],
    ['rate(c[1m])', 300_000, 0.1],
    ['increase(c[1m])', 300_000, 6],
    ['delta(c[1m])', 300_000, 6],
    ['max_over_time(c[1m:20s])', 100_000, 10],
    ['sum_over_time(c[1m:20s])', 100_000, 24],
    ['count_over_time(c[1m:20s])', 100_000, 3],
    ['sum_over_time(c[1m:20s] offset 20s)', 100_000, 18],
    ['count_over_time(c[5m:])', 300_000, 5],
    ['sum_over_time(c[1m:20s] @ 200)', 0, 54],
    ['max_over_time(rate(c[30s])[1m:10s])', 300_000, 0.1],
    ['sum_over_time(vector(time())[1m:30s])', 90_000, 150],
    ['last_over_time(c[1m:7s])', 100_000, 9],
  ])('%s at %d ms', async (q, tMs, value) => {
    const r = await at(q, tMs);
    expect(Object.values(r)).toHaveLength(1);
    expect(Object.values(r)[0]).toBeCloseTo(value, 9);
  });

  it('looks back five minutes, excluding a sample exactly at the window start (Prometheus 3)', async () => {
    expect(await at('c', 899_000)).toEqual({ 'c{job="a"}': 60 });
    expect(await at('c', 900_000)).toEqual({});
  });

  it('@ start() and @ end() take the range query bounds', async () => {
    expect(await range('c @ start()', 100_000, 200_000, 50_000)).toEqual({
      'c{job="a"}': [
        [100_000, 10],
        [150_000, 10],
        [200_000, 10],
      ],
    });
    expect(await range('c @ end()', 100_000, 200_000, 50_000)).toEqual({
      'c{job="a"}': [
        [100_000, 20],
        [150_000, 20],
        [200_000, 20],
      ],
    });
    expect(await range('sum_over_time(c[1m:20s] @ 200)', 0, 100_000, 50_000)).toEqual({
      '{job="a"}': [
        [0, 54],
        [50_000, 54],
        [100_000, 54],
      ],
    });
  });

  it('an instant query of a range selector returns the raw samples of the window', async () => {
    const r = await engineFor(storage).instant('c[30s]', 60_000);
    expect(matrixOf(r)).toEqual({
      'c{job="a"}': [
        [40_000, 4],
        [50_000, 5],
        [60_000, 6],
      ],
    });
    const sub = await engineFor(storage).instant('c[1m:20s]', 100_000);
    expect(matrixOf(sub)).toEqual({
      'c{job="a"}': [
        [60_000, 6],
        [80_000, 8],
        [100_000, 10],
      ],
    });
  });

  it('range queries of subqueries re-use one inner evaluation', async () => {
    expect(await range('max_over_time(c[1m:30s])', 60_000, 120_000, 30_000)).toEqual({
      '{job="a"}': [
        [60_000, 6],
        [90_000, 9],
        [120_000, 12],
      ],
    });
  });

  it('a range query over a scalar gives one series without labels', async () => {
    expect(await range('time()', 0, 20_000, 10_000)).toEqual({
      '{}': [
        [0, 0],
        [10_000, 10],
        [20_000, 20],
      ],
    });
  });

  it('rejects range queries of range vectors and strings', async () => {
    await expect(engineFor(storage).range('c[1m]', 0, 10, 1)).rejects.toThrow(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    await expect(engineFor(storage).range('"a"', 0, 10, 1)).rejects.toMatchObject({ errorType: 'bad_data' });
  });
});
