import { readdir, rm } from 'node:fs/promises';
import { listWal } from './wal-reader.js';
import { segmentName, writeFileAtomic } from './fs-util.js';

/**
 * Makes `records` (the head's state as of the end of segment `upTo`) the new replay start:
 * writes `checkpoint.<upTo>` atomically, then deletes segments <= upTo and older checkpoints.
 * Replay then reads one checkpoint plus the segments after it, so its cost is bounded by the
 * head's size, not by how long the store has been running (Prometheus: wlog.Checkpoint).
 */
export async function writeCheckpoint(walDir: string, upTo: number, records: Uint8Array): Promise<void> {
  await writeFileAtomic(walDir, `checkpoint.${segmentName(upTo)}`, records);
  const { segments } = await listWal(walDir);
  for (const s of segments) if (s <= upTo) await rm(`${walDir}/${segmentName(s)}`, { force: true });
  for (const name of await readdir(walDir)) {
    const m = /^checkpoint\.(\d{8})$/.exec(name);
    if (m && Number(m[1]) < upTo) await rm(`${walDir}/${name}`, { force: true });
  }
}
