import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteRegistry } from '../src/registry/sqlite-registry.js';
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
