import { isSeedName, isValidMetricName } from '@tally/model';

/**
 * A StatsD metric name as a Tally metric name. statsd_exporter maps every character outside
 * `[A-Za-z0-9_]` to `_` (`my.metric` → `my_metric`); Tally does the same except for `-`,
 * which the seed allows in metric names (`testMetric-1` stays as sent; PromQL reaches it as
 * `{"testMetric-1"}`). Undefined when the result is still not a usable name.
 */
export function statsdMetricName(raw: string): string | undefined {
  const name = raw.replace(/[^A-Za-z0-9_:-]/g, '_');
  if (isValidMetricName(name) || isSeedName(name)) return name;
  const prefixed = '_' + name;
  return isValidMetricName(prefixed) ? prefixed : undefined;
}
