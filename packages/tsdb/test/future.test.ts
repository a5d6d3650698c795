import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { FutureSampleError, InvalidOptionsError, openTsdb } from '../src/index.js';
import { readAll } from '@tally/storage/conformance';
import { testDir } from './test-dir.js';

const MINUTE = 60_000;
const series = labelsFromRecord({ __name__: 'future', job: 'j' });

describe('maxFutureMs', () => {
  it('refuses a sample too far ahead of the clock, naming its time, and leaves the head where it was', async () => {
    let now = Date.UTC(2026, 0, 1);
    const db = await openTsdb({ dir: await testDir(), autoCompact: false, nowMs: () => now });
    const app = db.appender();
    app.append(series, now - MINUTE, 1);
    app.append(series, now + 10 * MINUTE, 2); // exactly the default limit: accepted
    let err: unknown;
    try {
      app.append(series, now + 10 * MINUTE + 1, 3);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FutureSampleError);
    expect((err as Error).message).toContain('2026-01-01T00:10:00.001Z');
    expect((err as Error).message).toContain('maxFutureMs');
    await app.commit();
    expect(db.stats().maxTimeMs).toBe(now + 10 * MINUTE);
    // A year ahead: refused, and normal appends go on (the head's time did not jump).
    const next = db.appender();
    expect(() => next.append(series, now + 365 * 24 * 60 * MINUTE, 9)).toThrow(FutureSampleError);
    now += 20 * MINUTE;
    // The same appender sees the clock move: what was too far ahead is now fine.
    next.append(series, now + 5 * MINUTE, 4);
    await next.commit();
    const got = await readAll(db, [new Matcher('=', '__name__', 'future')]);
    expect(Object.values(got)[0]!.map(([, v]) => v)).toEqual([1, 2, 4]);
    await db.close();
  });

  it('takes any timestamp with maxFutureMs: Infinity, and refuses a bad limit', async () => {
    const dir = await testDir();
    await expect(openTsdb({ dir, maxFutureMs: -1 })).rejects.toThrow(InvalidOptionsError);
    const db = await openTsdb({ dir, autoCompact: false, maxFutureMs: Infinity });
    const app = db.appender();
    app.append(series, Date.now() + 365 * 24 * 60 * MINUTE, 1);
    await app.commit();
    expect(db.stats().numSamples).toBe(1);
    await db.close();
  });

  it('replays what was accepted even if it is ahead of the clock at reopen', async () => {
    const dir = await testDir();
    let now = Date.UTC(2026, 0, 1);
    const db = await openTsdb({ dir, autoCompact: false, nowMs: () => now });
    const app = db.appender();
    app.append(series, now + 9 * MINUTE, 1);
    await app.commit();
    await db.close();
    now -= 60 * MINUTE; // the clock was set back
    const again = await openTsdb({ dir, autoCompact: false, nowMs: () => now });
    expect(again.stats().numSamples).toBe(1);
    await again.close();
  });
});
