import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shebangNodeFlags } from './node-flags.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

describe('the node flags tally runs with', () => {
  it('are on the shebang line of the CLI, and npm start passes the same', () => {
    const flags = shebangNodeFlags(join(import.meta.dirname, 'main.ts'));
    expect(flags).toEqual(['--min-semi-space-size=16']);
    const start = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    expect(start).toContain(`node ${flags.join(' ')} apps/server/dist/cli/main.js serve`);
  });

  it('are none for a plain node shebang or none at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-shebang-'));
    try {
      const file = join(dir, 'x.js');
      writeFileSync(file, '#!/usr/bin/env node\nconsole.log(1);\n');
      expect(shebangNodeFlags(file)).toEqual([]);
      writeFileSync(file, 'console.log(1);\n');
      expect(shebangNodeFlags(file)).toEqual([]);
      writeFileSync(file, '#!/usr/bin/env -S node --a=1 --b\n');
      expect(shebangNodeFlags(file)).toEqual(['--a=1', '--b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
