import { readdir, readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { readAll } from '@tally/storage/conformance';
import { openTsdb, type Tsdb } from '../src/index.js';
import { testDir } from './test-dir.js';

const all = [new Matcher('=~', '__name__', '.+')];

async function fill(db: Tsdb): Promise<void> {
  for (let k = 0; k < 40; k++) {
    const app = db.appender();
    for (let s = 0; s < 50; s++) {
      const labels = labelsFromRecord({ __name__: `m${s % 3}`, job: 'j', i: String(s) });
      for (let i = k * 10; i < k * 10 + 10; i++)
        app.append(labels, i * 1000, s % 2 ? i * 0.25 : Math.sin(i + s));
    }
    await app.commit();
  }
}

async function chunkBytes(dir: string, ulid: string): Promise<Buffer[]> {
  const files = (await readdir(`${dir}/${ulid}/chunks`)).sort();
  return Promise.all(files.map((f) => readFile(`${dir}/${ulid}/chunks/${f}`)));
}

/** The WAL checkpoints of the store in `dir`, by name. */
async function checkpointFiles(dir: string): Promise<Record<string, Buffer>> {
  const names = (await readdir(`${dir}/wal`)).filter((n) => n.startsWith('checkpoint.')).sort();
  expect(names).toHaveLength(1);
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await readFile(`${dir}/wal/${n}`)])),
  );
}

/** Two stores of 100 s blocks: one writes every block on the worker thread, one never does. */
async function openPair(): Promise<{ dirs: string[]; threaded: Tsdb; inline: Tsdb }> {
  const dirs = [await testDir(), await testDir()];
  const [threaded, inline] = await Promise.all([
    openTsdb({ dir: dirs[0]!, blockDurationMs: 100_000, autoCompact: false, workerMinSamples: 0 }),
    openTsdb({ dir: dirs[1]!, blockDurationMs: 100_000, autoCompact: false, workerMinSamples: Infinity }),
  ]);
  return { dirs, threaded, inline };
}

/** The nice value of each of this process's threads (Linux). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised name; nice is the 19th field of the line.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('head cuts and compactions on a worker thread', () => {
  it.runIf(process.platform === 'linux')('run at a lower priority than the process (nice +5)', async () => {
    const { threaded, inline } = await openPair();
    await fill(threaded);
    await threaded.cutHead(200_000);
    expect(threaded.stats().headCutsOnWorker).toBe(1);
    const nice = threadNiceValues();
    const base = Math.min(...nice);
    expect(nice).toContain(Math.min(19, base + 5));
    await Promise.all([threaded.close(), inline.close()]);
  });

  it('write the same block as on the calling thread, and the store reads across it', async () => {
    const { dirs, threaded, inline } = await openPair();
    for (const db of [threaded, inline]) {
      await fill(db);
      await db.cutHead(200_000);
    }
    expect([threaded.stats().headCutsOnWorker, inline.stats().headCutsOnWorker]).toEqual([1, 0]);
    // The WAL checkpoint after the cut, encoded on the thread: the same file.
    expect([threaded.stats().checkpointsOnWorker, inline.stats().checkpointsOnWorker]).toEqual([1, 0]);
    expect(await checkpointFiles(dirs[0]!)).toEqual(await checkpointFiles(dirs[1]!));
    const [a, b] = [threaded.blockMetas(), inline.blockMetas()];
    expect(a).toHaveLength(1);
    expect(a[0]!.stats).toEqual(b[0]!.stats);
    expect(a[0]!.stats.numSamples).toBe(50 * 200);
    expect(await chunkBytes(dirs[0]!, a[0]!.ulid)).toEqual(await chunkBytes(dirs[1]!, b[0]!.ulid));
    const whole = await readAll(inline, all);
    expect(await readAll(threaded, all)).toEqual(whole);
    expect(Object.values(whole).reduce((n, s) => n + s.length, 0)).toBe(50 * 400);
    await threaded.close();
    const reopened = await openTsdb({ dir: dirs[0]!, autoCompact: false, workerMinSamples: 0 });
    expect(await readAll(reopened, all)).toEqual(whole);
    await Promise.all([reopened.close(), inline.close()]);
  });

  it('compact blocks, deleted samples left out, into the same block as on the calling thread', async () => {
    const { dirs, threaded, inline } = await openPair();
    for (const db of [threaded, inline]) {
      await fill(db);
      // Three 100 s blocks (level 1), a deletion into two of them, then the planner merges them.
      for (const before of [100_000, 200_000, 300_000]) await db.cutHead(before);
      await db.deleteSeries([new Matcher('=', 'i', '7')], 50_000, 250_000);
      await db.compact();
    }
    expect([threaded.stats().compactionsOnWorker, inline.stats().compactionsOnWorker]).toEqual([
      threaded.stats().compactions,
      0,
    ]);
    expect(threaded.stats().compactions).toBeGreaterThan(0);
    const [a, b] = [threaded.blockMetas(), inline.blockMetas()];
    expect(a.map((m) => [m.minTime, m.maxTime, m.compaction.level, m.stats])).toEqual(
      b.map((m) => [m.minTime, m.maxTime, m.compaction.level, m.stats]),
    );
    for (let i = 0; i < a.length; i++)
      expect(await chunkBytes(dirs[0]!, a[i]!.ulid)).toEqual(await chunkBytes(dirs[1]!, b[i]!.ulid));
    const whole = await readAll(inline, all);
    expect(await readAll(threaded, all)).toEqual(whole);
    const seven = whole['__name__=m1,i=7,job=j']!;
    expect(seven.length).toBe(400 - 201);
    expect(seven.filter(([t]) => t >= 50_000 && t <= 250_000)).toEqual([]);
    await Promise.all([threaded.close(), inline.close()]);
  });
});
