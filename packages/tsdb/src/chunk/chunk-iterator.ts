import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { XorChunkIterator } from './xor-chunk.js';
import { ScaledIntChunkIterator } from './scaled-int-chunk.js';

/** Chunk encodings, as the byte before each chunk in a chunk file says (docs/format.md). */
export const ENCODING_XOR = 1;
export const ENCODING_SCALED_INT = 2;

/** Iterates a decoded chunk; `t` and `v` are fields so iteration allocates nothing per sample. */
export interface ChunkIterator {
  next(): boolean;
  readonly t: number;
  readonly v: number;
}

/** A decoder for `bytes` in `encoding`; throws {@link CorruptDataError} on an unknown encoding. */
export function chunkIterator(encoding: number, bytes: Uint8Array, numSamples = -1): ChunkIterator {
  if (encoding === ENCODING_XOR) return new XorChunkIterator(bytes, numSamples);
  if (encoding === ENCODING_SCALED_INT) return new ScaledIntChunkIterator(bytes);
  throw new CorruptDataError(`chunk: unknown encoding ${encoding}`);
}
