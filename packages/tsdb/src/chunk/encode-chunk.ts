import { ENCODING_SCALED_INT, ENCODING_XOR } from './chunk-iterator.js';
import { encodeScaledInt } from './scaled-int-chunk.js';
import { XorChunkAppender } from './xor-chunk.js';

export interface EncodedChunk {
  readonly encoding: number;
  readonly bytes: Uint8Array;
}

/**
 * Encodes samples [from, to) for a block in whichever lossless encoding is smaller: XOR (any
 * float, NaN payloads included) or scaled integers (exact short decimals).
 */
export function encodeChunk(ts: Float64Array, vs: Float64Array, from: number, to: number): EncodedChunk {
  const xor = new XorChunkAppender();
  for (let i = from; i < to; i++) xor.append(ts[i]!, vs[i]!);
  const xorBytes = xor.bytes();
  const scaled = encodeScaledInt(ts, vs, from, to);
  if (scaled && scaled.length < xorBytes.length) return { encoding: ENCODING_SCALED_INT, bytes: scaled };
  return { encoding: ENCODING_XOR, bytes: xorBytes.slice() };
}
