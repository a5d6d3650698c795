import { describe, expect, it, vi } from 'vitest';
import { Counter, DEFAULT_MAX_SERIES, Histogram, Registry } from '../src/index.js';

describe('per-metric series limit', () => {
  it('defaults to 10 000 series', () => {
    expect(DEFAULT_MAX_SERIES).toBe(10_000);
    expect(new Counter({ name: 'c', help: 'h', registers: [] }).maxSeries).toBe(10_000);
  });

  it('drops new label sets past the limit, counts them in a self-metric and reports once', async () => {
    const r = new Registry();
    const errors: Error[] = [];
    const c = new Counter({
      name: 'user_requests',
      help: 'h',
      labelNames: ['user'],
      maxSeries: 3,
      registers: [r],
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 6; i++) c.inc({ user: `u${i}` });
    c.labels('u0').inc(); // existing series still update
    const refused = c.labels('u9');
    refused.inc(5); // takes updates, is never exposed
    expect(c.seriesSize).toBe(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.name).toBe('SeriesLimitError');
    expect(errors[0]!.message).toMatch(
      /Counter user_requests: series limit of 3 reached; new label sets \(first: \{user="u3"\}\) are dropped/,
    );
    const text = await r.metrics();
    expect(text).toContain('user_requests_total{user="u0"} 2\n');
    expect(text).not.toContain('u3');
    expect(text).not.toContain('u9');
    expect(text).toContain(
      '# HELP tally_sdk_series_dropped_total Label sets refused because their metric reached its series limit (maxSeries); each refused lookup counts once.\n' +
        '# TYPE tally_sdk_series_dropped_total counter\ntally_sdk_series_dropped_total{metric="user_requests"} 4\n',
    );
    expect(await r.metrics('openmetrics')).toContain(
      '# TYPE tally_sdk_series_dropped counter\ntally_sdk_series_dropped_total{metric="user_requests"} 4.0\n# EOF\n',
    );
  });

  it('frees room when series are removed', () => {
    const c = new Counter({
      name: 'c',
      help: 'h',
      labelNames: ['k'],
      maxSeries: 2,
      registers: [],
      onError: () => undefined,
    });
    c.inc({ k: 'a' });
    c.inc({ k: 'b' });
    c.remove('a');
    c.inc({ k: 'c' });
    expect(c.seriesSize).toBe(2);
    expect(c._droppedSeries).toBe(0);
    c.inc({ k: 'd' });
    expect(c._droppedSeries).toBe(1);
  });

  it('warns through process.emitWarning when no onError is given', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const h = new Histogram({ name: 'h', help: 'h', labelNames: ['id'], maxSeries: 1, registers: [] });
      h.observe({ id: '1' }, 1);
      h.observe({ id: '2' }, 1);
      h.observe({ id: '3' }, 1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/Histogram h: series limit of 1 reached/);
    } finally {
      warn.mockRestore();
    }
  });

  it('a removed series held by the caller does not come back past the limit', () => {
    const c = new Counter({
      name: 'c',
      help: 'h',
      labelNames: ['k'],
      maxSeries: 1,
      registers: [],
      onError: () => undefined,
    });
    const a = c.labels('a');
    c.remove('a');
    c.inc({ k: 'b' });
    a.inc();
    expect(c.seriesSize).toBe(1);
    expect(c._droppedSeries).toBe(1);
  });
});
