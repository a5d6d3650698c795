// One behavioural suite for every Registry implementation (SQLite: registry-sqlite.test.ts;
// PostgreSQL: registry-postgres.interop.test.ts).
import { afterEach, describe, expect, test } from 'vitest';
import type { JobRecord } from '../src/jobs/job.js';
import type { Registry, StoredGroup } from '../src/registry/registry.js';

export interface RegistryFixture {
  /** A registry over an empty store. */
  open(): Promise<Registry>;
  /** A second registry over the same store as the last `open()` (after the first is closed). */
  reopen(): Promise<Registry>;
}

export function job(id: string, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    kind: 'experiment',
    description: `the ${id} job`,
    strict: false,
    createdAtMs: 1_700_000_000_123,
    declaredMetrics: ['loss', 'acc'],
    autoCreated: false,
    scrapeTargets: [],
    ...extra,
  };
}

export function group(key: string, jobId: string, extra: Partial<StoredGroup> = {}): StoredGroup {
  return {
    groupKey: key,
    jobId,
    labels: { job: jobId, instance: key },
    familiesJson: '[{"name":"x"}]',
    body: null,
    contentType: null,
    pushTimeMs: 1_700_000_000_500,
    failureTimeMs: 0,
    ...extra,
  };
}

export function runRegistryConformance(name: string, fixture: RegistryFixture): void {
  describe(`registry conformance: ${name}`, () => {
    const open: Registry[] = [];
    const openRegistry = async (): Promise<Registry> => {
      const r = await fixture.open();
      open.push(r);
      return r;
    };
    afterEach(async () => {
      for (const r of open.splice(0)) await r.close();
    });

    test('an empty registry loads empty', async () => {
      const r = await openRegistry();
      expect(await r.load()).toEqual({ jobs: [], deleting: [], tokens: [], metadata: [], activity: [] });
      expect(await r.loadGroups()).toEqual([]);
    });

    test('jobs and tokens: created once, listed by id, every field kept', async () => {
      const r = await openRegistry();
      const targets = [
        { url: 'http://127.0.0.1:9100/metrics', intervalSeconds: 15, timeoutSeconds: 10, honorLabels: false },
        { url: 'https://x.example/m', intervalSeconds: 0.5, timeoutSeconds: 0.25, honorLabels: true },
      ];
      expect(await r.createJob(job('c', { scrapeTargets: targets }), undefined)).toBe(true);
      expect(await r.createJob(job('b', { strict: true, kind: 'deployment' }), 'hash-b')).toBe(true);
      expect(await r.createJob(job('a', { autoCreated: true, declaredMetrics: [] }), undefined)).toBe(true);
      expect(await r.createJob(job('a'), 'other')).toBe(false);
      await r.addPushToken('a', 'hash-a2', 5);
      expect(await r.hasPushToken('hash-a2')).toBe(true);
      expect(await r.hasPushToken('hash-b')).toBe(true);
      expect(await r.hasPushToken('nope')).toBe(false);
      const s = await r.load();
      expect(s.jobs).toEqual([
        job('a', { autoCreated: true, declaredMetrics: [] }),
        job('b', { strict: true, kind: 'deployment' }),
        job('c', { scrapeTargets: targets }),
      ]);
      expect(s.tokens.sort((x, y) => x.tokenHash.localeCompare(y.tokenHash))).toEqual([
        { tokenHash: 'hash-a2', jobId: 'a' },
        { tokenHash: 'hash-b', jobId: 'b' },
      ]);
    });

    test('one job: record, tokens and metadata; deleting; absent', async () => {
      const r = await openRegistry();
      await r.createJob(job('a'), 'ha');
      await r.addPushToken('a', 'ha2', 2);
      await r.upsertMetadata([{ jobId: 'a', metric: 'loss', type: 'gauge', help: 'L', unit: '' }]);
      await r.createJob(job('b'), 'hb');
      const a = await r.loadJob('a');
      expect(a.job).toEqual(job('a'));
      expect(a.deleting).toBe(false);
      expect(a.tokens.sort()).toEqual(['ha', 'ha2']);
      expect(a.metadata).toEqual([{ jobId: 'a', metric: 'loss', type: 'gauge', help: 'L', unit: '' }]);
      await r.markDeleting('b');
      expect(await r.loadJob('b')).toEqual({ job: undefined, deleting: true, tokens: ['hb'], metadata: [] });
      expect(await r.loadJob('none')).toEqual({ job: undefined, deleting: false, tokens: [], metadata: [] });
    });

    test('a token hash is unique', async () => {
      const r = await openRegistry();
      await r.createJob(job('a'), 'h');
      await r.createJob(job('b'), undefined);
      await expect(r.addPushToken('b', 'h', 1)).rejects.toThrow();
    });

    test('deletion: marked once, hidden, blocks re-creation, then every row goes', async () => {
      const r = await openRegistry();
      await r.createJob(job('a'), 'ha');
      await r.createJob(job('keep'), 'hk');
      await r.upsertMetadata([
        { jobId: 'a', metric: 'loss', type: 'gauge', help: 'L', unit: '' },
        { jobId: 'keep', metric: 'loss', type: 'gauge', help: 'K', unit: '' },
      ]);
      await r.saveActivity([{ jobId: 'a', lastPushAtMs: 10, lastSampleAtMs: 9 }]);
      await r.saveGroup(group('g-a', 'a'));
      await r.saveGroup(group('g-keep', 'keep'));
      const marks = await Promise.all([r.markDeleting('a'), r.markDeleting('a')]);
      expect(marks.filter(Boolean)).toHaveLength(1);
      expect(await r.markDeleting('nope')).toBe(false);
      expect(await r.isDeleting('a')).toBe(true);
      expect(await r.isDeleting('keep')).toBe(false);
      let s = await r.load();
      expect(s.jobs.map((j) => j.id)).toEqual(['keep']);
      expect(s.deleting).toEqual(['a']);
      expect(await r.createJob(job('a'), 'again')).toBe(false);
      await r.finishDeletion('a');
      s = await r.load();
      expect(s.deleting).toEqual([]);
      expect(s.tokens).toEqual([{ tokenHash: 'hk', jobId: 'keep' }]);
      expect(s.metadata.map((m) => m.jobId)).toEqual(['keep']);
      expect(s.activity).toEqual([]);
      expect((await r.loadGroups()).map((g) => g.groupKey)).toEqual(['g-keep']);
      expect(await r.isDeleting('a')).toBe(false);
      expect(await r.createJob(job('a'), 'again')).toBe(true);
    });

    test('metadata is upserted per job and metric', async () => {
      const r = await openRegistry();
      await r.upsertMetadata([]);
      await r.upsertMetadata([
        { jobId: 'j', metric: 'b', type: 'counter', help: 'B', unit: 'bytes' },
        { jobId: 'j', metric: 'a', type: 'gauge', help: 'A', unit: 'seconds' },
      ]);
      await r.upsertMetadata([{ jobId: 'j', metric: 'a', type: 'histogram', help: 'A2', unit: '' }]);
      expect((await r.load()).metadata).toEqual([
        { jobId: 'j', metric: 'a', type: 'histogram', help: 'A2', unit: '' },
        { jobId: 'j', metric: 'b', type: 'counter', help: 'B', unit: 'bytes' },
      ]);
      await r.upsertMetadata([{ jobId: 'other', metric: 'a', type: 'gauge', help: 'O', unit: 'ratio' }]);
      expect(await r.loadMetadata('j')).toEqual([
        { jobId: 'j', metric: 'a', type: 'histogram', help: 'A2', unit: '' },
        { jobId: 'j', metric: 'b', type: 'counter', help: 'B', unit: 'bytes' },
      ]);
      expect(await r.loadMetadata('other')).toEqual([
        { jobId: 'other', metric: 'a', type: 'gauge', help: 'O', unit: 'ratio' },
      ]);
      expect(await r.loadMetadata('none')).toEqual([]);
    });

    test('activity keeps the later times', async () => {
      const r = await openRegistry();
      await r.saveActivity([]);
      await r.saveActivity([{ jobId: 'j', lastPushAtMs: 1_700_000_000_100, lastSampleAtMs: 50 }]);
      await r.saveActivity([{ jobId: 'j', lastPushAtMs: 1_700_000_000_000, lastSampleAtMs: 60 }]);
      expect((await r.load()).activity).toEqual([
        { jobId: 'j', lastPushAtMs: 1_700_000_000_100, lastSampleAtMs: 60 },
      ]);
    });

    test('push groups: saved, replaced, failure time alone, by key, deleted, wiped', async () => {
      const r = await openRegistry();
      const body = Buffer.from([0, 1, 2, 255, 10, 0x80]);
      await r.saveGroup(group('k1', 'j', { labels: { job: 'j', a: 'ä "x"' } }));
      await r.saveGroup(group('k2', 'j', { body, contentType: 'text/plain', familiesJson: '' }));
      expect(await r.saveGroupFailure('k1', 1_700_000_000_900)).toBe(true);
      expect(await r.saveGroupFailure('absent', 1)).toBe(false);
      const all = await r.loadGroups();
      expect(all.map((g) => g.groupKey)).toEqual(['k1', 'k2']);
      expect(all[0]).toEqual(
        group('k1', 'j', { labels: { job: 'j', a: 'ä "x"' }, failureTimeMs: 1_700_000_000_900 }),
      );
      expect(Buffer.compare(all[1]!.body!, body)).toBe(0);
      expect(all[1]!.contentType).toBe('text/plain');
      await r.saveGroup(group('k1', 'j', { familiesJson: '[]', pushTimeMs: 1_700_000_001_000 }));
      const byKey = await r.loadGroupsByKey(['k1', 'absent']);
      expect(byKey.map((g) => [g.groupKey, g.familiesJson, g.pushTimeMs, g.failureTimeMs])).toEqual([
        ['k1', '[]', 1_700_000_001_000, 0],
      ]);
      expect(await r.loadGroupsByKey([])).toEqual([]);
      await r.deleteGroup('k1');
      await r.deleteGroup('k1');
      expect((await r.loadGroups()).map((g) => g.groupKey)).toEqual(['k2']);
      await r.wipeGroups();
      expect(await r.loadGroups()).toEqual([]);
    });

    test('what was written before close is there after reopening', async () => {
      const r = await fixture.open();
      await r.createJob(job('a'), 'ha');
      await r.upsertMetadata([{ jobId: 'a', metric: 'loss', type: 'gauge', help: 'L', unit: '' }]);
      await r.saveGroup(group('k', 'a'));
      await r.createJob(job('d'), undefined);
      await r.markDeleting('d');
      await r.close();
      const again = await fixture.reopen();
      open.push(again);
      const s = await again.load();
      expect(s.jobs).toEqual([job('a')]);
      expect(s.deleting).toEqual(['d']);
      expect(s.tokens).toEqual([{ tokenHash: 'ha', jobId: 'a' }]);
      expect(s.metadata).toHaveLength(1);
      expect((await again.loadGroups()).map((g) => g.groupKey)).toEqual(['k']);
    });
  });
}
