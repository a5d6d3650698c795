import { readdir, readFile, rm, truncate } from 'node:fs/promises';
import type { ByteReader } from '../encoding/byte-reader.js';
import { readRecords } from './wal-file.js';
import { segmentName } from './fs-util.js';

/** What replay found damaged and what it did about it (the `onCorruption` hook receives it). */
export interface CorruptionReport {
  readonly file: string;
  readonly offsetBytes: number;
  readonly reason: string;
  /** Files truncated at `offsetBytes` or removed because they followed the damage. */
  readonly repaired: readonly string[];
}

export interface WalListing {
  readonly segments: number[];
  readonly checkpoint: number | null;
}

export async function listWal(walDir: string): Promise<WalListing> {
  const names = await readdir(walDir);
  const segments: number[] = [];
  let checkpoint: number | null = null;
  for (const name of names) {
    if (/^\d{8}$/.test(name)) segments.push(Number(name));
    const m = /^checkpoint\.(\d{8})$/.exec(name);
    if (m) checkpoint = Math.max(checkpoint ?? -1, Number(m[1]));
    if (name.endsWith('.tmp')) await rm(`${walDir}/${name}`, { force: true });
  }
  segments.sort((a, b) => a - b);
  return { segments, checkpoint };
}

/**
 * Replays the latest checkpoint, then every segment after it, in order. A torn or corrupt
 * record ends replay: the segment is truncated at the last good record and later segments are
 * removed (what follows damage cannot be ordered safely), and `onCorruption` hears about it.
 * Returns the number the next segment should get.
 */
export async function replayWal(
  walDir: string,
  onRecord: (type: number, payload: ByteReader) => void,
  onCorruption: (report: CorruptionReport) => void,
): Promise<number> {
  const { segments, checkpoint } = await listWal(walDir);
  let next = 0;
  if (checkpoint !== null) {
    const file = `${walDir}/checkpoint.${segmentName(checkpoint)}`;
    const res = readRecords(await readFile(file), onRecord);
    if (res.corruption)
      onCorruption({ file, offsetBytes: res.validBytes, reason: res.corruption, repaired: [] });
    next = checkpoint + 1;
  }
  const todo = segments.filter((s) => checkpoint === null || s > checkpoint);
  for (let i = 0; i < todo.length; i++) {
    const file = `${walDir}/${segmentName(todo[i]!)}`;
    const bytes = await readFile(file);
    const res = readRecords(bytes, onRecord);
    next = todo[i]! + 1;
    if (!res.corruption) continue;
    const repaired = [file];
    await truncate(file, res.validBytes);
    for (const later of todo.slice(i + 1)) {
      const f = `${walDir}/${segmentName(later)}`;
      await rm(f, { force: true });
      repaired.push(f);
    }
    onCorruption({ file, offsetBytes: res.validBytes, reason: res.corruption, repaired });
    break;
  }
  for (const s of segments) if (s >= next) next = s + 1;
  return next;
}
