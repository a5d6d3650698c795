import { OtlpDecodeError } from './otlp-model.js';

/**
 * A minimal protobuf wire-format reader over one buffer: varints, fixed 32/64-bit fields and
 * length-delimited ranges. Every read is bounds-checked and throws {@link OtlpDecodeError}.
 */
export class WireReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number (exact up to 2^53; larger values lose low bits, as JSON would). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpDecodeError('protobuf: truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new OtlpDecodeError('protobuf: varint longer than 10 bytes');
  }

  /** A varint read as a two's complement int64. */
  int64(): number {
    const start = this.pos;
    const n = this.varint();
    if (this.pos - start === 10 && n >= 2 ** 63) return n - 2 ** 64;
    return n;
  }

  /** Field number and wire type of the next field. */
  tag(): [field: number, wire: number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new OtlpDecodeError('protobuf: truncated field');
  }

  fixed64Unsigned(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed64Signed(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field: its [start, end) in the buffer. */
  delimited(): [number, number] {
    const len = this.varint();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  string(): string {
    const [s, e] = this.delimited();
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('utf8');
  }

  /** A sub-reader over a length-delimited field. */
  message(): WireReader {
    const [s, e] = this.delimited();
    return new WireReader(this.buf, s, e);
  }

  /** Packed (or single unpacked) repeated fixed64/double: calls `each` per element. */
  packed64(wire: number, each: (r: WireReader) => void): void {
    if (wire === 1) {
      each(this);
      return;
    }
    if (wire !== 2) throw new OtlpDecodeError(`protobuf: wire type ${wire} for a repeated 64-bit field`);
    const sub = this.message();
    if ((sub.end - sub.pos) % 8 !== 0)
      throw new OtlpDecodeError('protobuf: packed 64-bit field of odd length');
    while (!sub.done()) each(sub);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.need(8);
        this.pos += 8;
        return;
      case 2:
        this.delimited();
        return;
      case 5:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError(`protobuf: unsupported wire type ${wire}`);
    }
  }
}

/** Nanoseconds since the epoch (fixed64) to milliseconds, truncated. */
export function nanosToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
