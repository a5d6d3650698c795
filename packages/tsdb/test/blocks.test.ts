import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher, OutOfBoundsSampleError } from '@tally/storage';
import { openTsdb } from '../src/index.js';
import { readAll } from '@tally/storage/conformance';
import { testDir } from './test-dir.js';

const all = [new Matcher('=~', '__name__', '.+')];
const series = (job: string) => labelsFromRecord({ __name__: 'm', job });

describe('blocks', () => {
  it('cuts the head into blocks, compacts them and reads across head and blocks', async () => {
    const dir = await testDir();
    let db = await openTsdb({ dir, blockDurationMs: 1000, autoCompact: false });
    const expected: Record<string, [number, number][]> = { '__name__=m,job=a': [], '__name__=m,job=b': [] };
    for (let t = 0; t < 10_000; t += 100) {
      const app = db.appender();
      for (const job of ['a', 'b']) {
        const v = job === 'a' ? t / 100 : Math.sin(t);
        app.append(series(job), t, v);
        expected[`__name__=m,job=${job}`]!.push([t, v]);
      }
      await app.commit();
    }
    await db.compact();
    const metas = db.blockMetas();
    // Nine 1 s head cuts, merged into 3 s blocks and those into one 9 s block.
    expect(metas.map((m) => [m.minTime, m.maxTime, m.compaction.level])).toEqual([[0, 9000, 3]]);
    expect(db.stats().headSamples).toBeLessThan(200);
    expect(await readAll(db, all)).toEqual(expected);
    expect(() => db.appender().append(series('new'), 0, 1)).toThrow(OutOfBoundsSampleError);
    await db.close();
    db = await openTsdb({ dir, blockDurationMs: 1000, autoCompact: false });
    expect(await readAll(db, all)).toEqual(expected);
    expect(await readAll(db, all, 2550, 2750)).toEqual({
      '__name__=m,job=a': [
        [2600, 26],
        [2700, 27],
      ],
      '__name__=m,job=b': [
        [2600, Math.sin(2600)],
        [2700, Math.sin(2700)],
      ],
    });
    const st = db.stats();
    expect(st.numSeries).toBe(2);
    expect(st.numSamples).toBe(200);
    await db.close();
  });

  it('deletes series from blocks at once and from disk after compaction', async () => {
    const dir = await testDir();
    let db = await openTsdb({ dir, blockDurationMs: 1000, autoCompact: false });
    const app = db.appender();
    for (let t = 0; t < 3000; t += 100) {
      app.append(series('gone'), t, 1);
      app.append(series('kept'), t, 2);
    }
    await app.commit();
    await db.cutHead();
    await db.deleteSeries([new Matcher('=', 'job', 'gone')]);
    expect(Object.keys(await readAll(db, all))).toEqual(['__name__=m,job=kept']);
    await db.close();
    db = await openTsdb({ dir, blockDurationMs: 1000, autoCompact: false });
    expect(Object.keys(await readAll(db, all))).toEqual(['__name__=m,job=kept']);
    await db.compact();
    expect(db.stats().numSeries).toBe(1);
    // No file of the store mentions the deleted job any more.
    const { readFile } = await import('node:fs/promises');
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true }))
        if (e.isDirectory()) await walk(`${d}/${e.name}`);
        else files.push(`${d}/${e.name}`);
    };
    await walk(dir);
    for (const f of files) expect((await readFile(f)).includes('gone')).toBe(false);
    await db.close();
  });

  it('applies retention by time counted back from the newest sample', async () => {
    const dir = await testDir();
    const db = await openTsdb({
      dir,
      blockDurationMs: 1000,
      autoCompact: false,
      retention: { timeMs: 3000 },
    });
    // Timestamps far in the past: wall-clock retention would delete everything.
    for (let t = 0; t < 10_000; t += 100) {
      const app = db.appender();
      app.append(series('a'), t, t);
      await app.commit();
    }
    await db.compact();
    const got = (await readAll(db, all))['__name__=m,job=a']!;
    expect(got.at(-1)![0]).toBe(9900);
    expect(got[0]![0]).toBeGreaterThan(0);
    expect(got[0]![0]).toBeLessThanOrEqual(9900 - 3000);
    await db.close();
  });
});
