import type { Labels } from '@tally/model';
import { ByteWriter } from '../encoding/byte-writer.js';
import { crc32c } from '../encoding/crc32c.js';
import { INDEX_MAGIC, type ChunkMeta } from './index-format.js';

export interface IndexSeries {
  readonly labels: Labels;
  readonly chunks: readonly ChunkMeta[];
}

/** Writes a section body framed by a u32 length before and a CRC-32C after. */
function framed(w: ByteWriter, body: (w: ByteWriter) => void): void {
  const at = w.length;
  w.u32(0);
  body(w);
  w.patchU32(at, w.length - at - 4);
  w.u32(crc32c(w.bytes, at + 4, w.length));
}

/**
 * Builds a block index: symbol table, series (sorted by labels; a series' reference is the
 * byte offset of its entry), postings lists, the postings offset table and the table of
 * contents (docs/format.md § index). `series` must be sorted by labels.
 */
export function writeIndex(series: readonly IndexSeries[]): Uint8Array {
  const symbolSet = new Set<string>();
  for (const s of series)
    for (const l of s.labels) {
      symbolSet.add(l.name);
      symbolSet.add(l.value);
    }
  const symbols = [...symbolSet].sort();
  const symbolIndex = new Map<string, number>();
  symbols.forEach((s, i) => symbolIndex.set(s, i));

  const w = new ByteWriter(1 << 16);
  w.u32(INDEX_MAGIC);
  w.u8(1);
  w.u8(0);
  w.u8(0);
  w.u8(0);

  const symbolsOffset = w.length;
  framed(w, (w) => {
    w.uvarint(symbols.length);
    for (const s of symbols) w.string(s);
  });

  const seriesOffset = w.length;
  const postings = new Map<string, Map<string, number[]>>();
  const all: number[] = [];
  for (const s of series) {
    const ref = w.length;
    all.push(ref);
    const lenAt = w.length;
    w.u32(0);
    const bodyAt = w.length;
    w.uvarint(s.labels.length);
    for (const l of s.labels) {
      w.uvarint(symbolIndex.get(l.name)!);
      w.uvarint(symbolIndex.get(l.value)!);
      let values = postings.get(l.name);
      if (!values) postings.set(l.name, (values = new Map<string, number[]>()));
      const list = values.get(l.value);
      if (list) list.push(ref);
      else values.set(l.value, [ref]);
    }
    w.uvarint(s.chunks.length);
    if (s.chunks.length > 0) w.uvarint(s.chunks[0]!.ref);
    let prevMaxT = 0;
    s.chunks.forEach((c, i) => {
      w.varint(i === 0 ? c.minT : c.minT - prevMaxT);
      w.uvarint(c.maxT - c.minT);
      w.uvarint(c.length);
      prevMaxT = c.maxT;
    });
    w.patchU32(lenAt, w.length - bodyAt);
    w.u32(crc32c(w.bytes, bodyAt, w.length));
  }

  const writeList = (refs: readonly number[]): void =>
    framed(w, (w) => {
      w.uvarint(refs.length);
      let prev = 0;
      for (const r of refs) {
        w.uvarint(r - prev);
        prev = r;
      }
    });

  const postingsOffset = w.length;
  const table: [number, number, number][] = [];
  for (const name of [...postings.keys()].sort()) {
    const values = postings.get(name)!;
    for (const value of [...values.keys()].sort()) {
      table.push([symbolIndex.get(name)!, symbolIndex.get(value)!, w.length]);
      writeList(values.get(value)!);
    }
  }
  const allPostingsOffset = w.length;
  writeList(all);

  const tableOffset = w.length;
  framed(w, (w) => {
    w.uvarint(table.length);
    for (const [n, v, off] of table) {
      w.uvarint(n);
      w.uvarint(v);
      w.uvarint(off);
    }
  });

  const tocAt = w.length;
  for (const off of [symbolsOffset, seriesOffset, postingsOffset, tableOffset, allPostingsOffset]) w.u64(off);
  w.u32(crc32c(w.bytes, tocAt, w.length));
  return w.finish();
}
