import { afterAll, describe } from 'vitest';
import { runStorageConformance } from '@tally/storage/conformance';
import { peerAvailable, tempDir } from '../../../test-support/peers.js';
import { RemoteStorage } from '../src/storage/remote/index.js';
import { ENGINE_BINARIES, engineInstalled, startEngine, type EngineUnderTest } from './remote-engines.js';

// Cases that cannot hold because of the engine's own behaviour (README, "Deploying beyond one machine"):
const STALE =
  'the Prometheus HTTP API carries values as JSON strings, so a stale marker comes back as a plain "NaN" (Prometheus 2.42) or not at all (VictoriaMetrics drops NaN samples at ingestion)';
const SKIPS = {
  victoriametrics: {
    'keeps the stale marker bit pattern': STALE,
    'deletes series by matchers, entirely or within a time range':
      'VictoriaMetrics deletes whole series only: /api/v1/admin/tsdb/delete_series takes no time range',
  },
  prometheus: { 'keeps the stale marker bit pattern': STALE },
};

for (const engine of ['victoriametrics', 'prometheus'] as const) {
  describe.runIf(peerAvailable(ENGINE_BINARIES[engine], engineInstalled(engine)))(
    `remote storage on ${engine}`,
    () => {
      const engines: EngineUnderTest[] = [];
      const dirs: { remove(): void }[] = [];
      const homes = new WeakMap<object, { e: EngineUnderTest; queueDir: string }>();
      const open = (e: EngineUnderTest, queueDir: string): RemoteStorage => {
        const store = new RemoteStorage({
          engine,
          writeUrl: e.writeUrl,
          queryUrl: e.queryUrl,
          queueDir,
          shards: 2,
          readAfterWriteTimeoutMs: 20_000,
        });
        homes.set(store, { e, queueDir });
        return store;
      };
      afterAll(async () => {
        for (const e of engines) await e.destroy();
        for (const d of dirs) d.remove();
      });
      runStorageConformance(`remote (${engine})`, {
        open: async () => {
          const e = await startEngine(engine);
          engines.push(e);
          const dir = tempDir('remote-queue');
          dirs.push(dir);
          return open(e, dir.path);
        },
        reopen: async (store) => {
          const home = homes.get(store)!;
          await store.close();
          return open(home.e, home.queueDir);
        },
        skip: SKIPS[engine],
      });
    },
  );
}
