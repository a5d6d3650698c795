// RegistryFollower: notifications of other instances' changes reach the in-memory view (here a
// SQLite registry written "behind the server's back" plays the shared database).
import { MemoryStorage } from '@tally/storage';
import { describe, expect, test, vi } from 'vitest';
import { Auth } from '../src/auth/auth.js';
import { JobService } from '../src/jobs/job-service.js';
import { silentLogger } from '../src/log/logger.js';
import type { RegistryChange, StoredGroup } from '../src/registry/registry.js';
import { RegistryFollower, type GroupView } from '../src/registry/registry-follower.js';
import { SqliteRegistry } from '../src/registry/sqlite-registry.js';
import { group, job } from './registry-conformance.js';

class SharedRegistry extends SqliteRegistry {
  private listener: ((c: RegistryChange) => void) | undefined;
  failLoads = false;
  override onChange(listener: (c: RegistryChange) => void): void {
    this.listener = listener;
  }
  emit(c: RegistryChange): void {
    this.listener?.(c);
  }
  override load(): ReturnType<SqliteRegistry['load']> {
    return this.failLoads ? Promise.reject(new Error('down')) : super.load();
  }
}

class Groups implements GroupView {
  readonly groups = new Map<string, StoredGroup>();
  applyStored(g: StoredGroup): void {
    this.groups.set(g.groupKey, g);
  }
  forgetGroup(id: string): void {
    this.groups.delete(id);
  }
}

async function setup(): Promise<{
  registry: SharedRegistry;
  jobs: JobService;
  groups: Groups;
  follower: RegistryFollower;
}> {
  const registry = new SharedRegistry(':memory:');
  const jobs = new JobService(registry, new MemoryStorage(), new Auth([], []), silentLogger, true);
  await jobs.start();
  const groups = new Groups();
  const follower = new RegistryFollower(registry, jobs, groups, silentLogger);
  follower.start(0);
  return { registry, jobs, groups, follower };
}

describe('RegistryFollower', () => {
  test('a jobs notification brings in a job and then its groups, even when the group came first', async () => {
    const { registry, jobs, groups, follower } = await setup();
    await registry.createJob(job('elsewhere'), 'h');
    await registry.saveGroup(group('g1', 'elsewhere'));
    registry.emit({ kind: 'group', groupKey: 'g1' }); // before the job is known: skipped
    registry.emit({ kind: 'job', jobId: 'elsewhere' });
    await vi.waitFor(() => expect(groups.groups.has('g1')).toBe(true));
    expect(jobs.get('elsewhere')).toBeDefined();
    await follower.stop();
  });

  test('group notifications apply stored groups and forget deleted ones; "groups" re-reads all', async () => {
    const { registry, groups, follower } = await setup();
    await registry.createJob(job('j'), undefined);
    registry.emit({ kind: 'jobs' });
    await vi.waitFor(() => expect(groups.groups.size).toBe(0));
    await registry.saveGroup(group('a', 'j'));
    await registry.saveGroup(group('b', 'j'));
    registry.emit({ kind: 'group', groupKey: 'a' });
    registry.emit({ kind: 'group', groupKey: 'b' });
    await vi.waitFor(() => expect([...groups.groups.keys()].sort()).toEqual(['a', 'b']));
    await registry.deleteGroup('a');
    registry.emit({ kind: 'group', groupKey: 'a' });
    await vi.waitFor(() => expect([...groups.groups.keys()]).toEqual(['b']));
    groups.groups.set('stray', group('stray', 'j'));
    registry.emit({ kind: 'groups' });
    await vi.waitFor(() => expect([...groups.groups.keys()]).toEqual(['b']));
    await follower.stop();
  });

  test('a job notification re-reads that job only: creation, then deletion elsewhere', async () => {
    const { registry, jobs, follower } = await setup();
    const load = vi.spyOn(registry, 'load');
    await registry.createJob(job('one'), 'h-one');
    await registry.upsertMetadata([{ jobId: 'one', metric: 'acc', type: 'gauge', help: 'A', unit: '' }]);
    registry.emit({ kind: 'job', jobId: 'one' });
    await vi.waitFor(() => expect(jobs.get('one')).toEqual(job('one')));
    expect(jobs.metadata.get('one', 'acc')).toEqual({ type: 'gauge', help: 'A', unit: '' });
    await registry.markDeleting('one');
    registry.emit({ kind: 'job', jobId: 'one' });
    await vi.waitFor(() => expect(jobs.get('one')).toBeUndefined());
    expect(() => jobs.resolveForIngest('one', 1)).toThrow(/being deleted/);
    await registry.finishDeletion('one');
    registry.emit({ kind: 'job', jobId: 'one' });
    await vi.waitFor(() => expect(() => jobs.resolveForIngest('one', 1)).not.toThrow());
    expect(load).not.toHaveBeenCalled();
    await follower.stop();
  });

  test("a metadata notification re-reads that job's metadata only", async () => {
    const { registry, jobs, follower } = await setup();
    await registry.createJob(job('m'), undefined);
    registry.emit({ kind: 'jobs' });
    await vi.waitFor(() => expect(jobs.get('m')).toBeDefined());
    const load = vi.spyOn(registry, 'load');
    await registry.upsertMetadata([{ jobId: 'm', metric: 'loss', type: 'gauge', help: 'Loss', unit: '' }]);
    registry.emit({ kind: 'metadata', jobId: 'm' });
    await vi.waitFor(() =>
      expect(jobs.metadata.get('m', 'loss')).toEqual({ type: 'gauge', help: 'Loss', unit: '' }),
    );
    expect(load).not.toHaveBeenCalled();
    await follower.stop();
  });

  test('a failing refresh keeps the last view and works again later', async () => {
    const { registry, jobs, follower } = await setup();
    await registry.createJob(job('x'), undefined);
    registry.failLoads = true;
    await follower.refreshAll();
    expect(jobs.get('x')).toBeUndefined();
    registry.failLoads = false;
    await follower.refreshAll();
    expect(jobs.get('x')).toBeDefined();
    await follower.stop();
  });

  test('refreshes requested while one runs are coalesced into one more', async () => {
    const { registry, follower } = await setup();
    const load = vi.spyOn(registry, 'load');
    await Promise.all([
      follower.refreshAll(),
      follower.refreshAll(),
      follower.refreshAll(),
      follower.refreshAll(),
    ]);
    expect(load.mock.calls.length).toBe(2);
    await follower.stop();
  });
});
