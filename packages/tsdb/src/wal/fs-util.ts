import { open, rename, writeFile } from 'node:fs/promises';

/** fsyncs a directory so a rename or a new file in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a file whole and durably: to `path.tmp`, fsync, rename, fsync the directory. */
export async function writeFileAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${dir}/${name}.tmp`;
  await writeFile(tmp, data);
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, `${dir}/${name}`);
  await syncDir(dir);
}

export const segmentName = (n: number): string => String(n).padStart(8, '0');
