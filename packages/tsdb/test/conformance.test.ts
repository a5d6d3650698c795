import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStorageConformance } from '@tally/storage/conformance';
import type { Storage } from '@tally/storage';
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

/** A store whose every commit is followed by a head cut, so reads and deletions go to blocks. */
function cutAfterCommit(db: Tsdb): Storage {
  return {
    appender: () => {
      const app = db.appender();
      return {
        append: (l, t, v) => app.append(l, t, v),
        appendByRef: (r, t, v) => app.appendByRef(r, t, v),
        rollback: () => app.rollback(),
        commit: async () => {
          await app.commit();
          await db.cutHead();
          await db.compact();
        },
      };
    },
    querier: (a, b) => db.querier(a, b),
    deleteSeries: (m, a, b) => db.deleteSeries(m, a, b),
    stats: () => db.stats(),
    close: () => db.close(),
  };
}

const inner = new WeakMap<Storage, Tsdb>();

runStorageConformance('Tsdb, every commit cut into a block', {
  open: async () => {
    const db = await fresh();
    const s = cutAfterCommit(db);
    inner.set(s, db);
    return s;
  },
  reopen: async (store) => {
    const db = inner.get(store)!;
    const dir = dirOf.get(db)!;
    await store.close();
    const again = await openTsdb({ dir, autoCompact: false });
    dirOf.set(again, dir);
    const s = cutAfterCommit(again);
    inner.set(s, again);
    return s;
  },
  skip: {
    'rejects out-of-order samples with a typed error and takes identical duplicates':
      'a duplicate of a sample already in a block is older than the head accepts (OutOfBoundsSampleError), as in Prometheus',
  },
});
