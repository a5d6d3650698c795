import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge } from '../metrics/gauge.js';
import type { CollectorContext } from './default-metrics-config.js';

/**
 * nodejs_eventloop_lag_seconds (how late a `setImmediate` scheduled at collection runs) and
 * the min, max, mean, stddev, p50, p90, p99 of the event-loop delay since the last collection
 * (`perf_hooks.monitorEventLoopDelay`), as prom-client exposes them.
 */
export function eventLoopLag(ctx: CollectorContext, resolutionMs: number): void {
  const { registry, prefix, labels, labelNames } = ctx;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const opts = { labelNames, registers: [registry] };
  const stat = (suffix: string, help: string) =>
    new Gauge({ name: `${prefix}nodejs_eventloop_lag_${suffix}_seconds`, help, ...opts });
  const stats = {
    min: stat('min', 'The minimum recorded event loop delay.'),
    max: stat('max', 'The maximum recorded event loop delay.'),
    mean: stat('mean', 'The mean of the recorded event loop delays.'),
    stddev: stat('stddev', 'The standard deviation of the recorded event loop delays.'),
    p50: stat('p50', 'The 50th percentile of the recorded event loop delays.'),
    p90: stat('p90', 'The 90th percentile of the recorded event loop delays.'),
    p99: stat('p99', 'The 99th percentile of the recorded event loop delays.'),
  };
  new Gauge({
    name: `${prefix}nodejs_eventloop_lag_seconds`,
    help: 'Lag of event loop in seconds.',
    ...opts,
    async collect() {
      const start = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
      this.set(labels, (performance.now() - start) / 1000);
      // The delay histogram is in nanoseconds; it is empty (NaN/huge min) until a sample lands.
      if (histogram.count > 0) {
        stats.min.set(labels, histogram.min / 1e9);
        stats.max.set(labels, histogram.max / 1e9);
        stats.mean.set(labels, histogram.mean / 1e9);
        stats.stddev.set(labels, histogram.stddev / 1e9);
        stats.p50.set(labels, histogram.percentile(50) / 1e9);
        stats.p90.set(labels, histogram.percentile(90) / 1e9);
        stats.p99.set(labels, histogram.percentile(99) / 1e9);
      }
      histogram.reset();
    },
  });
}
