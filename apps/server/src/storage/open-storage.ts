import { MemoryStorage, type Storage } from '@tally/storage';
import type { ServeConfig } from '../config/serve-config.js';

/**
 * The sample store chosen at start-up: `memory` (nothing survives a restart) or `tsdb`.
 * Both are used only through the `Storage` interface, so a remote adapter can join them.
 */
export async function openStorage(config: ServeConfig): Promise<Storage> {
  if (config.storage === 'memory') return Promise.resolve(new MemoryStorage());
  return openEmbedded(config);
}

async function openEmbedded(_config: ServeConfig): Promise<Storage> {
  // @tally/tsdb is not ready yet: fall back to the in-memory reference store.
  return Promise.resolve(new MemoryStorage());
}
