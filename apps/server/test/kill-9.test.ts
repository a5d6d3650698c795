// kill -9 in the middle of a push stream: every push acknowledged before the kill is there after a
// restart, in history (the TSDB) and in the last-push state (SQLite).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/peers.js';

const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'tally-kill9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startTally(port: number, dataDir: string, extra: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      MAIN,
      'serve',
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${port}`,
      '--statsd-listen',
      'off',
      '--log-level',
      'warn',
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tally exited: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) return child;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`tally not ready: ${stderr}`);
}

describe('kill -9', () => {
  // --wal-sync write acknowledges once the OS has the WAL records: a killed process loses none.
  it.each([['fsync'], ['write']])(
    'loses no acknowledged push (--wal-sync %s)',
    { timeout: 120_000 },
    async (walSync) => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const dataDir = join(dir, walSync);
      const extra = ['--wal-sync', walSync];
      let child = await startTally(port, dataDir, extra);
      const acked = [0, 0, 0, 0];
      let stop = false;
      const writer = async (w: number): Promise<void> => {
        for (let k = 1; !stop; k++) {
          try {
            const res = await fetch(`${base}/metrics/job/kill9/writer/${w}`, {
              method: 'PUT',
              body: `# TYPE seq gauge\nseq ${k}\n`,
            });
            if (res.status === 200) acked[w] = k;
            else return;
          } catch {
            return; // the server died mid-request: this push was not acknowledged
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      // Kill mid-stream once every writer has some acknowledged pushes (polled, not timed: a loaded
      // machine may be slow to answer the first ones).
      for (let polls = 0; Math.min(...acked) < 5 && polls < 600; polls++)
        await new Promise((r) => setTimeout(r, 100));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await exited;
      console.log('acknowledged pushes per writer before kill -9:', acked.join(' '));
      expect(Math.min(...acked)).toBeGreaterThan(0);

      child = await startTally(port, dataDir, extra);
      try {
        const scrape = await (await fetch(`${base}/metrics`)).text();
        for (let w = 0; w < 4; w++) {
          // Last-push state: the last acknowledged push, or one sent but not acknowledged before the kill.
          const m = new RegExp(`seq\\{job="kill9",writer="${w}"\\} (\\d+)`).exec(scrape);
          expect(Number(m?.[1])).toBeGreaterThanOrEqual(acked[w]!);
          expect(Number(m?.[1])).toBeLessThanOrEqual(acked[w]! + 1);
          // History: every acknowledged push, in order.
          const q = new URLSearchParams({
            query: `seq{writer="${w}"}[1h]`,
            time: String(Date.now() / 1000 + 1),
          });
          const r = (await (await fetch(`${base}/api/v1/query?${q.toString()}`)).json()) as {
            data: { result: { values: [number, string][] }[] };
          };
          const values = r.data.result[0]!.values.map(([, v]) => Number(v));
          expect(values.slice(0, acked[w])).toEqual(Array.from({ length: acked[w]! }, (_, i) => i + 1));
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  );
});
