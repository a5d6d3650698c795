import { describe, expect, it } from 'vitest';
import { minMaxExprs, planChart, promString, selector } from '../src/lib/queries.js';

describe('chart queries', () => {
  it('quotes names so `-` works (Prometheus 3 quoted names)', () => {
    expect(selector('learning-rate', ['run-1'])).toBe('{"learning-rate", job="run-1"}');
    expect(selector('x', ['a', 'b'])).toBe('{"x", job=~"a|b"}');
    expect(promString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('gauges: min, max and last per step', () => {
    const plan = planChart({ name: 'loss', type: 'gauge' }, ['j'], 15, { rawCounters: false });
    expect(plan.queries).toEqual([{ kind: 'minmax', selector: '{"loss", job="j"}' }]);
    expect(minMaxExprs('{"loss", job="j"}', 15)).toEqual({
      min: 'min_over_time({"loss", job="j"}[15s])',
      max: 'max_over_time({"loss", job="j"}[15s])',
      last: 'last_over_time({"loss", job="j"}[15s])',
      combined:
        'label_replace(min_over_time({"loss", job="j"}[15s]), "tally_agg", "min", "", "")' +
        ' or label_replace(max_over_time({"loss", job="j"}[15s]), "tally_agg", "max", "", "")' +
        ' or label_replace(last_over_time({"loss", job="j"}[15s]), "tally_agg", "last", "", "")',
    });
    expect(minMaxExprs('x', 0.002).min).toBe('min_over_time(x[2ms])');
  });

  it('counters: per-second rate, raw on toggle, either spelling of the family', () => {
    const rate = planChart({ name: 'steps', type: 'counter' }, ['j'], 1, { rawCounters: false });
    expect(rate.queries).toEqual([
      { kind: 'value', expr: 'rate({__name__=~"steps(_total)?", job="j"}[60s])' },
    ]);
    const raw = planChart({ name: 'steps_total', type: 'counter' }, ['j'], 1, { rawCounters: true });
    expect(raw.queries).toEqual([{ kind: 'minmax', selector: '{__name__=~"steps(_total)?", job="j"}' }]);
    expect([rate.unit, raw.unit]).toEqual(['per second', 'total']);
  });

  it("names the family's own unit in what the chart's values are", () => {
    const plan = (type: string, unit?: string, rawCounters = false): string =>
      planChart({ name: 'x', type, ...(unit === undefined ? {} : { unit }) }, ['j'], 1, { rawCounters }).unit;
    expect(plan('counter', 'bytes')).toBe('bytes per second');
    expect(plan('counter', 'bytes', true)).toBe('bytes, total');
    expect(plan('histogram', 'seconds')).toBe('quantiles, seconds');
    expect(plan('gauge', 'celsius')).toBe('celsius');
    expect(plan('gauge', '')).toBe('');
    expect(plan('gauge')).toBe('');
    expect(plan('summary', 'seconds')).toBe('per second');
  });

  it('histograms: p50/p90/p99 from the buckets', () => {
    const plan = planChart({ name: 'lat', type: 'histogram' }, ['j'], 30, { rawCounters: false });
    expect(plan.queries.map((q) => (q.kind === 'value' ? [q.legend, q.expr] : []))).toEqual([
      ['p50', 'histogram_quantile(0.5, sum by (le) (rate({"lat_bucket", job="j"}[120s])))'],
      ['p90', 'histogram_quantile(0.9, sum by (le) (rate({"lat_bucket", job="j"}[120s])))'],
      ['p99', 'histogram_quantile(0.99, sum by (le) (rate({"lat_bucket", job="j"}[120s])))'],
    ]);
  });

  it('histograms across jobs keep the job', () => {
    const plan = planChart({ name: 'lat', type: 'histogram' }, ['a', 'b'], 1, { rawCounters: false });
    expect(plan.queries[0]).toMatchObject({ expr: expect.stringContaining('sum by (job, le)') });
  });

  it('summaries: rates of _count and _sum', () => {
    const plan = planChart({ name: 'req', type: 'summary' }, ['j'], 1, { rawCounters: false });
    expect(plan.queries).toEqual([
      { kind: 'value', expr: 'rate({"req_count", job="j"}[60s])', legend: 'count/s' },
      { kind: 'value', expr: 'rate({"req_sum", job="j"}[60s])', legend: 'sum/s' },
    ]);
  });
});
