import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import {
  BadDataError,
  formatGoFloat,
  parseDurationParam,
  parseTimeParam,
  toPrometheusData,
} from '../src/index.js';

describe('toPrometheusData', () => {
  it('writes values as Go formats floats', () => {
    const cases: [number, string][] = [
      [1, '1'],
      [0.1, '0.1'],
      [1e-7, '1e-07'],
      [1.5e-10, '1.5e-10'],
      [123456789, '123456789'],
      [1e21, '1e+21'],
      [1.2345e22, '1.2345e+22'],
      [1e20, '100000000000000000000'],
      [0.000001, '0.000001'],
      [Infinity, '+Inf'],
      [-Infinity, '-Inf'],
      [NaN, 'NaN'],
      [-0, '-0'],
      [-2.5, '-2.5'],
    ];
    for (const [v, s] of cases) expect(formatGoFloat(v)).toBe(s);
  });

  it('shapes vectors, matrices (sorted by labels), scalars and strings', () => {
    const l = (r: Record<string, string>) => labelsFromRecord(r);
    expect(
      toPrometheusData({
        resultType: 'vector',
        result: [{ metric: l({ __name__: 'up', job: 'b' }), timestampMs: 1435781451781, value: 1 }],
        warnings: [],
        infos: [],
      }),
    ).toEqual({
      resultType: 'vector',
      result: [{ metric: { __name__: 'up', job: 'b' }, value: [1435781451.781, '1'] }],
    });
    expect(
      toPrometheusData({
        resultType: 'matrix',
        result: [
          { metric: l({ job: 'b' }), timestampsMs: [0, 15_000], values: [1, NaN] },
          { metric: l({ job: 'a' }), timestampsMs: [0], values: [Infinity] },
        ],
        warnings: [],
        infos: [],
      }),
    ).toEqual({
      resultType: 'matrix',
      result: [
        { metric: { job: 'a' }, values: [[0, '+Inf']] },
        {
          metric: { job: 'b' },
          values: [
            [0, '1'],
            [15, 'NaN'],
          ],
        },
      ],
    });
    expect(
      toPrometheusData({
        resultType: 'scalar',
        result: { timestampMs: 1500, value: 2 },
        warnings: [],
        infos: [],
      }),
    ).toEqual({
      resultType: 'scalar',
      result: [1.5, '2'],
    });
    expect(
      toPrometheusData({
        resultType: 'string',
        result: { timestampMs: 0, value: 'x' },
        warnings: [],
        infos: [],
      }),
    ).toEqual({
      resultType: 'string',
      result: [0, 'x'],
    });
  });
});

describe('HTTP parameters', () => {
  it.each([
    ['1435781451.781', 1435781451781],
    ['1435781451', 1435781451000],
    ['0', 0],
    ['-1.5', -1500],
    ['1e3', 1_000_000],
    ['2015-07-01T20:10:51.781Z', 1435781451781],
    ['2015-07-01T20:10:51Z', 1435781451000],
    ['2015-07-01T22:10:51.781+02:00', 1435781451781],
    ['2015-07-01T20:10:51.781999999Z', 1435781451781],
  ])('parseTimeParam(%s)', (text, ms) => {
    expect(parseTimeParam(text)).toBe(ms);
  });

  it.each(['', 'now', '2015-13-01T00:00:00Z', '2015-07-01 20:10:51Z', 'NaN', 'Inf'])(
    'parseTimeParam rejects %j',
    (text) => {
      expect(() => parseTimeParam(text)).toThrow(BadDataError);
      expect(() => parseTimeParam(text)).toThrow(`cannot parse ${JSON.stringify(text)} to a valid timestamp`);
    },
  );

  it.each([
    ['15', 15_000],
    ['0.5', 500],
    ['1m30s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
  ])('parseDurationParam(%s)', (text, ms) => {
    expect(parseDurationParam(text)).toBe(ms);
  });

  it.each(['', 'x', '1m1h', '5 m'])('parseDurationParam rejects %j', (text) => {
    expect(() => parseDurationParam(text)).toThrow(
      `cannot parse ${JSON.stringify(text)} to a valid duration`,
    );
  });
});
