// A chart's data as CSV or JSON: one row per (series, timestamp, value), as fetched — the
// points drawn, before smoothing.

import { formatExact } from './format.js';

export interface ExportSeries {
  readonly name: string;
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(series: readonly ExportSeries[]): string {
  const rows = ['series,timestamp,time,value'];
  for (const s of series) {
    s.t.forEach((t, i) => {
      const v = s.v[i];
      if (v === null || v === undefined) return;
      rows.push([csvField(s.name), String(t), new Date(t * 1000).toISOString(), formatExact(v)].join(','));
    });
  }
  return rows.join('\n') + '\n';
}

export function toJson(metric: string, series: readonly ExportSeries[]): string {
  return JSON.stringify(
    {
      metric,
      series: series.map((s) => ({
        name: s.name,
        // [unix seconds, value]; non-finite values as strings, like the Prometheus API.
        points: s.t.flatMap((t, i) => {
          const v = s.v[i];
          if (v === null || v === undefined) return [];
          return [[t, Number.isFinite(v) ? v : formatExact(v)]];
        }),
      })),
    },
    null,
    2,
  );
}
