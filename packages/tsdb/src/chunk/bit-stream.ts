import { CorruptDataError } from '../encoding/corrupt-data-error.js';

const TWO_32 = 2 ** 32;

/**
 * Bit-level writer over a growable byte buffer: bits go most-significant first, as in the
 * Gorilla paper and Prometheus' `bstream`. Writes never allocate except when the buffer
 * doubles, so appending a sample is allocation-free in the steady state.
 */
export class BitWriter {
  bytes: Uint8Array;
  /** Bits written so far (the first `headerBytes` bytes are a header the owner manages). */
  bitPos: number;

  constructor(initialSizeBytes: number, headerBytes: number) {
    this.bytes = new Uint8Array(initialSizeBytes);
    this.bitPos = headerBytes * 8;
  }

  get byteLength(): number {
    return (this.bitPos + 7) >>> 3;
  }

  private ensureBits(n: number): void {
    const needBytes = (this.bitPos + n + 7) >>> 3;
    if (needBytes <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needBytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes);
    this.bytes = grown;
  }

  /** Makes room for `n` more bits; the write methods below assume it was called. */
  reserve(n: number): void {
    this.ensureBits(n);
  }

  writeBit(bit: number): void {
    if (bit) this.bytes[this.bitPos >>> 3]! |= 0x80 >>> (this.bitPos & 7);
    this.bitPos++;
  }

  /** Writes the low `n` bits (0..32) of `value`, which must have no higher bits set. */
  writeBits(value: number, n: number): void {
    if (n === 0) return;
    const bytes = this.bytes;
    const pos = this.bitPos;
    let i = pos >>> 3;
    const free = 8 - (pos & 7);
    this.bitPos = pos + n;
    if (n <= free) {
      bytes[i]! |= value << (free - n);
      return;
    }
    let rem = n - free;
    bytes[i++]! |= value >>> rem;
    while (rem >= 8) {
      rem -= 8;
      bytes[i++] = (value >>> rem) & 0xff;
    }
    if (rem > 0) bytes[i] = (value << (8 - rem)) & 0xff;
  }

  /** Writes the low `n` bits (0..64) of the 64-bit value hi:lo. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /** Writes a non-negative integer below 2^53 in `n` (33..53) bits. */
  writeWide(value: number, n: number): void {
    this.writeBits(Math.floor(value / TWO_32), n - 32);
    this.writeBits(value % TWO_32, 32);
  }
}

/** Reads what {@link BitWriter} wrote; reading past `endBit` throws {@link CorruptDataError}. */
export class BitReader {
  bitPos: number;
  endBit: number;

  constructor(
    public bytes: Uint8Array,
    startByte: number,
    endByte: number,
  ) {
    this.bitPos = startByte * 8;
    this.endBit = endByte * 8;
  }

  reset(bytes: Uint8Array, startByte: number, endByte: number): void {
    this.bytes = bytes;
    this.bitPos = startByte * 8;
    this.endBit = endByte * 8;
  }

  private need(n: number): void {
    if (this.bitPos + n > this.endBit)
      throw new CorruptDataError(`chunk: unexpected end of bit stream at bit ${this.bitPos}`);
  }

  readBit(): number {
    this.need(1);
    const bit = (this.bytes[this.bitPos >>> 3]! >>> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return bit;
  }

  /** Reads `n` (0..32) bits as an unsigned integer. */
  readBits(n: number): number {
    if (n === 0) return 0;
    this.need(n);
    const bytes = this.bytes;
    const pos = this.bitPos;
    const i = pos >>> 3;
    const off = pos & 7;
    this.bitPos = pos + n;
    // A 32-bit window starting at byte i (bytes past the end read as 0 and are never used).
    let w = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) << off;
    if (off + n > 32) w |= bytes[i + 4]! >>> (8 - off);
    return w >>> (32 - n);
  }

  /** Reads an unsigned integer of `n` (33..53) bits. */
  readWide(n: number): number {
    const hi = this.readBits(n - 32);
    return hi * TWO_32 + this.readBits(32);
  }
}
