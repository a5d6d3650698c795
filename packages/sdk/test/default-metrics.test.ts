import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectDefaultMetrics, Registry } from '../src/index.js';

const typeNames = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('# TYPE '))
    .map((l) => l.split(' ').slice(2, 4).join(' '));

describe('collectDefaultMetrics', () => {
  it("exposes prom-client's family names and types (apart from its deprecated handle/request gauges)", async () => {
    const tr = new Registry();
    collectDefaultMetrics({ register: tr });
    const pr = new prom.Registry();
    prom.collectDefaultMetrics({ register: pr });
    const ours = typeNames(await tr.metrics());
    const theirs = typeNames(await pr.metrics());
    // prom-client reads these through process._getActiveHandles/_getActiveRequests, Node internals
    // that nodejs_active_resources (process.getActiveResourcesInfo) replaces.
    const internals = [
      'nodejs_active_handles gauge',
      'nodejs_active_handles_total gauge',
      'nodejs_active_requests gauge',
      'nodejs_active_requests_total gauge',
    ];
    expect([...ours].sort()).toEqual(theirs.filter((t) => !internals.includes(t)).sort());
  });

  it('reads real values: CPU, memory, start time, fds, version, heap spaces, event-loop lag', async () => {
    const r = new Registry();
    collectDefaultMetrics({ register: r, prefix: 'app_', labels: { service: 'trainer' } });
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const text = await r.metrics();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    expect(value(/^app_process_cpu_seconds_total\{service="trainer"\} (\S+)$/m)).toBeGreaterThan(0);
    expect(value(/^app_process_resident_memory_bytes\{service="trainer"\} (\S+)$/m)).toBeGreaterThan(1e6);
    const start = value(/^app_process_start_time_seconds\{service="trainer"\} (\S+)$/m);
    expect(Math.abs(start - (Date.now() / 1000 - process.uptime()))).toBeLessThan(5);
    if (process.platform === 'linux') {
      expect(value(/^app_process_open_fds\{service="trainer"\} (\S+)$/m)).toBeGreaterThan(2);
      expect(value(/^app_process_max_fds\{service="trainer"\} (\S+)$/m)).toBeGreaterThan(10);
    }
    expect(text).toContain(`app_nodejs_version_info{major="${process.versions.node.split('.')[0]}",`);
    expect(text).toMatch(/^app_nodejs_heap_space_size_used_bytes\{service="trainer",space="old"\} \S+$/m);
    expect(value(/^app_nodejs_eventloop_lag_seconds\{service="trainer"\} (\S+)$/m)).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^# TYPE app_nodejs_gc_duration_seconds histogram$/m);
  });

  it('counts CPU time as a counter that only goes up between scrapes', async () => {
    const r = new Registry();
    collectDefaultMetrics({ register: r });
    const cpu = async () => Number(/^process_cpu_seconds_total (\S+)$/m.exec(await r.metrics())?.[1]);
    const first = await cpu();
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(await cpu()).toBeGreaterThanOrEqual(first);
  });

  it('refuses to register twice into one registry', () => {
    const r = new Registry();
    collectDefaultMetrics({ register: r });
    expect(() => collectDefaultMetrics({ register: r })).toThrow(/already been registered/);
  });
});
