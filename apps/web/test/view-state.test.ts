import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  parseView,
  queryWindow,
  stepFor,
  writeView,
  type ViewState,
} from '../src/lib/view-state.js';

describe('view state in the URL', () => {
  it('omits defaults', () => {
    expect(writeView(DEFAULT_VIEW, new URLSearchParams('tab=metrics')).toString()).toBe('tab=metrics');
  });

  it('round-trips every field', () => {
    const v: ViewState = {
      range: '6h',
      fromMs: 1000,
      toMs: 5000,
      xAxis: 'relative',
      log: true,
      ema: 0.6,
      rawCounters: true,
      live: false,
      resolution: 1000,
    };
    expect(parseView(writeView(v, new URLSearchParams()))).toEqual(v);
  });

  it('falls back to defaults on bad values', () => {
    expect(parseView(new URLSearchParams('range=2y&ema=7&res=3&from=9&to=1&x=sideways'))).toEqual(
      DEFAULT_VIEW,
    );
  });

  it('parses any query without throwing, and what it writes parses back the same', () => {
    fc.assert(
      fc.property(fc.string(), (q) => {
        const v = parseView(new URLSearchParams(q));
        expect(parseView(writeView(v, new URLSearchParams()))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});

describe('query window', () => {
  it('covers a preset ending now, aligned to the step', () => {
    const w = queryWindow(DEFAULT_VIEW, 1_000_000_000, 0);
    expect(w.stepSeconds).toBe(9);
    expect(w.startSeconds % 9).toBe(0);
    expect(w.endSeconds % 9).toBe(0);
    expect(w.startSeconds).toBeLessThanOrEqual(1_000_000 - 3600);
    expect(w.endSeconds).toBeGreaterThanOrEqual(1_000_000);
  });

  it('uses a zoomed window and refines the step', () => {
    const w = queryWindow({ ...DEFAULT_VIEW, fromMs: 10_000_000, toMs: 10_060_000 }, 99e9, 0);
    expect(w).toEqual({ startSeconds: 9999.9, endSeconds: 10_060.05, stepSeconds: 0.15 });
  });

  it('since the job started', () => {
    const w = queryWindow({ ...DEFAULT_VIEW, range: 'job' }, 2_000_000, 1_000_000);
    expect(w.startSeconds).toBeLessThanOrEqual(1000);
    expect(w.endSeconds).toBeGreaterThanOrEqual(2000);
  });

  it('steps are whole seconds, or whole milliseconds below a second', () => {
    expect(stepFor(3600, 400)).toBe(9);
    expect(stepFor(20, 10_000)).toBe(0.002);
    expect(stepFor(0, 400)).toBe(0.001);
  });
});
