// A real `tally serve` process (the CLI through tsx, from sources) for multi-instance tests:
// started on 127.0.0.1 and a free port, ready when /-/ready answers, stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../../test-support/peers.js';

const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');

export interface TallyProcess {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  log(): string;
  /** SIGTERM (a graceful shutdown), SIGKILL after 20 s. */
  stop(): Promise<void>;
}

export async function startTallyProcess(flags: string[], timeoutMs = 90_000): Promise<TallyProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', MAIN, 'serve', '--listen', `127.0.0.1:${port}`, ...flags],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tally serve exited with ${child.exitCode}:\n${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, port, process: child, log: () => stderr, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`tally serve was not ready within ${timeoutMs} ms:\n${stderr}`);
}
