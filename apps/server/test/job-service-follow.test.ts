// JobService.applySnapshot: how an instance takes in other instances' changes to a shared
// registry (the PostgreSQL path; here on SQLite with hand-made snapshots).
import { labelsFromRecord } from '@tally/model';
import { MemoryStorage } from '@tally/storage';
import { describe, expect, test, vi } from 'vitest';
import { Auth, hashToken } from '../src/auth/auth.js';
import { JobService } from '../src/jobs/job-service.js';
import { silentLogger } from '../src/log/logger.js';
import type { RegistrySnapshot } from '../src/registry/registry.js';
import { SqliteRegistry } from '../src/registry/sqlite-registry.js';
import { job } from './registry-conformance.js';

const empty: RegistrySnapshot = { jobs: [], deleting: [], tokens: [], metadata: [], activity: [] };

async function setup(): Promise<{ jobs: JobService; auth: Auth; storage: MemoryStorage }> {
  const storage = new MemoryStorage();
  const auth = new Auth(['admin'], []);
  const jobs = new JobService(new SqliteRegistry(':memory:'), storage, auth, silentLogger, false);
  await jobs.start();
  return { jobs, auth, storage };
}

const pushAuth = (auth: Auth, token: string): string => {
  try {
    const p = auth.authenticate({ headers: { authorization: `Bearer ${token}` } } as never);
    return p.kind === 'push' ? p.jobId : p.kind;
  } catch {
    return 'refused';
  }
};

describe('JobService following a shared registry', () => {
  test('jobs, tokens, metadata and activity of other instances join the view', async () => {
    const { jobs, auth } = await setup();
    jobs.applySnapshot(
      {
        ...empty,
        jobs: [job('remote')],
        tokens: [{ tokenHash: hashToken('t-remote'), jobId: 'remote' }],
        metadata: [{ jobId: 'remote', metric: 'loss', type: 'gauge', help: 'Loss', unit: '' }],
        activity: [{ jobId: 'remote', lastPushAtMs: 42, lastSampleAtMs: 41 }],
      },
      jobs.changeSeq,
    );
    expect(jobs.get('remote')).toEqual(job('remote'));
    expect(pushAuth(auth, 't-remote')).toBe('remote');
    expect(jobs.metadata.get('remote', 'loss')).toEqual({ type: 'gauge', help: 'Loss', unit: '' });
    expect(jobs.statsOf('remote').lastPushAtMs).toBe(42);
    expect(jobs.resolveForIngest('remote', 1).id).toBe('remote');
  });

  test('a job gone from the registry is forgotten: token refused, hooks run, its series deleted here', async () => {
    const { jobs, auth, storage } = await setup();
    const { pushToken } = await jobs.create(
      {
        name: 'gone',
        kind: 'experiment',
        description: '',
        declaredMetrics: [],
        strict: false,
        scrapeTargets: [],
      },
      1,
    );
    const app = storage.appender();
    app.append(labelsFromRecord({ __name__: 'x', job: 'gone' }), 1, 1);
    await app.commit();
    const forgotten: string[] = [];
    jobs.onDelete.push((id) => forgotten.push(id));
    const seq = jobs.changeSeq;
    jobs.applySnapshot({ ...empty, deleting: ['gone'] }, seq);
    expect(jobs.get('gone')).toBeUndefined();
    expect(forgotten).toEqual(['gone']);
    expect(pushAuth(auth, pushToken)).toBe('refused');
    expect(() => jobs.resolveForIngest('gone', 2)).toThrow(/being deleted/);
    await expect
      .poll(async () => {
        const q = storage.querier(0, 10);
        const n = (await q.select([])).length;
        q.close();
        return n;
      })
      .toBe(0);
    jobs.applySnapshot(empty, jobs.changeSeq);
    expect(() => jobs.resolveForIngest('gone', 2)).toThrow(/does not exist/);
  });

  test('a job deleted and created again elsewhere between two refreshes: old tokens go, new ones come', async () => {
    const { jobs, auth } = await setup();
    jobs.applySnapshot(
      { ...empty, jobs: [job('again')], tokens: [{ tokenHash: hashToken('old'), jobId: 'again' }] },
      jobs.changeSeq,
    );
    const forgotten: string[] = [];
    jobs.onDelete.push((id) => forgotten.push(id));
    const recreated = {
      ...empty,
      jobs: [job('again', { createdAtMs: 1_800_000_000_000 })],
      tokens: [{ tokenHash: hashToken('new'), jobId: 'again' }],
    };
    jobs.applySnapshot(recreated, jobs.changeSeq);
    expect(forgotten).toEqual(['again']);
    expect(pushAuth(auth, 'old')).toBe('refused');
    expect(pushAuth(auth, 'new')).toBe('again');
    expect(jobs.get('again')?.createdAtMs).toBe(1_800_000_000_000);
    // The same record again is no change.
    jobs.applySnapshot(recreated, jobs.changeSeq);
    expect(forgotten).toEqual(['again']);
  });

  test('a snapshot read before a local creation does not remove the new job', async () => {
    const { jobs } = await setup();
    const seq = jobs.changeSeq; // a refresh starts reading here…
    await jobs.create(
      {
        name: 'fresh',
        kind: 'experiment',
        description: '',
        declaredMetrics: [],
        strict: false,
        scrapeTargets: [],
      },
      1,
    );
    jobs.applySnapshot(empty, seq); // …and its (older) snapshot arrives after the creation
    expect(jobs.get('fresh')).toBeDefined();
    jobs.applySnapshot(empty, jobs.changeSeq); // a snapshot read after it, without the job: deleted elsewhere
    expect(jobs.get('fresh')).toBeUndefined();
  });

  test('a snapshot read before a push-created job was written keeps the job and its series', async () => {
    // The job's registry write is held until released, as a slow database would.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    class SlowRegistry extends SqliteRegistry {
      override async createJob(job: Parameters<SqliteRegistry['createJob']>[0], hash: string | undefined) {
        await gate;
        return super.createJob(job, hash);
      }
    }
    const storage = new MemoryStorage();
    const jobs = new JobService(new SlowRegistry(':memory:'), storage, new Auth([], []), silentLogger, true);
    await jobs.start();
    jobs.resolveForIngest('auto', 1); // a first push creates the job; its write is in flight
    const app = storage.appender();
    app.append(labelsFromRecord({ __name__: 'x', job: 'auto' }), 1, 1);
    await app.commit();
    const seq = jobs.changeSeq; // a refresh starts reading here, before the write lands…
    release();
    await vi.waitFor(() => expect(jobs.changeSeq).toBeGreaterThan(seq)); // …the write lands
    jobs.applySnapshot(empty, seq); // …and the refresh's snapshot, without the job, arrives
    expect(jobs.get('auto')).toBeDefined();
    expect(await storage.querier(0, 10).select([])).toHaveLength(1);
  });
});
