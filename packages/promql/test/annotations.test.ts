import { describe, expect, it } from 'vitest';
import { engineFor, ramp, storeOf } from './helpers.js';

describe('warnings and infos', () => {
  it('gives the possible-non-counter info for rate() of a name without a counter suffix, once', async () => {
    const storage = await storeOf({
      'requests{i="1"}': ramp(10, 15_000, (k) => k),
      'requests{i="2"}': ramp(10, 15_000, (k) => k),
      'requests_total{i="1"}': ramp(10, 15_000, (k) => k),
    });
    const e = engineFor(storage);
    const r = await e.instant('sum(rate(requests[1m]))', 120_000);
    expect(r.infos).toEqual([
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "requests" (1:10)',
    ]);
    expect(r.warnings).toEqual([]);
    expect((await e.instant('rate(requests_total[1m])', 120_000)).infos).toEqual([]);
    // delta() is for gauges: no info.
    expect((await e.instant('delta(requests[1m])', 120_000)).infos).toEqual([]);
  });

  it('warns that sort is ineffective in range queries', async () => {
    const storage = await storeOf({ 'g{i="1"}': ramp(10, 15_000, (k) => k) });
    const r = await engineFor(storage).range('sort(g)', 0, 60_000, 15_000);
    expect(r.warnings).toEqual([
      'PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)',
    ]);
  });

  it('warns about malformed le labels in histogram_quantile', async () => {
    const storage = await storeOf({ 'h_bucket{le="x"}': [[0, 1]], 'h_bucket{le="+Inf"}': [[0, 2]] });
    const r = await engineFor(storage).instant('histogram_quantile(0.5, h_bucket)', 0);
    expect(r.warnings).toEqual([
      'PromQL warning: bucket label "le" is missing or has a malformed value of "x" for metric name "h_bucket" (1:25)',
    ]);
  });

  it('positions annotations on later lines as line:column', async () => {
    const storage = await storeOf({ 'requests{i="1"}': ramp(10, 15_000, (k) => k) });
    const r = await engineFor(storage).instant('sum(\n  rate(requests[1m])\n)', 120_000);
    expect(r.infos[0]).toMatch(/\(2:8\)$/);
  });
});
