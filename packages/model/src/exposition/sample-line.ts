// Low-level line writers shared by the family writers and the SDK's fast serialiser. Every
// byte the family writers emit comes from these functions, so output is identical whichever
// path wrote it.
import type { Labels } from '../labels.js';
import { escapeLabelValue } from './escape.js';
import { formatFloat, formatOpenMetricsFloat } from './format-float.js';

function isLegacyName(name: string, allowColon: boolean): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) || // a-z
      (c >= 0x41 && c <= 0x5a) || // A-Z
      c === 0x5f || // _
      (allowColon && c === 0x3a) || // :
      (i > 0 && c >= 0x30 && c <= 0x39); // 0-9
    if (!ok) return false;
  }
  return true;
}

/**
 * A metric name as written on a HELP/TYPE line: unchanged when it is a valid legacy Prometheus
 * name, otherwise quoted (`"my-metric"`), the UTF-8 name syntax of Prometheus 3 / expfmt.
 */
export function formatMetricName(name: string): string {
  return isLegacyName(name, true) ? name : `"${escapeLabelValue(name)}"`;
}

/** A label name, quoted when it is not a valid legacy label name. */
export function formatLabelName(name: string): string {
  return isLegacyName(name, false) ? name : `"${escapeLabelValue(name)}"`;
}

/**
 * `a="1",b="x\"y"` — the label pairs of a sample without braces, so a caller can cache it per
 * series and append `le`/`quantile` with {@link formatSampleLabels}.
 */
export function formatLabelPairs(labels: Labels): string {
  let out = '';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (i > 0) out += ',';
    out += `${formatLabelName(l.name)}="${escapeLabelValue(l.value)}"`;
  }
  return out;
}

/**
 * The name-and-labels part of a sample line: `name`, `name{pairs}`, or, for a name that needs
 * quoting, `{"my-name",pairs}`. `pairs` is a {@link formatLabelPairs} result (may be empty);
 * `extra` is an already formatted extra pair such as `le="0.5"`.
 */
export function formatSeries(name: string, pairs: string, extra?: string): string {
  const all = extra === undefined || extra === '' ? pairs : pairs === '' ? extra : `${pairs},${extra}`;
  if (isLegacyName(name, true)) return all === '' ? name : `${name}{${all}}`;
  const quoted = `"${escapeLabelValue(name)}"`;
  return all === '' ? `{${quoted}}` : `{${quoted},${all}}`;
}

/** `1700000000123` → `1700000000123`: the integer milliseconds of the text format. */
function formatTimestampMs(timestampMs: number): string {
  return String(Math.trunc(timestampMs));
}

/** A sample line of the Prometheus text format 0.0.4, newline included. */
export function prometheusSampleLine(series: string, value: number, timestampMs?: number): string {
  return timestampMs === undefined
    ? `${series} ${formatFloat(value)}\n`
    : `${series} ${formatFloat(value)} ${formatTimestampMs(timestampMs)}\n`;
}

/**
 * OpenMetrics timestamps are seconds: `1700000000123` ms → `1700000000.123`. Written in plain
 * decimal from the integer milliseconds (exact, no float rounding), as Python's client writes
 * them: Python's reference parser misreads the exponent form Go's expfmt writes
 * (`1.700000000123e+09` → 1.7 s).
 */
export function formatOpenMetricsTimestamp(timestampMs: number): string {
  const ms = Math.trunc(timestampMs);
  if (!(Math.abs(ms) < 1e15)) return formatFloat(ms / 1000);
  const abs = ms < 0 ? -ms : ms;
  const seconds = Math.floor(abs / 1000);
  const rest = abs - seconds * 1000;
  const sign = ms < 0 ? '-' : '';
  if (rest === 0) return `${sign}${seconds}`;
  const fraction = String(rest + 1000)
    .slice(1)
    .replace(/0+$/, '');
  return `${sign}${seconds}.${fraction}`;
}

/** An exemplar suffix ` # {labels} value [timestamp]` for an OpenMetrics sample line. */
export function formatExemplar(labels: Labels, value: number, timestampMs?: number): string {
  const base = ` # {${formatLabelPairs(labels)}} ${formatOpenMetricsFloat(value)}`;
  return timestampMs === undefined ? base : `${base} ${formatOpenMetricsTimestamp(timestampMs)}`;
}

/**
 * A sample line of OpenMetrics 1.0, newline included. `exemplar` is a {@link formatExemplar}
 * result (OpenMetrics allows it on counter `_total` and histogram `_bucket` samples only).
 */
export function openMetricsSampleLine(
  series: string,
  value: number,
  timestampMs?: number,
  exemplar?: string,
): string {
  let line = `${series} ${formatOpenMetricsFloat(value)}`;
  if (timestampMs !== undefined) line += ` ${formatOpenMetricsTimestamp(timestampMs)}`;
  if (exemplar !== undefined) line += exemplar;
  return `${line}\n`;
}
