import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { readAll } from '@tally/storage/conformance';
import { openTsdb } from '../src/index.js';
import { testDir } from './test-dir.js';

const all = [new Matcher('=~', '__name__', '.+')];

describe('compaction', () => {
  it('copies chunks it does not change, and re-encodes a series with deleted samples', async () => {
    const dir = await testDir();
    const db = await openTsdb({
      dir,
      blockDurationMs: 100_000,
      autoCompact: false,
      workerMinSamples: Infinity,
    });
    // 10 series, one sample every 2 s for 300 s: 50 samples per series in each 100 s block.
    for (let k = 0; k < 15; k++) {
      const app = db.appender();
      for (let s = 0; s < 10; s++)
        for (let t = k * 20_000; t < (k + 1) * 20_000; t += 2000)
          app.append(labelsFromRecord({ __name__: 'c', s: String(s) }), t, s % 2 ? t / 1000 : Math.sqrt(t));
      await app.commit();
    }
    for (const before of [100_000, 200_000, 300_000]) await db.cutHead(before);
    const before = await readAll(db, all);
    await db.deleteSeries([new Matcher('=', 's', '3')], 10_000, 10_000);
    await db.compact();
    const [merged] = db.blockMetas();
    expect(db.blockMetas()).toHaveLength(1);
    // Copied: 3 chunks of 50 per series (as cut). Re-encoded (s=3, one sample deleted): 149
    // samples balanced into 2 chunks.
    expect(merged!.stats.numChunks).toBe(9 * 3 + 2);
    expect(merged!.stats.numSamples).toBe(10 * 150 - 1);
    const after = await readAll(db, all);
    expect(after['__name__=c,s=3']).toEqual(before['__name__=c,s=3']!.filter(([t]) => t !== 10_000));
    for (const s of [0, 1, 9]) expect(after[`__name__=c,s=${s}`]).toEqual(before[`__name__=c,s=${s}`]);
    await db.close();
    const reopened = await openTsdb({ dir, autoCompact: false });
    expect(await readAll(reopened, all)).toEqual(after);
    await reopened.close();
  });
});
