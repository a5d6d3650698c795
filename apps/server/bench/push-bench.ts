import { send } from './http-send.js';
import type { Target } from './peers.js';

/** A text exposition of `families` gauge families × `perFamily` series (2 labels each). */
export function exposition(families: number, perFamily: number, seed = 0): string {
  let out = '';
  for (let f = 0; f < families; f++) {
    out += `# HELP bench_metric_${f} Benchmark family ${f}.\n# TYPE bench_metric_${f} gauge\n`;
    for (let s = 0; s < perFamily; s++)
      out += `bench_metric_${f}{shard="${s % 16}",series="${s}"} ${(s * 7 + seed) % 1000}\n`;
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timedPut(t: Target, body: string): Promise<number> {
  const start = performance.now();
  const res = await send(`${t.url}/metrics/job/bench_big/instance/i1`, 'PUT', body);
  if (res.status !== 200) throw new Error(`${t.name}: PUT answered ${res.status}`);
  return performance.now() - start;
}

/**
 * PUT one 10 000-series exposition `rounds` times into one group of each target (after 3
 * warm-up PUTs), the targets taking turns PUT by PUT — so on a machine whose load changes
 * minute to minute each target's percentiles come from the same moments. Latency in ms.
 */
export async function bigPut(
  targets: readonly Target[],
  rounds: number,
): Promise<{ p50: number; p90: number }[]> {
  const bodies = [0, 1].map((seed) => exposition(100, 100, seed));
  const times = targets.map((): number[] => []);
  for (let i = 0; i < rounds + 3; i++) {
    // Alternate who goes first, so neither always follows the other's PUT.
    for (let k = 0; k < targets.length; k++) {
      const j = (k + i) % targets.length;
      const ms = await timedPut(targets[j]!, bodies[i % 2]!);
      if (i >= 3) times[j]!.push(ms);
    }
  }
  return times.map((ts) => {
    ts.sort((a, b) => a - b);
    return { p50: percentile(ts, 50), p90: percentile(ts, 90) };
  });
}

/**
 * 100-series PUTs into `groups` distinct groups, `inFlight` concurrent; pushes per second. With
 * `warmupPushes`, that many PUTs into other groups (deleted again, so the measured run starts
 * from zero groups) go first: a running server has long compiled its push path, which on a
 * fresh Node process is a large part of the first thousand pushes.
 */
export async function manyGroups(
  t: Target,
  groups: number,
  inFlight: number,
  warmupPushes = 0,
): Promise<number> {
  const body = exposition(10, 10);
  const each = async (count: number, fn: (g: number) => Promise<void>): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let g = next++; g < count; g = next++) await fn(g);
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  };
  const put = (job: string) => async (g: number) => {
    const res = await send(`${t.url}/metrics/job/${job}/group/${g}`, 'PUT', body);
    if (res.status !== 200) throw new Error(`${t.name}: PUT answered ${res.status}: group ${g}`);
  };
  if (warmupPushes > 0) {
    await each(warmupPushes, put('bench_warmup'));
    await each(warmupPushes, async (g) => {
      const res = await send(`${t.url}/metrics/job/bench_warmup/group/${g}`, 'DELETE', '');
      if (res.status !== 202 && res.status !== 200)
        throw new Error(`${t.name}: DELETE answered ${res.status}`);
    });
  }
  const start = performance.now();
  await each(groups, put('bench_groups'));
  return groups / ((performance.now() - start) / 1000);
}
