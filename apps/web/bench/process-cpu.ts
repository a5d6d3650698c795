// CPU seconds (user + system) used by a tree of processes, read from /proc: the benchmark's
// browser figures are CPU time, which a busy machine inflates far less than wall time.

import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, cpuSeconds: (utime + stime) / TICKS_PER_SECOND };
  } catch {
    return undefined; // gone, or not Linux
  }
}

function processType(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
  } catch {
    return 'gone';
  }
}

/** CPU seconds of `rootPid`'s descendants by Chromium process type (renderer, gpu-process, …). */
export function descendantsCpuByType(
  rootPid: number,
  exclude: readonly number[] = [],
): Record<string, number> {
  const out: Record<string, number> = {};
  forDescendants(rootPid, exclude, (s) => {
    const t = processType(s.pid);
    out[t] = (out[t] ?? 0) + s.cpuSeconds;
  });
  return out;
}

/** CPU seconds of `rootPid`'s descendants (not itself), skipping the subtrees of `exclude`. */
export function descendantsCpuSeconds(rootPid: number, exclude: readonly number[] = []): number {
  let total = 0;
  forDescendants(rootPid, exclude, (s) => (total += s.cpuSeconds));
  return total;
}

function forDescendants(rootPid: number, exclude: readonly number[], visit: (s: ProcStat) => void): void {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) all.push(s);
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const skip = new Set(exclude);
  const walk = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      if (skip.has(c.pid)) continue;
      visit(c);
      walk(c.pid);
    }
  };
  walk(rootPid);
}

/** CPU seconds of one process and its descendants. */
export function treeCpuSeconds(pid: number): number {
  return (readStat(pid)?.cpuSeconds ?? 0) + descendantsCpuSeconds(pid);
}
