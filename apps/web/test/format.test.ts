import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatExact, formatValue } from '../src/lib/format.js';

describe('formatValue', () => {
  it.each([
    [null, '–'],
    [0, '0'],
    [42, '42'],
    [-3, '-3'],
    [0.5, '0.5'],
    [0.123456, '0.1235'],
    [0.0001234, '1.23e-4'],
    [12345, '12.3k'],
    [1_500_000, '1.5M'],
    [2e9, '2G'],
    [1e16, '1.00e16'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s → %s', (v, s) => expect(formatValue(v)).toBe(s));

  it('keeps full precision for exports', () => {
    expect(formatExact(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatExact(null)).toBe('');
  });
});

describe('durations', () => {
  it.each([
    [0, '0s'],
    [0.5, '0.5s'],
    [59, '59s'],
    [60, '1m'],
    [3725, '1h 2m'],
    [90061, '1d 1h'],
    [-120, '-2m'],
  ])('%s s → %s', (s, text) => expect(formatDuration(s)).toBe(text));

  it('says how long ago', () => {
    expect(formatAgo(1000, 3000)).toBe('just now');
    expect(formatAgo(0, 90_000)).toBe('1m ago');
    expect(formatAgo(0, 7_200_000)).toBe('2h ago');
  });
});
