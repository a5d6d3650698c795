import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, tempDir } from '../../../test-support/peers.js';
import { RemoteHttpClient } from '../src/storage/remote/remote-http-client.js';
import { RemoteWriteQueue } from '../src/storage/remote/remote-write-queue.js';
import { startFakeReceiver } from './remote-fake-receiver.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('remote-write queue under kill -9', () => {
  it('delivers every batch whose commit resolved before the kill, once the engine is up', async () => {
    const d = tempDir('remote-kill');
    cleanups.push(() => d.remove());
    const port = await freePort(); // nothing listens yet: the engine is "down"
    const writeUrl = `http://127.0.0.1:${port}/api/v1/write`;
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'remote-kill-writer.ts'),
        d.path,
        writeUrl,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(import.meta.dirname, '..') },
    );
    let acked = -1;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const line of lines) acked = Number(line.slice('acked '.length));
        if (acked >= 300) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    await new Promise((r) => child.once('exit', r));

    const receiver = await startFakeReceiver(port);
    cleanups.push(() => receiver.close());
    const client = new RemoteHttpClient();
    const queue = new RemoteWriteQueue({ dir: d.path, writeUrl, client, minBackoffMs: 5 });
    cleanups.push(async () => {
      await queue.close();
      client.close();
    });
    expect(await queue.barrier(30_000)).toBe(true);
    expect(receiver.received.size).toBe(10);
    for (const samples of receiver.received.values()) {
      const batches = new Set(samples.map((s) => s.t));
      for (let b = 0; b <= acked; b++) expect(batches.has(b)).toBe(true);
      // Per series, in order (a batch committed but unacknowledged at the kill may follow).
      const ts = samples.map((s) => s.t);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    }
  });
});
