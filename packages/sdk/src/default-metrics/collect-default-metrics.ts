import { register as defaultRegister } from '../registry/default-registry.js';
import type { DefaultMetricsConfig } from './default-metrics-config.js';
import { eventLoopLag } from './event-loop-lag.js';
import { DEFAULT_GC_BUCKETS, gcDuration } from './gc-duration.js';
import { nodejsActiveResources, nodejsHeap, nodejsHeapSpaces, nodejsVersion } from './nodejs-metrics.js';
import { processCpu, processFds, processMemory, processStartTime } from './process-metrics.js';

/**
 * Registers the process and Node.js runtime metrics, under prom-client's family names so
 * existing dashboards keep working: CPU, memory, open and max file descriptors, start time,
 * event-loop lag, GC durations, heap and heap spaces, active resources, Node.js version.
 * Values are read when the registry is collected; GC and event-loop delay are observed in the
 * background. Calling it twice on one registry is an error (the names are taken).
 *
 * @example
 * collectDefaultMetrics();                                   // into the default registry
 * collectDefaultMetrics({ register: mine, prefix: 'app_' }); // or your own
 */
export function collectDefaultMetrics(config: DefaultMetricsConfig = {}): void {
  const labels = config.labels ?? {};
  const ctx = {
    registry: config.register ?? defaultRegister,
    prefix: config.prefix ?? '',
    labels,
    labelNames: Object.keys(labels),
  };
  processCpu(ctx);
  processStartTime(ctx);
  processMemory(ctx);
  processFds(ctx);
  eventLoopLag(ctx, config.eventLoopMonitoringPrecision ?? 10);
  nodejsActiveResources(ctx);
  nodejsHeap(ctx);
  nodejsHeapSpaces(ctx);
  nodejsVersion(ctx);
  gcDuration(ctx, config.gcDurationBuckets ?? DEFAULT_GC_BUCKETS);
}
