import type { ValueType } from './ast.js';

/** A PromQL function's signature (Prometheus `parser.Functions`). */
export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** How many trailing arguments may be left out (-1: the last one repeats without limit). */
  readonly variadic: number;
  readonly returnType: ValueType;
}

const v = 'vector' as const;
const m = 'matrix' as const;
const s = 'scalar' as const;
const str = 'string' as const;

function def(name: string, argTypes: ValueType[], returnType: ValueType = v, variadic = 0): FunctionDef {
  return { name, argTypes, variadic, returnType };
}

const DEFS: FunctionDef[] = [
  def('abs', [v]),
  def('absent', [v]),
  def('absent_over_time', [m]),
  def('acos', [v]),
  def('acosh', [v]),
  def('asin', [v]),
  def('asinh', [v]),
  def('atan', [v]),
  def('atanh', [v]),
  def('avg_over_time', [m]),
  def('ceil', [v]),
  def('changes', [m]),
  def('clamp', [v, s, s]),
  def('clamp_max', [v, s]),
  def('clamp_min', [v, s]),
  def('cos', [v]),
  def('cosh', [v]),
  def('count_over_time', [m]),
  def('days_in_month', [v], v, 1),
  def('day_of_month', [v], v, 1),
  def('day_of_week', [v], v, 1),
  def('day_of_year', [v], v, 1),
  def('deg', [v]),
  def('delta', [m]),
  def('deriv', [m]),
  def('double_exponential_smoothing', [m, s, s]),
  def('exp', [v]),
  def('first_over_time', [m]),
  def('floor', [v]),
  def('histogram_avg', [v]),
  def('histogram_count', [v]),
  def('histogram_fraction', [s, s, v]),
  def('histogram_quantile', [s, v]),
  def('histogram_quantiles', [v, str, s], v, -1),
  def('histogram_stddev', [v]),
  def('histogram_stdvar', [v]),
  def('histogram_sum', [v]),
  def('hour', [v], v, 1),
  def('idelta', [m]),
  def('increase', [m]),
  def('info', [v, v], v, 1),
  def('irate', [m]),
  def('label_join', [v, str, str, str], v, -1),
  def('label_replace', [v, str, str, str, str]),
  def('last_over_time', [m]),
  def('ln', [v]),
  def('log10', [v]),
  def('log2', [v]),
  def('mad_over_time', [m]),
  def('max_over_time', [m]),
  def('min_over_time', [m]),
  def('minute', [v], v, 1),
  def('month', [v], v, 1),
  def('pi', [], s),
  def('predict_linear', [m, s]),
  def('present_over_time', [m]),
  def('quantile_over_time', [s, m]),
  def('rad', [v]),
  def('rate', [m]),
  def('resets', [m]),
  def('round', [v, s], v, 1),
  def('scalar', [v], s),
  def('sgn', [v]),
  def('sin', [v]),
  def('sinh', [v]),
  def('sort', [v]),
  def('sort_by_label', [v, str], v, -1),
  def('sort_by_label_desc', [v, str], v, -1),
  def('sort_desc', [v]),
  def('sqrt', [v]),
  def('stddev_over_time', [m]),
  def('stdvar_over_time', [m]),
  def('sum_over_time', [m]),
  def('tan', [v]),
  def('tanh', [v]),
  def('time', [], s),
  def('timestamp', [v]),
  def('ts_of_first_over_time', [m]),
  def('ts_of_last_over_time', [m]),
  def('ts_of_max_over_time', [m]),
  def('ts_of_min_over_time', [m]),
  def('vector', [s]),
  def('year', [v], v, 1),
];

/** Every function the parser knows, by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(DEFS.map((d) => [d.name, d]));
