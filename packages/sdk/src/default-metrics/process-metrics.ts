import { readdirSync, readFileSync } from 'node:fs';
import { Counter } from '../metrics/counter.js';
import { Gauge } from '../metrics/gauge.js';
import type { CollectorContext } from './default-metrics-config.js';

/** process_cpu_{user,system}_seconds_total and process_cpu_seconds_total, from `process.cpuUsage()`. */
export function processCpu(ctx: CollectorContext): void {
  const { registry, prefix, labels, labelNames } = ctx;
  let last = process.cpuUsage();
  const opts = { labelNames, registers: [registry] };
  const user = new Counter({
    name: `${prefix}process_cpu_user_seconds_total`,
    help: 'Total user CPU time spent in seconds.',
    ...opts,
  });
  const system = new Counter({
    name: `${prefix}process_cpu_system_seconds_total`,
    help: 'Total system CPU time spent in seconds.',
    ...opts,
  });
  new Counter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'Total user and system CPU time spent in seconds.',
    ...opts,
    collect() {
      const now = process.cpuUsage();
      const userSeconds = (now.user - last.user) / 1e6;
      const systemSeconds = (now.system - last.system) / 1e6;
      last = now;
      user.inc(labels, userSeconds);
      system.inc(labels, systemSeconds);
      this.inc(labels, userSeconds + systemSeconds);
    },
  });
}

/** process_start_time_seconds: when the process started, in Unix seconds. */
export function processStartTime(ctx: CollectorContext): void {
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  const g = new Gauge({
    name: `${ctx.prefix}process_start_time_seconds`,
    help: 'Start time of the process since unix epoch in seconds.',
    labelNames: ctx.labelNames,
    registers: [ctx.registry],
  });
  g.set(ctx.labels, startSeconds);
}

/** Reads `Vm…` fields of /proc/self/status in bytes (Linux), or undefined elsewhere. */
function procStatus(): Map<string, number> | undefined {
  try {
    const out = new Map<string, number>();
    for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
      const m = /^(Vm\w+):\s+(\d+) kB$/.exec(line);
      if (m) out.set(m[1]!, Number(m[2]) * 1024);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** process_resident_memory_bytes everywhere; process_virtual_memory_bytes and process_heap_bytes on Linux. */
export function processMemory(ctx: CollectorContext): void {
  const { registry, prefix, labels, labelNames } = ctx;
  const opts = { labelNames, registers: [registry] };
  const linux = procStatus() !== undefined;
  const virtual = linux
    ? new Gauge({
        name: `${prefix}process_virtual_memory_bytes`,
        help: 'Virtual memory size in bytes.',
        ...opts,
      })
    : undefined;
  const heap = linux
    ? new Gauge({ name: `${prefix}process_heap_bytes`, help: 'Process heap size in bytes.', ...opts })
    : undefined;
  new Gauge({
    name: `${prefix}process_resident_memory_bytes`,
    help: 'Resident memory size in bytes.',
    ...opts,
    collect() {
      const status = linux ? procStatus() : undefined;
      this.set(labels, status?.get('VmRSS') ?? process.memoryUsage.rss());
      if (status?.has('VmSize')) virtual?.set(labels, status.get('VmSize')!);
      if (status?.has('VmData')) heap?.set(labels, status.get('VmData')!);
    },
  });
}

/** process_open_fds and process_max_fds (Linux: /proc/self/fd and /proc/self/limits). */
export function processFds(ctx: CollectorContext): void {
  if (process.platform !== 'linux') return;
  const { registry, prefix, labels, labelNames } = ctx;
  new Gauge({
    name: `${prefix}process_open_fds`,
    help: 'Number of open file descriptors.',
    labelNames,
    registers: [registry],
    collect() {
      try {
        // readdir itself holds one descriptor open while it reads.
        this.set(labels, readdirSync('/proc/self/fd').length - 1);
      } catch {
        // /proc unavailable (a sandbox): leave the last value.
      }
    },
  });
  let max: number | undefined;
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) max = Number(m[1]);
  } catch {
    max = undefined;
  }
  if (max !== undefined) {
    new Gauge({
      name: `${prefix}process_max_fds`,
      help: 'Maximum number of open file descriptors.',
      labelNames,
      registers: [registry],
    }).set(labels, max);
  }
}
