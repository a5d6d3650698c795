import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import type { BitReader, BitWriter } from './bit-stream.js';

// Timestamps in a chunk (Gorilla §4.1.1, as Prometheus' XOR chunk refines it): the first as a
// varint, the second as a delta, the rest as the delta of deltas in buckets of 0, 14, 17 and 20
// bits (most scrapes are regular, so most samples cost one bit), else 64 bits.

const TWO_32 = 2 ** 32;

export function writeVarintBits(w: BitWriter, v: number): void {
  let zz = v >= 0 ? v * 2 : -v * 2 - 1;
  while (zz >= 0x80) {
    w.writeBits((zz % 0x80) | 0x80, 8);
    zz = Math.floor(zz / 0x80);
  }
  w.writeBits(zz, 8);
}

export function readVarintBits(r: BitReader): number {
  let zz = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const b = r.readBits(8);
    zz += (b & 0x7f) * scale;
    if (b < 0x80) return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
    scale *= 0x80;
  }
  throw new CorruptDataError('chunk: varint too long');
}

export function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) w.writeBit(0);
  else if (dod >= -8191 && dod <= 8192) {
    w.writeBits(0b10, 2);
    w.writeBits(dod & 0x3fff, 14);
  } else if (dod >= -65535 && dod <= 65536) {
    w.writeBits(0b110, 3);
    w.writeBits(dod & 0x1ffff, 17);
  } else if (dod >= -524287 && dod <= 524288) {
    w.writeBits(0b1110, 4);
    w.writeBits(dod & 0xfffff, 20);
  } else {
    w.writeBits(0b1111, 4);
    const hi = Math.floor(dod / TWO_32);
    w.writeBits(hi >>> 0, 32);
    w.writeBits((dod - hi * TWO_32) >>> 0, 32);
  }
}

// The buckets hold [-(2^(n-1) - 1), 2^(n-1)] (as Prometheus' bitRange): 2^(n-1) itself is
// written as its n-bit pattern 100…0 and must read back positive.
export function signExtend(v: number, bits: number): number {
  return v > 1 << (bits - 1) ? v - (1 << bits) : v;
}

export function readDod(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return signExtend(r.readBits(14), 14);
  if (r.readBit() === 0) return signExtend(r.readBits(17), 17);
  if (r.readBit() === 0) return signExtend(r.readBits(20), 20);
  const hi = r.readBits(32) | 0;
  return hi * TWO_32 + r.readBits(32);
}
