// The README's examples are run, not just shown: every ```ts block (those marked `ts server`
// listen on a port or import Express/Fastify, and are left out) runs in one tsx process, in
// order, with the default registry cleared between blocks. tsx (esbuild) lowers the TC39
// decorators the seed's examples use, which vitest's transformer does not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function blocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

it('runs every example of the README', () => {
  const examples = blocks(readFileSync(join(packageDir, 'README.md'), 'utf8'));
  expect(examples.length).toBeGreaterThanOrEqual(10);
  const dir = mkdtempSync(join(packageDir, '.readme-run-'));
  try {
    examples.forEach((code, i) => {
      writeFileSync(join(dir, `block-${i}.ts`), `${code}\nexport {};\n`);
    });
    writeFileSync(
      join(dir, 'run.ts'),
      `import { register } from '@tally/sdk';
for (let i = 0; i < ${examples.length}; i++) {
  register.clear();
  try {
    await import(\`./block-\${i}.ts\`);
  } catch (error) {
    console.error(\`README block \${i} failed:\`, error);
    process.exit(1);
  }
}
console.log('ran ${examples.length} blocks');
`,
    );
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(dir, 'run.ts')], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`ran ${examples.length} blocks`);
    expect(r.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
