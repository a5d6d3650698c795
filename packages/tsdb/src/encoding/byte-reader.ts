import { CorruptDataError } from './corrupt-data-error.js';

const TWO_32 = 2 ** 32;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads what {@link ByteWriter} wrote. Every read is bounds-checked and throws
 * {@link CorruptDataError} past the end or on an over-long varint, so a reader of damaged
 * bytes fails with an error rather than a crash or a hang.
 */
export class ByteReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    private readonly what = 'data',
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end)
      throw new CorruptDataError(`${this.what}: unexpected end at byte ${this.pos} (need ${n} more)`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): number {
    const hi = this.u32();
    const lo = this.u32();
    if (hi >= 2 ** 21)
      throw new CorruptDataError(`${this.what}: 64-bit value beyond 2^53 at byte ${this.pos - 8}`);
    return hi * TWO_32 + lo;
  }

  f64le(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    if (this.pos < this.end) {
      const b0 = this.bytes[this.pos]!;
      if (b0 < 0x80) {
        this.pos++;
        return b0;
      }
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      this.need(1);
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new CorruptDataError(`${this.what}: varint too long at byte ${this.pos}`);
  }

  varint(): number {
    const zz = this.uvarint();
    return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
  }

  bytesOf(n: number): Uint8Array {
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  string(): string {
    const n = this.uvarint();
    try {
      return decoder.decode(this.bytesOf(n));
    } catch (err) {
      if (err instanceof CorruptDataError) throw err;
      throw new CorruptDataError(`${this.what}: invalid UTF-8 string at byte ${this.pos - n}`);
    }
  }
}
