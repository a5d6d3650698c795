import { join } from 'node:path';
import { MemoryStorage, type Storage } from '@tally/storage';
import { openTsdb } from '@tally/tsdb';
import type { ServeConfig } from '../config/serve-config.js';
import type { Logger } from '../log/logger.js';
import { openRemoteStorage, withForwarding } from './remote/open-remote.js';

/**
 * The sample store chosen at start-up: the embedded TSDB in `<data-dir>/tsdb` (default) or
 * `memory` (nothing survives a restart). Both are used only through the `Storage` interface,
 * so a remote adapter can join them.
 */
export async function openStorage(config: ServeConfig, log: Logger): Promise<Storage> {
  if (config.storage === 'remote') return openRemoteStorage(config.beyond.remote!, config.dataDir, log);
  const forward = config.beyond.forward;
  if (forward) {
    const primary = await openStorage({ ...config, beyond: { ...config.beyond, forward: undefined } }, log);
    return withForwarding(primary, forward, config.dataDir, log);
  }
  if (config.storage === 'memory') return new MemoryStorage();
  return openTsdb({
    dir: join(config.dataDir, 'tsdb'),
    ...(config.retentionMs > 0 ? { retention: { timeMs: config.retentionMs } } : {}),
    maxFutureMs: config.maxFutureMs > 0 ? config.maxFutureMs : Infinity,
    walSync: config.walSync,
    onCorruption: (r) =>
      log.warn('TSDB write-ahead log damage repaired', {
        file: r.file,
        offsetBytes: r.offsetBytes,
        reason: r.reason,
      }),
    onError: (err) => log.error('TSDB background maintenance failed', { err }),
  });
}
