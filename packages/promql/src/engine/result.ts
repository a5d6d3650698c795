import type { Labels } from '@tally/model';
import { compareLabels, labelsToRecord } from '@tally/model';
import { formatGoFloat } from './format-float.js';

export interface InstantSample {
  readonly metric: Labels;
  readonly timestampMs: number;
  readonly value: number;
}

export interface RangeSeries {
  readonly metric: Labels;
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
}

interface Notes {
  readonly warnings: string[];
  readonly infos: string[];
}

/** What a query returns: Prometheus's four result types, plus its annotations. */
export type QueryResult =
  | ({ readonly resultType: 'vector'; readonly result: InstantSample[] } & Notes)
  | ({ readonly resultType: 'matrix'; readonly result: RangeSeries[] } & Notes)
  | ({ readonly resultType: 'scalar'; readonly result: { timestampMs: number; value: number } } & Notes)
  | ({ readonly resultType: 'string'; readonly result: { timestampMs: number; value: string } } & Notes);

/** JSON sample pair: `[seconds, "value"]`. */
export type PrometheusPoint = [number, string];

export type PrometheusData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: PrometheusPoint }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: PrometheusPoint[] }[] }
  | { resultType: 'scalar'; result: PrometheusPoint }
  | { resultType: 'string'; result: [number, string] };

const seconds = (ms: number): number => ms / 1000;

/**
 * The `data` member of Prometheus's `/api/v1/query(_range)` response: values as strings in
 * Go's float format (`+Inf`, `NaN`, `1e-07`), timestamps as float seconds, matrix series
 * sorted by labels. Vector order is kept (it is the order `sort()` and `topk` produced).
 */
export function toPrometheusData(r: QueryResult): PrometheusData {
  switch (r.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => ({
          metric: labelsToRecord(s.metric),
          value: [seconds(s.timestampMs), formatGoFloat(s.value)],
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: [...r.result]
          .sort((a, b) => compareLabels(a.metric, b.metric))
          .map((s) => ({
            metric: labelsToRecord(s.metric),
            values: s.timestampsMs.map((t, i): PrometheusPoint => [seconds(t), formatGoFloat(s.values[i]!)]),
          })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: [seconds(r.result.timestampMs), formatGoFloat(r.result.value)] };
    case 'string':
      return { resultType: 'string', result: [seconds(r.result.timestampMs), r.result.value] };
  }
}
