import { labelsFromRecord, labelsKey } from '@tally/model';
import { describe, expect, it } from 'vitest';
import { JobStats } from './job-stats.js';

const labels = labelsFromRecord({ __name__: 'loss', job: 'j' });
const key = labelsKey(labels);

describe('JobStats.record', () => {
  it('returns the series entry, the same object on every later sample, owned by these stats', () => {
    const stats = new JobStats();
    const first = stats.record(key, labels, 1000, 0.5, 7);
    expect(first).toMatchObject({ name: 'loss', lastTimestampMs: 1000, lastValue: 0.5, ref: 7 });
    expect(first.owner).toBe(stats);
    expect(stats.get(key)).toBe(first);
    const again = stats.record(key, labels, 2000, 0.25, undefined, first);
    expect(again).toBe(first);
    expect(first).toMatchObject({ lastTimestampMs: 2000, lastValue: 0.25, ref: 7 });
    // An older sample leaves the newest in place.
    stats.record(key, labels, 1500, 9, undefined, first);
    expect(first).toMatchObject({ lastTimestampMs: 2000, lastValue: 0.25 });
    expect(stats.seriesCount).toBe(1);
  });

  it('ignores an entry passed in that belongs to other stats (a deleted job’s) and uses its own', () => {
    const old = new JobStats();
    const stale = old.record(key, labels, 1000, 1, 3);
    const stats = new JobStats();
    const fresh = stats.record(key, labels, 500, 2, 4, stale);
    expect(fresh).not.toBe(stale);
    expect(fresh.owner).toBe(stats);
    expect(stats.get(key)).toBe(fresh);
    expect(stale).toMatchObject({ lastTimestampMs: 1000, lastValue: 1, ref: 3 });
    expect(fresh).toMatchObject({ lastTimestampMs: 500, lastValue: 2, ref: 4 });
  });
});
