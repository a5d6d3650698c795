import { getHeapSpaceStatistics } from 'node:v8';
import { Gauge } from '../metrics/gauge.js';
import type { CollectorContext } from './default-metrics-config.js';

/** nodejs_heap_size_total_bytes, nodejs_heap_size_used_bytes, nodejs_external_memory_bytes. */
export function nodejsHeap(ctx: CollectorContext): void {
  const { registry, prefix, labels, labelNames } = ctx;
  const opts = { labelNames, registers: [registry] };
  const used = new Gauge({
    name: `${prefix}nodejs_heap_size_used_bytes`,
    help: 'Process heap size used from Node.js in bytes.',
    ...opts,
  });
  const external = new Gauge({
    name: `${prefix}nodejs_external_memory_bytes`,
    help: 'Node.js external memory size in bytes.',
    ...opts,
  });
  new Gauge({
    name: `${prefix}nodejs_heap_size_total_bytes`,
    help: 'Process heap size from Node.js in bytes.',
    ...opts,
    collect() {
      const m = process.memoryUsage();
      this.set(labels, m.heapTotal);
      used.set(labels, m.heapUsed);
      external.set(labels, m.external);
    },
  });
}

/** nodejs_heap_space_size_{total,used,available}_bytes{space}, from `v8.getHeapSpaceStatistics()`. */
export function nodejsHeapSpaces(ctx: CollectorContext): void {
  const { registry, prefix, labels, labelNames } = ctx;
  const opts = { labelNames: [...labelNames, 'space'], registers: [registry] };
  const used = new Gauge({
    name: `${prefix}nodejs_heap_space_size_used_bytes`,
    help: 'Process heap space size used from Node.js in bytes.',
    ...opts,
  });
  const available = new Gauge({
    name: `${prefix}nodejs_heap_space_size_available_bytes`,
    help: 'Process heap space size available from Node.js in bytes.',
    ...opts,
  });
  new Gauge({
    name: `${prefix}nodejs_heap_space_size_total_bytes`,
    help: 'Process heap space size total from Node.js in bytes.',
    ...opts,
    collect() {
      for (const s of getHeapSpaceStatistics()) {
        const space = { ...labels, space: s.space_name.replace(/_space$/, '') };
        this.set(space, s.space_size);
        used.set(space, s.space_used_size);
        available.set(space, s.space_available_size);
      }
    },
  });
}

/** nodejs_version_info{version,major,minor,patch} 1. */
export function nodejsVersion(ctx: CollectorContext): void {
  const [major, minor, patch] = process.versions.node.split('.');
  new Gauge({
    name: `${ctx.prefix}nodejs_version_info`,
    help: 'Node.js version info.',
    labelNames: [...ctx.labelNames, 'version', 'major', 'minor', 'patch'],
    registers: [ctx.registry],
  }).set(
    { ...ctx.labels, version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' },
    1,
  );
}

type ResourceCounts = Map<string, number>;

function countBy(names: readonly string[]): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

/** nodejs_active_resources{type} and nodejs_active_resources_total, from `process.getActiveResourcesInfo()`. */
export function nodejsActiveResources(ctx: CollectorContext): void {
  const { registry, prefix, labels, labelNames } = ctx;
  const total = new Gauge({
    name: `${prefix}nodejs_active_resources_total`,
    help: 'Total number of active resources.',
    labelNames,
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}nodejs_active_resources`,
    help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    labelNames: [...labelNames, 'type'],
    registers: [registry],
    collect() {
      const info = process.getActiveResourcesInfo();
      this.reset();
      for (const [type, n] of countBy(info)) this.set({ ...labels, type }, n);
      total.set(labels, info.length);
    },
  });
}
