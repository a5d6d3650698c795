// Which PromQL a chart runs for a metric family, by its type (issue 7): gauges raw (min/max/last
// per step so spikes survive), counters as per-second rate (raw on toggle), histograms as
// p50/p90/p99 from their buckets, summaries as the rates of _count and _sum.

export type ChartQuery =
  /** One series per label set, drawn from three downsampling queries over `selector`. */
  | { readonly kind: 'minmax'; readonly selector: string }
  /** One query; its series are named by `legend` (or by their labels). */
  | { readonly kind: 'value'; readonly expr: string; readonly legend?: string };

export interface ChartPlan {
  readonly queries: readonly ChartQuery[];
  /** What the y values are, for the chart's subtitle. */
  readonly unit: string;
}

/** A PromQL string literal (names may hold '-', so they are always quoted: Prometheus 3). */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Matches names in a regex matcher literally. */
export function regexEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function jobMatcher(jobIds: readonly string[]): string {
  return jobIds.length === 1
    ? `job=${promString(jobIds[0]!)}`
    : `job=~${promString(jobIds.map(regexEscape).join('|'))}`;
}

/** `{"name", job="id"}` — the quoted-name selector, valid for any name. */
export function selector(name: string, jobIds: readonly string[]): string {
  return `{${promString(name)}, ${jobMatcher(jobIds)}}`;
}

/** A rate window that holds several samples even at fine steps (like Grafana's $__rate_interval). */
export function rateWindowSeconds(stepSeconds: number): number {
  return Math.max(60, Math.ceil(4 * stepSeconds));
}

/**
 * `metric.unit`: the family's own unit from its metadata (OpenMetrics UNIT, remote write, OTLP),
 * '' or absent when it has none; the plan's `unit` says what the drawn values are in.
 */
export function planChart(
  metric: { readonly name: string; readonly type: string; readonly unit?: string },
  jobIds: readonly string[],
  stepSeconds: number,
  opts: { readonly rawCounters: boolean },
): ChartPlan {
  const w = `${rateWindowSeconds(stepSeconds)}s`;
  const jm = jobMatcher(jobIds);
  const name = metric.name;
  const u = metric.unit ?? '';
  switch (metric.type) {
    case 'counter': {
      // Tolerate either spelling of the family: OpenMetrics exposes `x_total` for counter `x`.
      const base = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
      const sel = `{__name__=~${promString(`${regexEscape(base)}(_total)?`)}, ${jm}}`;
      if (opts.rawCounters)
        return { queries: [{ kind: 'minmax', selector: sel }], unit: u === '' ? 'total' : `${u}, total` };
      return {
        queries: [{ kind: 'value', expr: `rate(${sel}[${w}])` }],
        unit: u === '' ? 'per second' : `${u} per second`,
      };
    }
    case 'histogram': {
      const by = jobIds.length > 1 ? 'job, le' : 'le';
      const buckets = `sum by (${by}) (rate(${selector(`${name}_bucket`, jobIds)}[${w}]))`;
      return {
        queries: [0.5, 0.9, 0.99].map((q) => ({
          kind: 'value' as const,
          expr: `histogram_quantile(${q}, ${buckets})`,
          legend: `p${Math.round(q * 100)}`,
        })),
        unit: u === '' ? 'quantiles' : `quantiles, ${u}`,
      };
    }
    case 'summary':
      return {
        queries: [
          { kind: 'value', expr: `rate(${selector(`${name}_count`, jobIds)}[${w}])`, legend: 'count/s' },
          { kind: 'value', expr: `rate(${selector(`${name}_sum`, jobIds)}[${w}])`, legend: 'sum/s' },
        ],
        unit: 'per second',
      };
    default:
      return { queries: [{ kind: 'minmax', selector: selector(name, jobIds) }], unit: u };
  }
}

/** The label that tells the three downsampling answers apart in the combined query. */
export const AGG_LABEL = 'tally_agg';

/**
 * The three downsampling expressions of a `minmax` query, and all three as one query (one HTTP
 * round trip per chart): each branch marked by `label_replace` with AGG_LABEL, joined by `or`.
 */
export function minMaxExprs(
  sel: string,
  stepSeconds: number,
): { min: string; max: string; last: string; combined: string } {
  const r = `[${formatStep(stepSeconds)}]`;
  const e = {
    min: `min_over_time(${sel}${r})`,
    max: `max_over_time(${sel}${r})`,
    last: `last_over_time(${sel}${r})`,
  };
  const mark = (expr: string, agg: string): string =>
    `label_replace(${expr}, "${AGG_LABEL}", "${agg}", "", "")`;
  return { ...e, combined: `${mark(e.min, 'min')} or ${mark(e.max, 'max')} or ${mark(e.last, 'last')}` };
}

/** A PromQL duration for a step in seconds (milliseconds when fractional). */
export function formatStep(stepSeconds: number): string {
  return Number.isInteger(stepSeconds)
    ? `${stepSeconds}s`
    : `${Math.max(1, Math.round(stepSeconds * 1000))}ms`;
}
