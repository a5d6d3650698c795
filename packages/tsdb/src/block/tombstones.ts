import { readFile } from 'node:fs/promises';
import { ByteReader } from '../encoding/byte-reader.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { crc32c } from '../encoding/crc32c.js';
import { clampTime } from '../wal/wal-record.js';
import { writeFileAtomic } from '../wal/fs-util.js';

// The `tombstones` file of a block: deleted intervals per series (docs/format.md § tombstones).
// Blocks are immutable except for this file, which a deletion rewrites atomically; the next
// compaction rewrites the block without the deleted samples (Prometheus does the same).

export const TOMBSTONES_MAGIC = 0x54544d42; // 'TTMB'

/** series reference → flat [min, max, …] inclusive intervals. */
export type Tombstones = Map<number, number[]>;

export function encodeTombstones(t: Tombstones): Uint8Array {
  const w = new ByteWriter(64);
  w.u32(TOMBSTONES_MAGIC);
  w.u8(1);
  w.u8(0);
  w.u8(0);
  w.u8(0);
  const bodyAt = w.length;
  w.uvarint(t.size);
  for (const [ref, intervals] of [...t].sort((a, b) => a[0] - b[0])) {
    w.uvarint(ref);
    w.uvarint(intervals.length / 2);
    for (const x of intervals) w.varint(clampTime(x));
  }
  w.u32(crc32c(w.bytes, bodyAt, w.length));
  return w.finish();
}

export function decodeTombstones(bytes: Uint8Array, where: string): Tombstones {
  if (bytes.length < 12) throw new CorruptDataError(`${where}: tombstones file too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== TOMBSTONES_MAGIC || bytes[4] !== 1)
    throw new CorruptDataError(`${where}: not a version 1 tombstones file`);
  if (view.getUint32(bytes.length - 4) !== crc32c(bytes, 8, bytes.length - 4))
    throw new CorruptDataError(`${where}: tombstones checksum mismatch`);
  const r = new ByteReader(bytes, 8, bytes.length - 4, where);
  const out: Tombstones = new Map();
  const n = r.uvarint();
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const k = r.uvarint();
    if (k > r.remaining) throw new CorruptDataError(`${where}: interval count beyond the file`);
    const intervals: number[] = [];
    for (let j = 0; j < 2 * k; j++) intervals.push(r.varint());
    out.set(ref, intervals);
  }
  return out;
}

export async function readTombstonesFile(dir: string): Promise<Tombstones> {
  return decodeTombstones(await readFile(`${dir}/tombstones`), `${dir}/tombstones`);
}

export async function writeTombstonesFile(dir: string, t: Tombstones): Promise<void> {
  await writeFileAtomic(dir, 'tombstones', encodeTombstones(t));
}
