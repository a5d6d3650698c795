import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { peerAvailable } from '../../../test-support/peers.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from '../../../test-support/postgres.js';
import { silentLogger } from '../src/log/logger.js';
import { PostgresRegistry } from '../src/registry/postgres-registry.js';
import type { RegistryChange } from '../src/registry/registry.js';
import { RegistryUnavailableError } from '../src/registry/registry-unavailable.js';
import { group, job, runRegistryConformance } from './registry-conformance.js';
import { untilTrue } from '../../../test-support/poll.js';

const available = peerAvailable('postgresql (/usr/lib/postgresql/*/bin)', postgresBinDir() !== undefined);

/** Polls until `check` is true (generous: the machine is loaded). */
describe.runIf(available)('PostgreSQL registry', () => {
  let pg: RunningPostgres;
  let n = 0;
  let lastUrl = '';
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg.remove();
  });

  runRegistryConformance('PostgreSQL', {
    open: async () => {
      lastUrl = await pg.createDatabase(`conf_${++n}`);
      return PostgresRegistry.open({ url: lastUrl, log: silentLogger });
    },
    reopen: () => PostgresRegistry.open({ url: lastUrl, log: silentLogger }),
  });

  test('instances starting at once migrate once (advisory lock) and share one schema', async () => {
    const url = await pg.createDatabase('concurrent_start');
    const rs = await Promise.all([1, 2, 3, 4].map(() => PostgresRegistry.open({ url, log: silentLogger })));
    try {
      await rs[0]!.createJob(job('x'), 'hx');
      for (const r of rs) expect((await r.load()).jobs.map((j) => j.id)).toEqual(['x']);
    } finally {
      for (const r of rs) await r.close();
    }
  });

  test("one instance's writes notify the others, never itself", async () => {
    const url = await pg.createDatabase('notify');
    const a = await PostgresRegistry.open({ url, log: silentLogger });
    const b = await PostgresRegistry.open({ url, log: silentLogger });
    const seenA: RegistryChange[] = [];
    const seenB: RegistryChange[] = [];
    a.onChange((c) => seenA.push(c));
    b.onChange((c) => seenB.push(c));
    try {
      await a.createJob(job('j'), 'h');
      await a.saveGroup(group('g1', 'j'));
      await a.deleteGroup('g1');
      await a.wipeGroups();
      await a.saveGroup(group('x'.repeat(7500), 'j'));
      await a.upsertMetadata([{ jobId: 'j', metric: 'm', type: 'gauge', help: '', unit: '' }]);
      await a.upsertMetadata([
        { jobId: 'j', metric: 'm', type: 'gauge', help: '', unit: '' },
        { jobId: 'k', metric: 'm', type: 'gauge', help: '', unit: '' },
      ]);
      await untilTrue('seven notifications at b', () => seenB.length >= 7);
      expect(seenB).toEqual([
        { kind: 'job', jobId: 'j' },
        { kind: 'group', groupKey: 'g1' },
        { kind: 'group', groupKey: 'g1' },
        { kind: 'groups' },
        { kind: 'groups' },
        { kind: 'metadata', jobId: 'j' },
        { kind: 'jobs' },
      ]);
      await b.markDeleting('j');
      await untilTrue('the deletion at a', () => seenA.length >= 1);
      expect(seenA).toEqual([{ kind: 'job', jobId: 'j' }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('database down: writes fail with 503, notifications come back after it restarts', async () => {
    const own = await startPostgres();
    const r = await PostgresRegistry.open({ url: own.url, log: silentLogger });
    const seen: RegistryChange[] = [];
    r.onChange((c) => seen.push(c));
    try {
      await r.createJob(job('before'), 'h1');
      await own.stop();
      const err = await r.createJob(job('during'), 'h2').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RegistryUnavailableError);
      expect((err as RegistryUnavailableError).status).toBe(503);
      expect((err as Error).message).toMatch(/registry database is unreachable/);
      await expect(r.load()).rejects.toBeInstanceOf(RegistryUnavailableError);
      await own.restart();
      // The listener reconnects with backoff and asks for a full refresh (changes may be lost).
      await untilTrue('the reconnection refresh', () => seen.some((c) => c.kind === 'jobs'), 60_000);
      expect(seen).toContainEqual({ kind: 'groups' });
      await untilTrue('writes to work again', () =>
        r.createJob(job('after'), 'h3').then(
          () => true,
          () => false,
        ),
      );
      expect((await r.load()).jobs.map((j) => j.id)).toEqual(['after', 'before']);
    } finally {
      await r.close();
      await own.remove();
    }
  });
});
