import type { LoggerMetric, MetricsLogger } from './metrics-logger.js';

/**
 * `logger[name]` for the metrics added by name, as in gradient-utils (`logger["Gauge"].set(5)`).
 * The logger's own members win: a metric named like a method is reached with `get(name)`.
 */
export function metricsLoggerProxy(logger: MetricsLogger): MetricsLogger {
  return new Proxy(logger, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && target.has(key)) return target.get(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    set(target, key, value, receiver) {
      if (typeof key !== 'string' || key in target) return Reflect.set(target, key, value, receiver);
      target.assign(key, value);
      return true;
    },
    has(target, key) {
      return (typeof key === 'string' && target.has(key)) || Reflect.has(target, key);
    },
  });
}

/** The meaning of `logger[name] = value`. */
export function assignToMetric(metric: LoggerMetric | undefined, name: string, value: unknown): void {
  const where = `logger[${JSON.stringify(name)}] = ${String(value)}`;
  if (metric === undefined) {
    throw new TypeError(
      `${where}: no metric named ${JSON.stringify(name)}; call logger.addGauge(${JSON.stringify(name)}) first`,
    );
  }
  switch (metric.type) {
    case 'gauge':
      if (typeof value !== 'number') throw new TypeError(`${where}: a gauge is set to a number`);
      metric.set(value);
      return;
    case 'counter':
      throw new TypeError(
        `${where}: a counter only goes up; use logger[${JSON.stringify(name)}].inc(${String(value)})`,
      );
    default:
      throw new TypeError(
        `${where}: a ${metric.type} records observations; use logger[${JSON.stringify(name)}].observe(${String(value)})`,
      );
  }
}
