import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, startPeer, tempDir, which, type RunningPeer } from '../../../test-support/peers.js';
import { shebangNodeFlags } from '../src/cli/node-flags.js';

// The built server, as users run it (`npm start`): the bench scripts build first. From sources
// through tsx, every worker thread would compile its modules again while it is being measured.
const MAIN = resolve(import.meta.dirname, '../dist/cli/main.js');

export interface Target {
  readonly name: string;
  readonly url: string;
  readonly statsdPort?: number;
  readonly pid?: number | undefined;
  /** CPU seconds (user + system) the target's process has used so far, from /proc. */
  cpuSeconds(): number;
  /**
   * The same for its main thread alone: the rest is its other threads — for Node, the
   * block-writer thread, libuv's pool and V8's (the optimizing compiler and the collector).
   */
  mainThreadCpuSeconds(): number;
  stop(): Promise<void>;
}

/** Modification time of the newest source file the server is built from. */
function newestSource(): number {
  const root = resolve(import.meta.dirname, '../../..');
  let newest = 0;
  for (const dir of ['apps/server/src', ...readdirSync(`${root}/packages`).map((p) => `packages/${p}/src`)]) {
    if (!existsSync(`${root}/${dir}`)) continue;
    for (const f of readdirSync(`${root}/${dir}`, { recursive: true, encoding: 'utf8' }))
      if (f.endsWith('.ts') && !f.endsWith('.test.ts'))
        newest = Math.max(newest, statSync(`${root}/${dir}/${f}`).mtimeMs);
  }
  return newest;
}

/** User + system CPU seconds of `pid` and its threads, or of its main thread alone (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(pid: number | undefined, mainThread = false): number {
  try {
    const path = mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    // Fields 14 and 15 (utime, stime) in clock ticks; index 11 and 12 after the comm field.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** tally serve in its own process (embedded TSDB, temp data dir), as users run it. */
export async function startTally(extra: string[] = []): Promise<Target> {
  if (!existsSync(MAIN) || newestSource() > statSync(MAIN).mtimeMs)
    throw new Error(`${MAIN} is missing or older than the sources: run npm run build first`);
  const dir = tempDir('bench-tally');
  const port = await freePort();
  const statsdPort = await freePort();
  const peer = await startPeer({
    command: process.execPath,
    args: [
      // The flags `tally` runs with (its shebang line); TALLY_BENCH_NODE_ARGS adds more (e.g.
      // "--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server).
      ...shebangNodeFlags(MAIN),
      ...(process.env['TALLY_BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      MAIN,
      'serve',
      '--data-dir',
      dir.path,
      '--listen',
      `127.0.0.1:${port}`,
      '--statsd-listen',
      `127.0.0.1:${statsdPort}`,
      '--log-level',
      'error',
      ...extra,
    ],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
    timeoutMs: 60_000,
  });
  return {
    name: 'tally',
    url: peer.url,
    statsdPort,
    pid: peer.process.pid,
    cpuSeconds: () => cpuSecondsOf(peer.process.pid),
    mainThreadCpuSeconds: () => cpuSecondsOf(peer.process.pid, true),
    stop: stopAndRemove(peer, dir),
  };
}

export async function startPushgateway(): Promise<Target | undefined> {
  if (!which('prometheus-pushgateway')) return undefined;
  const dir = tempDir('bench-pgw');
  const port = await freePort();
  const peer = await startPeer({
    command: 'prometheus-pushgateway',
    args: [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${dir.path}/pgw.data`],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
  });
  return {
    name: 'pushgateway',
    url: peer.url,
    cpuSeconds: () => cpuSecondsOf(peer.process.pid),
    mainThreadCpuSeconds: () => cpuSecondsOf(peer.process.pid, true),
    stop: stopAndRemove(peer, dir),
  };
}

export async function startPrometheus(): Promise<Target | undefined> {
  if (!which('prometheus')) return undefined;
  const dir = tempDir('bench-prom');
  const port = await freePort();
  // No scrape jobs: a self-scrape would move the head to "now" and refuse older samples.
  writeFileSync(`${dir.path}/prometheus.yml`, 'global:\n  scrape_interval: 1h\n');
  const peer = await startPeer({
    command: 'prometheus',
    args: [
      `--config.file=${dir.path}/prometheus.yml`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${dir.path}/data`,
      '--web.enable-remote-write-receiver',
    ],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
  });
  return {
    name: 'prometheus',
    url: peer.url,
    cpuSeconds: () => cpuSecondsOf(peer.process.pid),
    mainThreadCpuSeconds: () => cpuSecondsOf(peer.process.pid, true),
    stop: stopAndRemove(peer, dir),
  };
}

function stopAndRemove(peer: RunningPeer, dir: { remove(): void }): () => Promise<void> {
  return async () => {
    await peer.stop();
    dir.remove();
  };
}
