import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher, StorageClosedError } from '@tally/storage';
import { DirectoryLockedError, InvalidOptionsError, InvalidTimestampError, openTsdb } from '../src/index.js';
import { readAll } from '@tally/storage/conformance';
import { testDir } from './test-dir.js';

const all = [new Matcher('=~', '__name__', '.+')];
const series = (i: number) => labelsFromRecord({ __name__: 'life', i: String(i) });

describe('lifecycle', () => {
  it('refuses a directory another open store holds, and takes it once closed', async () => {
    const dir = await testDir();
    const db = await openTsdb({ dir, autoCompact: false });
    await expect(openTsdb({ dir })).rejects.toThrow(DirectoryLockedError);
    await db.close();
    const again = await openTsdb({ dir, autoCompact: false });
    await again.close();
  });

  it('refuses bad options and bad timestamps with clear errors, and work after close', async () => {
    const dir = await testDir();
    await expect(openTsdb({ dir, blockDurationMs: -5 })).rejects.toThrow(InvalidOptionsError);
    await expect(openTsdb({ dir, retention: { sizeBytes: 0 } })).rejects.toThrow(/retention.sizeBytes/);
    const db = await openTsdb({ dir, autoCompact: false });
    const app = db.appender();
    expect(() => app.append(series(1), 1.5, 1)).toThrow(InvalidTimestampError);
    expect(() => app.append(series(1), 2 ** 52, 1)).toThrow(InvalidTimestampError);
    await db.close();
    expect(() => db.appender()).toThrow(StorageClosedError);
    expect(() => app.append(series(1), 1000, 1)).toThrow(StorageClosedError);
  });

  it('cuts, compacts and applies retention in the background as the head grows', async () => {
    const dir = await testDir();
    const db = await openTsdb({ dir, blockDurationMs: 1000, compactionIntervalMs: 10 });
    for (let t = 0; t < 6000; t += 50) {
      const app = db.appender();
      app.append(series(0), t, t);
      await app.commit();
    }
    for (let i = 0; i < 100 && db.stats().headCuts === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const st = db.stats();
    expect(st.headCuts).toBeGreaterThan(0);
    expect(st.headSamples).toBeLessThan(120);
    expect((await readAll(db, all))['__name__=life,i=0']).toHaveLength(120);
    await db.close();
  });

  it('does not spin when an uncommitted sample holds a due head cut back, and closes (regression)', async () => {
    const dir = await testDir();
    const db = await openTsdb({ dir, blockDurationMs: 1000, compactionIntervalMs: 10 });
    const holder = db.appender();
    holder.append(series(9), 0, 1); // uncommitted: no cut may pass t=0
    for (let t = 0; t < 5000; t += 100) {
      const app = db.appender();
      app.append(series(0), t, t);
      await app.commit();
    }
    await new Promise((r) => setTimeout(r, 100)); // background maintenance runs (and must yield)
    expect(db.stats().headCuts).toBe(0);
    expect(db.stats().checkpoints).toBe(0);
    await holder.commit();
    await db.compact();
    expect(db.stats().headCuts).toBeGreaterThan(0);
    expect((await readAll(db, all))['__name__=life,i=9']).toEqual([[0, 1]]);
    await db.close();
  });

  it('applies retention by size, dropping the oldest blocks first', async () => {
    const dir = await testDir();
    let db = await openTsdb({ dir, blockDurationMs: 1000, autoCompact: false, maxBlockDurationMs: 1000 });
    for (let t = 0; t < 20_000; t += 10) {
      const app = db.appender();
      for (let i = 0; i < 5; i++) app.append(series(i), t, Math.sin(t + i));
      await app.commit();
    }
    await db.compact();
    const full = db.stats();
    expect(full.blocks).toBeGreaterThan(5);
    const limit = Math.floor(full.sizeBytes / 2);
    await db.close();
    db = await openTsdb({
      dir,
      blockDurationMs: 1000,
      autoCompact: false,
      maxBlockDurationMs: 1000,
      retention: { sizeBytes: limit },
    });
    await db.compact();
    const st = db.stats();
    expect(st.sizeBytes).toBeLessThanOrEqual(limit);
    expect(st.blocks).toBeLessThan(full.blocks);
    const got = (await readAll(db, all))['__name__=life,i=0']!;
    expect(got.at(-1)![0]).toBe(19_990); // the newest data stays
    expect(got[0]![0]).toBeGreaterThan(0); // the oldest went
    await db.close();
  });
});
