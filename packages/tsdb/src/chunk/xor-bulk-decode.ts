import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { BitReader } from './bit-stream.js';
import { floatFromBits, shiftedHi, shiftedLo } from './float-bits.js';
import { readVarintBits, signExtend } from './timestamp-codec.js';
import { XOR_HEADER_BYTES } from './xor-chunk.js';

// The bulk form of XorChunkIterator, for head cuts, which read every sample of whole chunks:
// one loop over local variables, where the iterator makes a method call and a field update per
// bit field. Same format, same checks (xor-chunk.ts describes the layout).

const TWO_32 = 2 ** 32;

/** `n` (1..32) bits at bit `pos`; bytes past the end read as zeros (the caller checks the end). */
function take(bytes: Uint8Array, pos: number, n: number): number {
  const i = pos >>> 3;
  const off = pos & 7;
  let w = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) << off;
  if (off + n > 32) w |= bytes[i + 4]! >>> (8 - off);
  return w >>> (32 - n);
}

/** Samples an XOR chunk holds of the `numSamples` a caller knows of (its header may say more). */
export function xorSampleCount(bytes: Uint8Array, numSamples: number): number {
  if (bytes.length < XOR_HEADER_BYTES) throw new CorruptDataError('chunk: shorter than its header');
  return Math.min(numSamples, (bytes[0]! << 8) | bytes[1]!);
}

/**
 * Decodes the first `n` samples of XOR chunk `bytes` into `ts` / `vs` from index `at` (the
 * arrays have room). Damaged bytes throw {@link CorruptDataError}, as the iterator's do.
 */
export function decodeXorInto(
  bytes: Uint8Array,
  n: number,
  ts: Float64Array,
  vs: Float64Array,
  at: number,
): void {
  if (n <= 0) return;
  const end = bytes.length * 8;
  // The first two samples (varints, once per chunk) through the checked reader.
  const r = new BitReader(bytes, XOR_HEADER_BYTES, bytes.length);
  let t = readVarintBits(r);
  let vHi = r.readBits(32);
  let vLo = r.readBits(32);
  ts[at] = t;
  vs[at] = floatFromBits(vHi, vLo);
  if (n === 1) return;
  let delta = readVarintBits(r);
  let pos = r.bitPos;
  let leading = 0;
  let trailing = 0;
  let windowSet = false;
  for (let i = 1; i < n; i++) {
    if (i > 1) {
      const p = take(bytes, pos, 4);
      let dod = 0;
      if ((p & 8) === 0) pos += 1;
      else if ((p & 4) === 0) {
        dod = signExtend(take(bytes, pos + 2, 14), 14);
        pos += 16;
      } else if ((p & 2) === 0) {
        dod = signExtend(take(bytes, pos + 3, 17), 17);
        pos += 20;
      } else if ((p & 1) === 0) {
        dod = signExtend(take(bytes, pos + 4, 20), 20);
        pos += 24;
      } else {
        dod = (take(bytes, pos + 4, 32) | 0) * TWO_32 + take(bytes, pos + 36, 32);
        pos += 68;
      }
      delta += dod;
    }
    t += delta;
    // The value: '0' same as before; '10' the previous window; '11' a new window.
    const c = take(bytes, pos, 2);
    if ((c & 2) === 0) pos += 1;
    else {
      pos += 2;
      if (c === 3) {
        leading = take(bytes, pos, 5);
        let sig = take(bytes, pos + 5, 6);
        pos += 11;
        if (sig === 0) sig = 64;
        if (leading + sig > 64) throw new CorruptDataError('chunk: XOR window wider than 64 bits');
        trailing = 64 - leading - sig;
        windowSet = true;
      } else if (!windowSet) throw new CorruptDataError('chunk: XOR window reused before one was set');
      const sig = 64 - leading - trailing;
      let hi = 0;
      let lo: number;
      if (sig > 32) {
        hi = take(bytes, pos, sig - 32);
        lo = take(bytes, pos + sig - 32, 32);
      } else lo = take(bytes, pos, sig);
      pos += sig;
      vHi = (vHi ^ shiftedHi(hi, lo, trailing)) >>> 0;
      vLo = (vLo ^ shiftedLo(lo, trailing)) >>> 0;
    }
    if (pos > end) throw new CorruptDataError(`chunk: unexpected end of bit stream at bit ${end}`);
    ts[at + i] = t;
    vs[at + i] = floatFromBits(vHi, vLo);
  }
}
