import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '@tally/storage';
import { labelsFromRecord } from '@tally/model';
import { Engine, formatQuery, toPrometheusData } from '../src/index.js';

describe('README example', () => {
  it('runs as documented', async () => {
    const storage = new MemoryStorage();
    const app = storage.appender();
    for (let i = 0; i <= 20; i++)
      app.append(labelsFromRecord({ __name__: 'http_requests_total', job: 'api' }), i * 15_000, i * 10);
    await app.commit();
    const engine = new Engine();
    const result = await engine.instantQuery(
      (a, b) => storage.querier(a, b),
      'rate(http_requests_total[1m])',
      300_000,
    );
    expect(toPrometheusData(result)).toEqual({
      resultType: 'vector',
      result: [{ metric: { job: 'api' }, value: [300, '0.6666666666666666'] }],
    });
    expect(formatQuery('sum(rate(x[5m]))by(job)')).toBe('sum by (job) (rate(x[5m]))');
  });
});
