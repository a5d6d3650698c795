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
export function encodeChunk(
  ts: Float64Array,
  vs: Float64Array,
  from: number,
  to: number,
  /** These samples' XOR chunk when one exists already (the head's): not encoded again. */
  xorOfThese?: Uint8Array,
): EncodedChunk {
  let xorBytes = xorOfThese;
  if (xorBytes === undefined) {
    const xor = new XorChunkAppender();
    for (let i = from; i < to; i++) xor.appendAt(ts, vs, i);
    xorBytes = xor.bytes().slice();
  }
  const scaled = encodeScaledInt(ts, vs, from, to);
  if (scaled && scaled.length < xorBytes.length) return { encoding: ENCODING_SCALED_INT, bytes: scaled };
  return { encoding: ENCODING_XOR, bytes: xorBytes };
}
