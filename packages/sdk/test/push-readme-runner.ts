// Runs the README's push and StatsD examples (the ```ts push / ```ts statsd blocks, which
// test/readme.test.ts leaves out because they talk to a server) in a child process, with the
// environment pointing them at a test receiver on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

/** The code of every block fenced as ```<info>. */
export function readmeBlocks(info: string): string[] {
  return [...readme.matchAll(new RegExp(`^\`\`\`${info}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);
}

export async function runExample(
  code: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(packageDir, '.readme-push-run-'));
  try {
    const file = join(dir, 'example.ts');
    writeFileSync(file, `${code}\nexport {};\n`);
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code: exitCode, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
