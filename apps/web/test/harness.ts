// The browser harness shared by the e2e tests, the screenshots and the UI benchmark: a real
// `tally serve` on 127.0.0.1 (from source, with the built UI) and Debian's chromium driven by
// playwright-core. Never downloads a browser.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { freePort, startPeer, tempDir, which, type RunningPeer } from '../../../test-support/peers.js';

export const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
export const webDir = join(here, '..');
export const repoRoot = join(webDir, '..', '..');

export function chromiumInstalled(): boolean {
  return which(CHROMIUM) !== undefined;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Builds the UI once if `npm run build` has not (the server serves apps/web/dist). */
export function ensureUiBuilt(): void {
  if (existsSync(join(webDir, 'dist', 'index.html'))) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: webDir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface Tally {
  readonly url: string;
  readonly statsdPort: number;
  readonly peer: RunningPeer;
  stop(): Promise<void>;
}

/** A real `tally serve` on free loopback ports with a temporary data dir. */
export async function startTally(extraArgs: string[] = []): Promise<Tally> {
  ensureUiBuilt();
  const port = await freePort();
  const statsdPort = await freePort();
  const data = tempDir('web-e2e');
  const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const peer = await startPeer({
    command: process.execPath,
    args: [
      tsx,
      '--conditions',
      'source',
      join(repoRoot, 'apps', 'server', 'src', 'cli', 'main.ts'),
      'serve',
      '--listen',
      `127.0.0.1:${port}`,
      '--statsd-listen',
      `127.0.0.1:${statsdPort}`,
      '--statsd-flush-interval',
      '1s',
      '--data-dir',
      data.path,
      '--ui-dir',
      join(webDir, 'dist'),
      ...extraArgs,
    ],
    url: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
    timeoutMs: 60_000,
  });
  return {
    url: peer.url,
    statsdPort,
    peer,
    stop: async () => {
      await peer.stop();
      data.remove();
    },
  };
}
