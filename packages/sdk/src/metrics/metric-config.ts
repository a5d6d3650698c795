import { isValidLabelName, isValidMetricName } from '@tally/model';
import type { Registry } from '../registry/registry.js';

/** prom-client's config object, plus Tally's series limit and error hook. */
export interface MetricConfig<L extends string, M = never> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /** Registries to register with; default `[register]`, `[]` for none. */
  readonly registers?: readonly Registry[];
  /** Most label sets kept (default 10 000); past it new label sets are refused and counted. */
  readonly maxSeries?: number;
  /** Where background problems go (the series limit); default `process.emitWarning`. */
  readonly onError?: (error: Error) => void;
  /** Called before every collection (prom-client's `collect`), with `this` bound to the metric. */
  readonly collect?: (this: M) => void | Promise<void>;
  /** prom-client's cluster aggregator name; kept for `get()`, not used otherwise. */
  readonly aggregator?: string;
  /** prom-client's switch to the `{ labels, value, exemplarLabels }` call form. */
  readonly enableExemplars?: boolean;
}

export const DEFAULT_MAX_SERIES = 10_000;

/** The seed's positional form (`'name', 'help', ['a', 'b']`) or a config object, as one config. */
export function configFrom<L extends string, C extends MetricConfig<L>>(
  kind: string,
  nameOrConfig: string | C,
  help: string | undefined,
  labelNames: readonly L[] | undefined,
  options: Partial<C> | undefined,
): C {
  const config =
    typeof nameOrConfig === 'string'
      ? ({
          ...options,
          name: nameOrConfig,
          help,
          labelNames: labelNames ?? options?.labelNames,
        } as unknown as C)
      : nameOrConfig;
  if (typeof config !== 'object' || config === null)
    throw new TypeError(`${kind}: expected a name or a config object`);
  if (typeof config.name !== 'string' || config.name === '')
    throw new Error(`${kind}: missing mandatory name`);
  if (!isValidMetricName(config.name)) {
    throw new Error(
      `${kind} ${JSON.stringify(config.name)}: invalid metric name (must match [a-zA-Z_:][a-zA-Z0-9_:]*)`,
    );
  }
  if (typeof config.help !== 'string') throw new Error(`${kind} ${config.name}: missing mandatory help`);
  const max = config.maxSeries ?? DEFAULT_MAX_SERIES;
  if (!(max >= 1))
    throw new Error(`${kind} ${config.name}: maxSeries must be at least 1, got ${String(max)}`);
  return config;
}

/** Checks label names: valid, not reserved (`__…`, or a name the type adds itself), no duplicates. */
export function checkLabelNames(
  kind: string,
  metricName: string,
  labelNames: readonly string[],
  reserved: readonly string[],
): void {
  const seen = new Set<string>();
  for (const name of labelNames) {
    if (typeof name !== 'string' || !isValidLabelName(name)) {
      throw new Error(`${kind} ${metricName}: invalid label name ${JSON.stringify(name)}`);
    }
    if (name.startsWith('__'))
      throw new Error(`${kind} ${metricName}: label name "${name}" is reserved (starts with __)`);
    if (reserved.includes(name))
      throw new Error(`${kind} ${metricName}: label name "${name}" is reserved for ${kind}`);
    if (seen.has(name)) throw new Error(`${kind} ${metricName}: duplicate label name "${name}"`);
    seen.add(name);
  }
}
