import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Histogram } from '../metrics/histogram.js';
import type { CollectorContext } from './default-metrics-config.js';

const KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export const DEFAULT_GC_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];

/** nodejs_gc_duration_seconds{kind}: every garbage collection, observed through `PerformanceObserver`. */
export function gcDuration(ctx: CollectorContext, buckets: readonly number[]): void {
  const histogram = new Histogram({
    name: `${ctx.prefix}nodejs_gc_duration_seconds`,
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: [...ctx.labelNames, 'kind'],
    buckets,
    registers: [ctx.registry],
  });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = KINDS[detail?.kind ?? -1] ?? 'unknown';
      histogram.observe({ ...ctx.labels, kind }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}
