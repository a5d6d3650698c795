import { afterAll, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { peerAvailable, tempDir } from '../../../test-support/peers.js';
import { RemoteStorage } from '../src/storage/remote/index.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from './remote-engines.js';

// The remote engine goes away in the middle of ingest and comes back: every commit that
// resolved is in the engine afterwards, and the queue's length and lag show the outage.
for (const engine of ['victoriametrics', 'prometheus'] as const) {
  describe.runIf(peerAvailable(ENGINE_BINARIES[engine], engineInstalled(engine)))(
    `remote storage when ${engine} stops during ingest`,
    () => {
      const cleanups: (() => Promise<void> | void)[] = [];
      afterAll(async () => {
        for (const c of cleanups.reverse()) await c();
      });

      it('loses nothing acknowledged and drains the queue once the engine is back', async () => {
        const e: EngineUnderTest = await startEngine(engine);
        cleanups.push(() => e.destroy());
        const dir = tempDir('remote-fault');
        cleanups.push(() => dir.remove());
        const store = new RemoteStorage({
          engine,
          writeUrl: e.writeUrl,
          queryUrl: e.queryUrl,
          queueDir: dir.path,
          shards: 4,
          maxBackoffMs: 200,
          readAfterWriteTimeoutMs: 0,
          http: { timeoutMs: 2000 },
        });
        cleanups.push(() => store.close());
        const startMs = Date.now() - 60_000;
        const SERIES = 20;
        let committed = 0;
        const commitBatch = async (): Promise<void> => {
          const app = store.appender();
          for (let k = 0; k < SERIES; k++) {
            app.append(
              labelsFromRecord({ __name__: 'fault_test', job: 'fault', k: String(k) }),
              startMs + committed,
              committed,
            );
          }
          await app.commit();
          committed++;
        };
        for (let i = 0; i < 50; i++) await commitBatch();
        await e.stop();
        for (let i = 0; i < 200; i++) await commitBatch();
        await new Promise((r) => setTimeout(r, 300));
        const during = store.queueStats();
        expect(during.pendingSamples).toBeGreaterThan(0);
        expect(during.lagSeconds).toBeGreaterThan(0);
        expect(during.retries).toBeGreaterThan(0);
        await e.restart();
        for (let i = 0; i < 50; i++) await commitBatch();
        expect(await store.queue.barrier(60_000)).toBe(true);
        const after = store.queueStats();
        expect(after.pendingSamples).toBe(0);
        expect(after.lagSeconds).toBe(0);
        expect([...after.droppedSamples.values()].reduce((a, b) => a + b, 0)).toBe(0);

        const readerDir = tempDir('remote-fault-reader');
        cleanups.push(() => readerDir.remove());
        const reader = new RemoteStorage({
          engine,
          writeUrl: e.writeUrl,
          queryUrl: e.queryUrl,
          queueDir: readerDir.path,
        });
        cleanups.push(() => reader.close());
        const q = reader.querier(startMs, startMs + committed);
        const series = await q.select([new Matcher('=', '__name__', 'fault_test')]);
        expect(series).toHaveLength(SERIES);
        for (const s of series) {
          const seen = new Set<number>();
          const it = s.iterator();
          while (it.next()) seen.add(it.v);
          expect(seen.size).toBe(committed);
        }
      });
    },
  );
}
