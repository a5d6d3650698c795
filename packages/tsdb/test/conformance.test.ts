import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStorageConformance } from '@tally/storage/conformance';
import { openTsdb, type Tsdb } from '../src/index.js';

const dirs: string[] = [];
const dirOf = new WeakMap<object, string>();

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function fresh(): Promise<Tsdb> {
  const dir = await mkdtemp(join(tmpdir(), 'tsdb-conf-'));
  dirs.push(dir);
  const db = await openTsdb({ dir, autoCompact: false });
  dirOf.set(db, dir);
  return db;
}

runStorageConformance('Tsdb', {
  open: fresh,
  reopen: async (store) => {
    const dir = dirOf.get(store)!;
    await store.close();
    const db = await openTsdb({ dir, autoCompact: false });
    dirOf.set(db, dir);
    return db;
  },
});
