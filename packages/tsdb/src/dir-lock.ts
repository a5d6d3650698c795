import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DirectoryLockedError } from './errors.js';

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/lock` (holding our pid) so two stores never write one directory. A lock left by
 * a process that died (kill -9) is taken over; one held by a live process, or by this process
 * for a store not yet closed, is refused.
 */
export function lockDir(dir: string): () => void {
  const abs = resolve(dir);
  const file = `${abs}/lock`;
  if (heldHere.has(abs)) throw new DirectoryLockedError(`${abs} is already open in this process`);
  let pid = NaN;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    // no lock file
  }
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
    throw new DirectoryLockedError(`${abs} is locked by running process ${pid}`);
  writeFileSync(file, `${process.pid}\n`);
  heldHere.add(abs);
  return () => {
    heldHere.delete(abs);
    rmSync(file, { force: true });
  };
}
