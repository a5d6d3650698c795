import { closeSync, openSync, readSync } from 'node:fs';
import { ByteReader } from '../encoding/byte-reader.js';
import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { crc32c } from '../encoding/crc32c.js';
import type { ByteWriter } from '../encoding/byte-writer.js';

// Chunk files (`chunks/000001`, …): an 8-byte header (magic 'TCHK', version 1, 3 zero bytes),
// then chunks back to back: uvarint data length, u8 encoding, data, u32 BE CRC-32C of encoding +
// data. A chunk reference is fileIndex * 2^32 + byte offset (Prometheus packs the same into u64).

export const CHUNK_FILE_MAGIC = 0x5443484b;
export const CHUNK_FILE_HEADER_BYTES = 8;
export const MAX_CHUNK_FILE_BYTES = 512 * 1024 * 1024;
const TWO_32 = 2 ** 32;

export const chunkFileName = (index: number): string => String(index + 1).padStart(6, '0');

export function writeChunkFileHeader(w: ByteWriter): void {
  w.u32(CHUNK_FILE_MAGIC);
  w.u8(1);
  w.u8(0);
  w.u8(0);
  w.u8(0);
}

/** Appends one chunk record; returns its length in bytes. */
export function writeChunkRecord(w: ByteWriter, encoding: number, data: Uint8Array): number {
  const start = w.length;
  w.uvarint(data.length);
  const encAt = w.length;
  w.u8(encoding);
  w.raw(data);
  w.u32(crc32c(w.bytes, encAt, w.length));
  return w.length - start;
}

export interface DecodedChunk {
  readonly encoding: number;
  readonly data: Uint8Array;
}

/** Parses and checks one chunk record held in `bytes` (exactly the record). */
export function parseChunkRecord(bytes: Uint8Array, where: string): DecodedChunk {
  const r = new ByteReader(bytes, 0, bytes.length, where);
  const len = r.uvarint();
  const encAt = r.pos;
  const encoding = r.u8();
  const data = r.bytesOf(len);
  const crc = r.u32();
  if (crc !== crc32c(bytes, encAt, encAt + 1 + len))
    throw new CorruptDataError(`${where}: chunk checksum mismatch`);
  return { encoding, data };
}

/** Open chunk files of one block, read with positioned reads (Node has no mmap). */
export class ChunkFiles {
  private readonly fds: number[];

  constructor(dir: string, count: number) {
    this.fds = [];
    try {
      for (let i = 0; i < count; i++) {
        const fd = openSync(`${dir}/chunks/${chunkFileName(i)}`, 'r');
        this.fds.push(fd);
        const header = new Uint8Array(CHUNK_FILE_HEADER_BYTES);
        readSync(fd, header, 0, CHUNK_FILE_HEADER_BYTES, 0);
        const magic = new DataView(header.buffer).getUint32(0);
        if (magic !== CHUNK_FILE_MAGIC || header[4] !== 1)
          throw new CorruptDataError(`${dir}/chunks/${chunkFileName(i)}: not a version 1 chunk file`);
      }
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Reads `length` bytes at chunk reference `ref`. */
  read(ref: number, length: number): Uint8Array {
    const file = Math.floor(ref / TWO_32);
    const fd = this.fds[file];
    if (fd === undefined) throw new CorruptDataError(`chunk reference ${ref} names a missing chunk file`);
    const buf = new Uint8Array(length);
    const got = readSync(fd, buf, 0, length, ref % TWO_32);
    if (got !== length)
      throw new CorruptDataError(`chunk reference ${ref}: short read (${got} of ${length} bytes)`);
    return buf;
  }

  close(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }
}
