// OTLP metric names to Prometheus names, as Prometheus' OTLP receiver builds them
// (prometheus/otlptranslator MetricNamer and UnitNamer; checked against its test table in
// ../shared/corpora/otlp/otlp_naming.json). Tally uses the receiver's default strategy,
// UnderscoreEscapingWithSuffixes: `{ utf8Allowed: false, withMetricSuffixes: true }`.

export type OtlpMetricType =
  | 'gauge'
  | 'monotonic_counter'
  | 'non_monotonic_counter'
  | 'histogram'
  | 'exponential_histogram'
  | 'summary'
  | 'unknown';

export interface MetricNamerOptions {
  readonly namespace: string;
  readonly utf8Allowed: boolean;
  readonly withMetricSuffixes: boolean;
}

export const PROMETHEUS_OTLP_DEFAULT: MetricNamerOptions = {
  namespace: '',
  utf8Allowed: false,
  withMetricSuffixes: true,
};

/** The name could not be made a valid metric name. */
export class OtlpNameError extends Error {
  override readonly name = 'OtlpNameError';
}

// OTel UCUM units (semantic conventions) to Prometheus words.
const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};
const PER_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

const INVALID_METRIC_CHAR = /[^a-zA-Z0-9:_]/u;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Splits at every character `isSeparator` accepts, dropping empty pieces (Go strings.FieldsFunc). */
function fields(s: string, isSeparator: (c: string) => boolean): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (isSeparator(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Main and per unit words of an OTel unit (`By/s` → `bytes`, `per_second`); `{…}` annotations dropped. */
function unitSuffixes(unit: string): [main: string, per: string] {
  const slash = unit.indexOf('/');
  const mainOtel = (slash === -1 ? unit : unit.slice(0, slash)).trim();
  const perOtel = slash === -1 ? '' : unit.slice(slash + 1).trim();
  const main = mainOtel !== '' && !/[{}]/.test(mainOtel) ? (UNITS[mainOtel] ?? mainOtel) : '';
  let per = perOtel !== '' && !/[{}]/.test(perOtel) ? (PER_UNITS[perOtel] ?? perOtel) : '';
  if (per !== '') per = `per_${per}`;
  return [main, per];
}

/** Invalid characters to `_`, runs of `_` to one, no leading `_`. */
function cleanUpUnit(unit: string): string {
  return unit
    .replace(/[^a-zA-Z0-9:]/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_/, '');
}

/** The unit word Prometheus appends for an OTel unit (otlptranslator UnitNamer). */
export function buildUnitName(unit: string, utf8Allowed: boolean): string {
  let [main, per] = unitSuffixes(unit);
  if (!utf8Allowed) {
    main = cleanUpUnit(main);
    per = cleanUpUnit(per);
  }
  let u = main !== '' && per !== '' ? `${main}_${per}` : main !== '' ? main : per;
  if (u.startsWith('_')) u = u.slice(1);
  if (u.endsWith('_')) u = u.slice(0, -1);
  return u;
}

/** The Prometheus metric name of an OTLP metric; throws {@link OtlpNameError} when none is valid. */
export function buildMetricName(
  name: string,
  unit: string,
  type: OtlpMetricType,
  opts: MetricNamerOptions = PROMETHEUS_OTLP_DEFAULT,
): string {
  if (opts.utf8Allowed) return utf8Name(name, unit, type, opts);
  const normalized = opts.withMetricSuffixes
    ? normalizeWithSuffixes(name, unit, type, opts.namespace)
    : normalizeSimple(name, opts.namespace);
  if (normalized === '')
    throw new OtlpNameError(`normalization for metric ${JSON.stringify(name)} resulted in empty name`);
  if (normalized !== name && /^_+$/.test(normalized)) {
    throw new OtlpNameError(
      `normalization for metric ${JSON.stringify(name)} resulted in invalid name ${JSON.stringify(normalized)}`,
    );
  }
  return normalized;
}

function normalizeSimple(name: string, namespace: string): string {
  const isInvalid = (c: string): boolean => INVALID_METRIC_CHAR.test(c);
  const metricName = fields(name, isInvalid).join('_');
  if (namespace !== '') return `${fields(namespace, isInvalid).join('_')}_${metricName}`;
  return isDigit(metricName[0]) ? `_${metricName}` : metricName;
}

function normalizeWithSuffixes(name: string, unit: string, type: OtlpMetricType, namespace: string): string {
  // Underscores separate tokens too, so runs of them collapse (OTel–Prometheus compatibility spec).
  const isSeparator = (c: string): boolean => c === '_' || INVALID_METRIC_CHAR.test(c);
  let tokens = fields(name, isSeparator);
  const [main, per] = unitSuffixes(unit);
  const mainWord = cleanUpUnit(main);
  const perWord = cleanUpUnit(per);
  if (mainWord !== '' && !tokens.includes(mainWord)) tokens.push(mainWord);
  if (perWord !== '' && !tokens.includes(perWord)) tokens.push(perWord);
  if (type === 'monotonic_counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && type === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  if (namespace !== '') tokens.unshift(fields(namespace, isSeparator).join('_'));
  const joined = tokens.join('_');
  return isDigit(joined[0]) ? `_${joined}` : joined;
}

function utf8Name(name: string, unit: string, type: OtlpMetricType, opts: MetricNamerOptions): string {
  let out = opts.namespace !== '' ? `${opts.namespace}_${name}` : name;
  if (!opts.withMetricSuffixes) return out;
  const ratio = unit === '1' && type === 'gauge';
  const total = type === 'monotonic_counter';
  if (ratio) out = trimSuffix(out, 'ratio');
  if (total) out = trimSuffix(out, 'total');
  const u = buildUnitName(unit, true);
  if (u !== '' && !out.endsWith(`_${u}`) && out !== u) out = `${out}_${u}`;
  if (total) out += '_total';
  if (ratio) out += '_ratio';
  return out;
}

function trimSuffix(name: string, word: string): string {
  return name.endsWith(`_${word}`) ? name.slice(0, -(word.length + 1)) : name;
}
