// Where the conformance corpora live: ../shared/corpora beside the checkout (as on the
// developers' machines and in CI), overridable with TALLY_CORPORA.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function corporaDir(): string {
  const candidates = [
    process.env.TALLY_CORPORA,
    join(repoRoot, '..', 'shared', 'corpora'),
    '/work/shared/corpora',
  ];
  for (const dir of candidates) if (dir && existsSync(dir)) return dir;
  throw new Error(
    `conformance corpora not found; looked in ${candidates.filter(Boolean).join(', ')} (set TALLY_CORPORA)`,
  );
}

/** Absolute path of a file or folder in the corpora (`corpusPath('promql')`). */
export function corpusPath(...parts: string[]): string {
  return join(corporaDir(), ...parts);
}
