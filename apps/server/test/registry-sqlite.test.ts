import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredGroup } from '../src/registry/registry.js';
import { SqliteRegistry } from '../src/registry/sqlite-registry.js';
import { MIGRATIONS } from '../src/registry/sqlite-schema.js';
import { runRegistryConformance } from './registry-conformance.js';

const root = mkdtempSync(join(tmpdir(), 'tally-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
let last = '';

runRegistryConformance('SQLite', {
  open: () => {
    last = join(root, `r${++n}`, 'tally.db');
    return Promise.resolve(new SqliteRegistry(last));
  },
  reopen: () => Promise.resolve(new SqliteRegistry(last)),
});

describe('SQLite push-group saves (group commit)', () => {
  const group = (key: string, pushTimeMs: number): StoredGroup => ({
    groupKey: key,
    jobId: 'j',
    labels: { job: 'j', g: key },
    familiesJson: '[]',
    body: null,
    contentType: null,
    pushTimeMs,
    failureTimeMs: 0,
  });

  it('keeps the order of changes asked without waiting, and saves survive a reopen', async () => {
    const path = join(root, 'batch', 'tally.db');
    const r = new SqliteRegistry(path);
    const saves = [r.saveGroup(group('a', 1)), r.saveGroup(group('b', 1)), r.saveGroup(group('a', 2))];
    const deleted = r.deleteGroup('b'); // asked after b's save: b must end up gone
    const failure = r.saveGroupFailure('a', 3);
    const loaded = r.loadGroups();
    await Promise.all([...saves, deleted]);
    expect(await failure).toBe(true);
    expect((await loaded).map((g) => [g.groupKey, g.pushTimeMs, g.failureTimeMs])).toEqual([['a', 2, 3]]);
    const last = r.saveGroup(group('c', 5));
    await r.close(); // flushes what is queued
    await last;
    const again = new SqliteRegistry(path);
    expect((await again.loadGroups()).map((g) => g.groupKey)).toEqual(['a', 'c']);
    await again.close();
  });
});

describe('SQLite schema migrations', () => {
  it('adds the metadata unit to a tally.db written before it: old rows read back with unit ""', async () => {
    const path = join(root, 'migrate', 'tally.db');
    mkdirSync(dirname(path), { recursive: true });
    // The schema as the migrations before the unit column left it, with a row in it.
    const old = new Database(path);
    for (const m of MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    old
      .prepare("INSERT INTO metric_metadata (job_id, metric, type, help) VALUES ('j', 'loss', 'gauge', 'L')")
      .run();
    old.close();
    const r = new SqliteRegistry(path);
    expect(await r.loadMetadata('j')).toEqual([
      { jobId: 'j', metric: 'loss', type: 'gauge', help: 'L', unit: '' },
    ]);
    await r.upsertMetadata([{ jobId: 'j', metric: 'loss', type: 'gauge', help: 'L', unit: 'ratio' }]);
    await r.close();
    const again = new SqliteRegistry(path);
    expect(await again.loadMetadata('j')).toEqual([
      { jobId: 'j', metric: 'loss', type: 'gauge', help: 'L', unit: 'ratio' },
    ]);
    await again.close();
  });
});
