import { describe, expect, it, vi } from 'vitest';
import type { Querier } from '@tally/storage';
import { Engine } from '../src/index.js';
import { ramp, storeOf } from './helpers.js';

describe('query limits', () => {
  it('refuses to load more samples than maxSamples', async () => {
    const storage = await storeOf({ 'c{job="a"}': ramp(61, 10_000, (i) => i) });
    const engine = new Engine({ maxSamples: 10 });
    await expect(
      engine.instantQuery((a, b) => storage.querier(a, b), 'sum_over_time(c[10m])', 600_000),
    ).rejects.toMatchObject({
      name: 'QueryLimitError',
      errorType: 'execution',
      message: 'query processing would load too many samples into memory in query execution',
    });
    // Within the limit it runs.
    const ok = await new Engine({ maxSamples: 100 }).instantQuery(
      (a, b) => storage.querier(a, b),
      'sum_over_time(c[10m])',
      600_000,
    );
    expect(ok.resultType).toBe('vector');
  });

  it('counts step samples of range queries against maxSamples', async () => {
    const storage = await storeOf({ 'c{job="a"}': ramp(61, 10_000, (i) => i) });
    const engine = new Engine({ maxSamples: 200 });
    await expect(
      engine.rangeQuery((a, b) => storage.querier(a, b), 'c', 0, 600_000, 1_000),
    ).rejects.toMatchObject({
      errorType: 'execution',
    });
  });

  it('refuses to select more series than maxSeries', async () => {
    const storage = await storeOf({ 'm{i="1"}': [[0, 1]], 'm{i="2"}': [[0, 1]], 'm{i="3"}': [[0, 1]] });
    const engine = new Engine({ maxSeries: 2 });
    await expect(engine.instantQuery((a, b) => storage.querier(a, b), 'm', 0)).rejects.toMatchObject({
      name: 'QueryLimitError',
      errorType: 'execution',
    });
    await expect(engine.instantQuery((a, b) => storage.querier(a, b), 'm{i="1"}', 0)).resolves.toMatchObject({
      resultType: 'vector',
    });
  });

  it('times out with errorType timeout', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const storage = await storeOf({ 'm{i="1"}': [[0, 1]] });
      // A querier whose read takes "a minute" of (fake) wall-clock time.
      const slow = (a: number, b: number): Querier => {
        const q = storage.querier(a, b);
        return {
          minTimeMs: q.minTimeMs,
          maxTimeMs: q.maxTimeMs,
          select: async (m, h) => {
            vi.setSystemTime(Date.now() + 60_000);
            return q.select(m, h);
          },
          labelNames: (m) => q.labelNames(m),
          labelValues: (n, m) => q.labelValues(n, m),
          close: () => q.close(),
        };
      };
      const engine = new Engine({ timeoutMs: 30_000 });
      await expect(engine.instantQuery(slow, 'm', 0)).rejects.toMatchObject({
        name: 'QueryTimeoutError',
        errorType: 'timeout',
        message: 'query timed out in query execution',
      });
      await expect(engine.instantQuery(slow, 'm', 0, { timeoutMs: 120_000 })).resolves.toMatchObject({
        resultType: 'vector',
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops when the caller aborts', async () => {
    const storage = await storeOf({ 'm{i="1"}': [[0, 1]] });
    const ac = new AbortController();
    ac.abort();
    await expect(
      new Engine().instantQuery((a, b) => storage.querier(a, b), 'm', 0, { signal: ac.signal }),
    ).rejects.toMatchObject({
      errorType: 'canceled',
    });
  });

  it('throws at construction on nonsense options', () => {
    expect(() => new Engine({ maxSamples: 0 })).toThrow(
      'Engine option maxSamples must be a positive number, got 0',
    );
    expect(() => new Engine({ lookbackDeltaMs: -1 })).toThrow(RangeError);
  });

  it('rejects bad range query parameters as bad_data', async () => {
    const storage = await storeOf({ 'm{i="1"}': [[0, 1]] });
    const engine = new Engine();
    await expect(engine.rangeQuery((a, b) => storage.querier(a, b), 'm', 10, 0, 1)).rejects.toMatchObject({
      errorType: 'bad_data',
    });
    await expect(engine.rangeQuery((a, b) => storage.querier(a, b), 'm', 0, 10, 0)).rejects.toMatchObject({
      errorType: 'bad_data',
    });
  });
});
