import type { Label, Labels } from '@tally/model';
import { ByteReader } from '../encoding/byte-reader.js';
import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { crc32c } from '../encoding/crc32c.js';
import { INDEX_HEADER_BYTES, INDEX_MAGIC, INDEX_TOC_BYTES, type ChunkMeta } from './index-format.js';

const TWO_32 = 2 ** 32;

export interface IndexSeriesEntry {
  readonly labels: Labels;
  readonly chunks: ChunkMeta[];
}

/**
 * Reads a block index held in memory. The table of contents, symbol table and postings offset
 * table are checked and parsed up front; series entries and postings lists are parsed (and
 * their checksums checked) when a query needs them. Damaged bytes throw {@link CorruptDataError}.
 */
export class IndexReader {
  readonly symbols: string[] = [];
  /** label name → value → offset of its postings list. */
  readonly postingsTable = new Map<string, Map<string, number>>();
  private readonly allPostingsOffset: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly where: string,
  ) {
    if (bytes.length < INDEX_HEADER_BYTES + INDEX_TOC_BYTES)
      throw new CorruptDataError(`${where}: index too short`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0) !== INDEX_MAGIC || bytes[4] !== 1)
      throw new CorruptDataError(`${where}: not a version 1 index`);
    const tocAt = bytes.length - INDEX_TOC_BYTES;
    if (view.getUint32(tocAt + 40) !== crc32c(bytes, tocAt, tocAt + 40))
      throw new CorruptDataError(`${where}: table of contents checksum mismatch`);
    const toc = new ByteReader(bytes, tocAt, tocAt + 40, where);
    const [symbolsOffset, , , tableOffset, allOffset] = [
      toc.u64(),
      toc.u64(),
      toc.u64(),
      toc.u64(),
      toc.u64(),
    ];
    this.allPostingsOffset = allOffset;

    const sym = this.section(symbolsOffset);
    const count = sym.uvarint();
    if (count > sym.remaining) throw new CorruptDataError(`${where}: symbol count beyond the table`);
    for (let i = 0; i < count; i++) this.symbols.push(sym.string());

    const table = this.section(tableOffset);
    const entries = table.uvarint();
    if (entries > table.remaining)
      throw new CorruptDataError(`${where}: postings table count beyond the table`);
    for (let i = 0; i < entries; i++) {
      const name = this.symbol(table.uvarint());
      const value = this.symbol(table.uvarint());
      const off = table.uvarint();
      let values = this.postingsTable.get(name);
      if (!values) this.postingsTable.set(name, (values = new Map<string, number>()));
      values.set(value, off);
    }
  }

  private symbol(i: number): string {
    const s = this.symbols[i];
    if (s === undefined) throw new CorruptDataError(`${this.where}: symbol ${i} out of range`);
    return s;
  }

  /** A reader over a length-prefixed, checksummed section at `offset`. */
  private section(offset: number): ByteReader {
    if (offset > this.bytes.length - 8)
      throw new CorruptDataError(`${this.where}: section offset ${offset} out of range`);
    const r = new ByteReader(this.bytes, offset, this.bytes.length, this.where);
    const len = r.u32();
    const start = r.pos;
    if (len > this.bytes.length - start - 4)
      throw new CorruptDataError(`${this.where}: section at ${offset} overruns the file`);
    const crc = new DataView(this.bytes.buffer, this.bytes.byteOffset).getUint32(start + len);
    if (crc !== crc32c(this.bytes, start, start + len))
      throw new CorruptDataError(`${this.where}: checksum mismatch in section at ${offset}`);
    return new ByteReader(this.bytes, start, start + len, this.where);
  }

  postings(offset: number): number[] {
    const r = this.section(offset);
    const n = r.uvarint();
    if (n > r.remaining) throw new CorruptDataError(`${this.where}: postings count beyond the list`);
    const out = new Array<number>(n);
    let ref = 0;
    for (let i = 0; i < n; i++) out[i] = ref += r.uvarint();
    return out;
  }

  allPostings(): number[] {
    return this.postings(this.allPostingsOffset);
  }

  series(ref: number): IndexSeriesEntry {
    const r = this.section(ref);
    const n = r.uvarint();
    if (n > r.remaining) throw new CorruptDataError(`${this.where}: label count beyond the series entry`);
    const labels: Label[] = [];
    for (let i = 0; i < n; i++)
      labels.push({ name: this.symbol(r.uvarint()), value: this.symbol(r.uvarint()) });
    const nChunks = r.uvarint();
    if (nChunks > r.remaining)
      throw new CorruptDataError(`${this.where}: chunk count beyond the series entry`);
    const chunks: ChunkMeta[] = [];
    if (nChunks > 0) {
      let chunkRef = r.uvarint();
      let prevMaxT = 0;
      for (let i = 0; i < nChunks; i++) {
        const minT = i === 0 ? r.varint() : prevMaxT + r.varint();
        const maxT = minT + r.uvarint();
        const length = r.uvarint();
        chunks.push({ minT, maxT, ref: chunkRef, length });
        chunkRef += length;
        prevMaxT = maxT;
      }
      if (chunkRef % TWO_32 < chunks[0]!.ref % TWO_32)
        throw new CorruptDataError(`${this.where}: chunk references wrap`);
    }
    return { labels, chunks };
  }
}
