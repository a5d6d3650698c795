// Constants of the block index file (docs/format.md § index).
export const INDEX_MAGIC = 0x54494458; // 'TIDX'
export const INDEX_HEADER_BYTES = 8;
/** Five u64 section offsets and a CRC-32C. */
export const INDEX_TOC_BYTES = 5 * 8 + 4;

export interface ChunkMeta {
  readonly minT: number;
  readonly maxT: number;
  /** fileIndex * 2^32 + offset of the chunk record in its chunk file. */
  readonly ref: number;
  /** Length of the whole chunk record (length varint, encoding, data, CRC). */
  readonly length: number;
}
