// A job deletion whose storage step fails (a remote engine down) is accepted, leaves the job
// out of the view at once, and completes by itself once storage answers — also when the failure
// happens while finishing an interrupted deletion at start-up, which must not stop the server.
import { labelsFromRecord } from '@tally/model';
import { Matcher, MemoryStorage } from '@tally/storage';
import { describe, expect, test, vi } from 'vitest';
import { Auth } from '../src/auth/auth.js';
import { DeletionRetry } from '../src/jobs/deletion-retry.js';
import { JobService } from '../src/jobs/job-service.js';
import { silentLogger } from '../src/log/logger.js';
import { SqliteRegistry } from '../src/registry/sqlite-registry.js';
import { job } from './registry-conformance.js';

/** Storage whose deletions fail while `failing` is set, like a remote engine that is down. */
class FlakyStorage extends MemoryStorage {
  failing = true;
  attempts = 0;
  override deleteSeries(matchers: readonly Matcher[], minT?: number, maxT?: number): Promise<void> {
    this.attempts++;
    if (this.failing) return Promise.reject(new Error('engine unreachable'));
    return super.deleteSeries(matchers, minT, maxT);
  }
}

async function seriesOf(storage: MemoryStorage, jobId: string): Promise<number> {
  return (await storage.querier(-1e15, 1e15).select([new Matcher('=', 'job', jobId)])).length;
}

async function addSeries(storage: MemoryStorage, jobId: string): Promise<void> {
  const app = storage.appender();
  app.append(labelsFromRecord({ __name__: 'loss', job: jobId }), 1000, 0.5);
  await app.commit();
}

const waitLong = { timeout: 15_000, interval: 50 };

describe('job deletion when storage cannot delete yet', () => {
  test('is accepted, hides the job at once, and completes once storage answers', async () => {
    const storage = new FlakyStorage();
    const registry = new SqliteRegistry(':memory:');
    const jobs = new JobService(registry, storage, new Auth([], []), silentLogger, true);
    await jobs.start();
    await jobs.create(
      {
        name: 'run-1',
        kind: 'experiment',
        description: '',
        declaredMetrics: [],
        strict: false,
        scrapeTargets: [],
      },
      1,
    );
    await addSeries(storage, 'run-1');

    const failure = await jobs.delete('run-1');
    expect((failure as Error).message).toBe('engine unreachable');
    expect(jobs.get('run-1')).toBeUndefined();
    expect(() => jobs.resolveForIngest('run-1', 2)).toThrow(/being deleted|deleted/);
    expect(await registry.isDeleting('run-1')).toBe(true);
    expect(jobs.deletionRetry.size).toBe(1);

    storage.failing = false;
    await vi.waitFor(() => expect(jobs.deletionRetry.size).toBe(0), waitLong);
    expect(await seriesOf(storage, 'run-1')).toBe(0);
    expect(await registry.isDeleting('run-1')).toBe(false);
    await jobs.stop();
  });

  test('an interrupted deletion that fails at start-up does not stop the start, and completes later', async () => {
    const storage = new FlakyStorage();
    const registry = new SqliteRegistry(':memory:');
    await registry.createJob(job('half-gone'), undefined);
    await registry.markDeleting('half-gone');
    await addSeries(storage, 'half-gone');
    const jobs = new JobService(registry, storage, new Auth([], []), silentLogger, true);
    await jobs.start();
    expect(jobs.get('half-gone')).toBeUndefined();
    expect(jobs.deletionRetry.size).toBe(1);
    storage.failing = false;
    await vi.waitFor(() => expect(jobs.deletionRetry.size).toBe(0), waitLong);
    expect(await seriesOf(storage, 'half-gone')).toBe(0);
    expect(await registry.isDeleting('half-gone')).toBe(false);
    await jobs.stop();
  });
});

describe('DeletionRetry', () => {
  test('retries each failing job with backoff until it succeeds, and stops when told', async () => {
    const failuresLeft = new Map([
      ['a', 3],
      ['b', 1],
    ]);
    const done: string[] = [];
    const failures: string[] = [];
    const retry = new DeletionRetry(
      (id) => {
        const left = failuresLeft.get(id) ?? 0;
        if (left > 0) {
          failuresLeft.set(id, left - 1);
          return Promise.reject(new Error(`${id} not yet`));
        }
        done.push(id);
        return Promise.resolve();
      },
      (id) => failures.push(id),
      1,
      4,
    );
    expect(await retry.run('a')).toBeInstanceOf(Error);
    expect(await retry.run('b')).toBeInstanceOf(Error);
    expect(await retry.run('c')).toBeUndefined();
    await vi.waitFor(() => expect(retry.size).toBe(0), waitLong);
    expect(done.sort()).toEqual(['a', 'b', 'c']);
    expect(failures.filter((f) => f === 'a')).toHaveLength(3);
    expect(failures.filter((f) => f === 'b')).toHaveLength(1);

    failuresLeft.set('d', Infinity);
    await retry.run('d');
    retry.stop();
    const before = failures.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(failures.length).toBe(before);
  });
});
