// Real peers for interop tests (DESIGN.md): found on PATH, started by the test on 127.0.0.1,
// stopped by PID. A missing peer skips the suite with a printed notice, except where
// TALLY_REQUIRE_PEERS=1 (set by .ci/run), which turns a missing peer into a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const peersRequired = process.env.TALLY_REQUIRE_PEERS === '1';

/** Debian's Python, where python3-prometheus-client and python3-statsd live (not a pyenv shim). */
export const debianPython = '/usr/bin/python3';

/** Absolute path of an executable, or undefined. */
export function which(binary: string): string | undefined {
  if (binary.startsWith('/')) return existsSync(binary) ? binary : undefined;
  const r = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

/** Does Debian's python3 import this module? */
export function hasPythonModule(module: string): boolean {
  if (!existsSync(debianPython)) return false;
  return spawnSync(debianPython, ['-c', `import ${module}`]).status === 0;
}

/**
 * Whether a suite needing `what` can run. Prints a notice and returns false when the peer is
 * missing; throws when peers are required (CI).
 */
export function peerAvailable(what: string, available: boolean): boolean {
  if (available) return true;
  const message = `peer not installed: ${what}`;
  if (peersRequired) throw new Error(`${message} (TALLY_REQUIRE_PEERS=1: .ci/run installs it)`);
  console.warn(`NOTICE: skipping interop suite, ${message}`);
  return false;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tally-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RunningPeer {
  readonly process: ChildProcess;
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/** Starts a peer and waits until `readyPath` answers 200 (at most `timeoutMs`). */
export async function startPeer(opts: {
  command: string;
  args: string[];
  url: string;
  readyPath: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<RunningPeer> {
  const child = spawn(opts.command, opts.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${opts.command} exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(opts.url + opts.readyPath);
      if (res.ok) return { process: child, url: opts.url, log: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${opts.command} was not ready within ${opts.timeoutMs ?? 30_000} ms:\n${output}`);
}
