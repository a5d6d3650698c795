import { appendFile, mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { openTsdb, type CorruptionReport } from '../src/index.js';
import { readAll } from '@tally/storage/conformance';
import { testDir } from './test-dir.js';
import { ByteReader } from '../src/encoding/byte-reader.js';
import { ByteWriter } from '../src/encoding/byte-writer.js';
import { readSamples, RECORD_SERIES, writeSamples, writeSeries } from '../src/wal/wal-record.js';
import { WalWriter } from '../src/wal/wal-writer.js';

const all = [new Matcher('=~', '__name__', '.+')];
const series = (i: number) => labelsFromRecord({ __name__: 'w', i: String(i) });

async function segments(dir: string): Promise<string[]> {
  return (await readdir(`${dir}/wal`)).filter((f) => /^\d{8}$/.test(f)).sort();
}

describe('WAL', () => {
  it('batches concurrent commits into shared fsyncs', async () => {
    const dir = await testDir();
    const db = await openTsdb({ dir, autoCompact: false });
    const commits = Array.from({ length: 50 }, (_, i) => {
      const app = db.appender();
      app.append(series(i), 1000, i);
      return app.commit();
    });
    await Promise.all(commits);
    expect(db.stats().walFsyncs).toBeLessThan(10);
    expect(Object.keys(await readAll(db, all))).toHaveLength(50);
    await db.close();
  });

  it("with walSync 'write', acknowledges before fdatasync, syncs within the interval and at close", async () => {
    const dir = await testDir();
    const db = await openTsdb({ dir, autoCompact: false, walSync: 'write', walSyncIntervalMs: 60_000 });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const app = db.appender();
        app.append(series(i), 1000, i);
        return app.commit();
      }),
    );
    expect(db.stats().walFsyncs).toBe(0); // acknowledged once written; the sync is a minute away
    await db.close(); // closing syncs
    const again = await openTsdb({ dir, autoCompact: false, walSync: 'write', walSyncIntervalMs: 5 });
    expect(Object.keys(await readAll(again, all))).toHaveLength(20);
    const app = again.appender();
    app.append(series(0), 2000, 1);
    await app.commit();
    const deadline = Date.now() + 10_000;
    while (again.stats().walFsyncs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(again.stats().walFsyncs).toBeGreaterThan(0);
    await again.close();
    await expect(openTsdb({ dir, walSync: 'never' as 'write' })).rejects.toThrow(
      /walSync must be 'fsync' or 'write'/,
    );
  });

  // A sync with nothing to write finished its flush synchronously, which left the writer
  // believing a flush was still running: later syncs waited forever and close() spun.
  it.each(['fsync', 'write'] as const)(
    "with walSync '%s', a commit whose samples were all dropped leaves later commits working",
    async (walSync) => {
      const dir = await testDir();
      const db = await openTsdb({ dir, autoCompact: false, walSync });
      const first = db.appender();
      first.append(series(0), 1000, 1);
      const second = db.appender();
      second.append(series(0), 1000, 2); // the same timestamp: dropped when it commits second
      await first.commit();
      await second.commit();
      const third = db.appender();
      third.append(series(0), 2000, 3);
      const outcome = await Promise.race([
        third.commit().then(() => 'committed'),
        new Promise((resolve) => setTimeout(() => resolve('hung'), 3000)),
      ]);
      expect(outcome).toBe('committed');
      expect(db.stats().samplesDroppedAtCommit).toBe(1);
      await db.close();
    },
  );

  it.each(['fsync', 'write'] as const)(
    "with walSync '%s', syncing nothing resolves and so do later syncs",
    async (mode) => {
      const dir = await testDir();
      await mkdir(`${dir}/wal`, { recursive: true });
      const w = await WalWriter.create(`${dir}/wal`, 0, 1 << 20, { mode, intervalMs: 60_000 });
      await w.sync();
      writeSeries(w.begin(RECORD_SERIES), []);
      w.end();
      const outcome = await Promise.race([
        w.sync().then(() => 'synced'),
        new Promise((resolve) => setTimeout(() => resolve('hung'), 3000)),
      ]);
      expect(outcome).toBe('synced');
      await w.close();
    },
  );

  it('detects, reports and truncates a torn tail, keeping what precedes it', async () => {
    const dir = await testDir();
    let db = await openTsdb({ dir, autoCompact: false });
    for (let t = 1; t <= 5; t++) {
      const app = db.appender();
      app.append(series(0), t * 1000, t);
      await app.commit();
    }
    await db.close();
    const [seg] = (await segments(dir)).slice(-1);
    const file = `${dir}/wal/${seg}`;
    const size = (await stat(file)).size;
    await truncate(file, size - 3); // the last record is torn
    await appendFile(file, Buffer.from([2, 0, 0])); // and followed by garbage
    const reports: CorruptionReport[] = [];
    db = await openTsdb({ dir, autoCompact: false, onCorruption: (r) => reports.push(r) });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.file).toBe(file);
    expect((await readAll(db, all))['__name__=w,i=0']).toEqual([1, 2, 3, 4].map((t) => [t * 1000, t]));
    expect((await stat(file)).size).toBe(reports[0]!.offsetBytes);
    const app = db.appender();
    app.append(series(0), 9000, 9);
    await app.commit();
    await db.close();
    reports.length = 0;
    db = await openTsdb({ dir, autoCompact: false, onCorruption: (r) => reports.push(r) });
    expect(reports).toEqual([]);
    expect((await readAll(db, all))['__name__=w,i=0']!.map(([t]) => t)).toEqual([
      1000, 2000, 3000, 4000, 9000,
    ]);
    await db.close();
  });

  it('stops at a corrupt record in the middle and drops the segments after it', async () => {
    const dir = await testDir();
    let db = await openTsdb({ dir, autoCompact: false, walSegmentSizeBytes: 200 });
    for (let t = 1; t <= 30; t++) {
      const app = db.appender();
      app.append(series(0), t * 1000, t);
      await app.commit();
    }
    await db.close();
    const segs = await segments(dir);
    expect(segs.length).toBeGreaterThan(3);
    const victim = `${dir}/wal/${segs[1]}`;
    const bytes = await readFile(victim);
    bytes[bytes.length - 6]! ^= 0xff;
    await writeFile(victim, bytes);
    const reports: CorruptionReport[] = [];
    db = await openTsdb({ dir, autoCompact: false, onCorruption: (r) => reports.push(r) });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.repaired.length).toBe(segs.length - 1);
    const got = (await readAll(db, all))['__name__=w,i=0']!.map(([t]) => t / 1000);
    expect(got).toEqual(got.map((_, i) => i + 1)); // a prefix, no holes
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(30);
    await db.close();
  });

  it('bounds replay with checkpoints after head cuts', async () => {
    const dir = await testDir();
    let db = await openTsdb({ dir, autoCompact: false, blockDurationMs: 1000, walSegmentSizeBytes: 512 });
    for (let t = 0; t < 5000; t += 100) {
      const app = db.appender();
      app.append(series(1), t, t);
      await app.commit();
    }
    const before = (await segments(dir)).length;
    await db.compact();
    const files = await readdir(`${dir}/wal`);
    expect(files.filter((f) => f.startsWith('checkpoint.'))).toHaveLength(1);
    expect((await segments(dir)).length).toBeLessThan(before);
    await db.close();
    db = await openTsdb({ dir, autoCompact: false, blockDurationMs: 1000 });
    expect(db.stats().replayedSamples).toBeLessThan(20);
    expect((await readAll(db, all))['__name__=w,i=1']).toHaveLength(50);
    await db.close();
  });

  it('reads back every samples record, small and wide deltas alike (property)', () => {
    const time = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
    const sample = fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), time, fc.double());
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 50 }), (samples) => {
        const w = new ByteWriter(16);
        w.u8(7); // an offset, as inside a WAL buffer
        const col = (k: 0 | 1 | 2) => Float64Array.from(samples, (s) => s[k]);
        writeSamples(w, samples.length, col(0), col(1), col(2));
        const bytes = w.finish();
        const got: [number, number, number][] = [];
        readSamples(new ByteReader(bytes, 1, bytes.length, 'test'), (ref, t, v) => got.push([ref, t, v]));
        expect(got).toEqual(samples);
      }),
      { numRuns: 300 },
    );
  });
});
