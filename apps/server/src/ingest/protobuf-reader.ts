/** A malformed protobuf message. */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

/**
 * A minimal protobuf wire-format reader over a Buffer (varints, fixed64 doubles,
 * length-delimited fields), enough to hand-decode Prometheus' remote-write WriteRequest and
 * the client model's MetricFamily without generated code. Every read is bounds-checked.
 */
export class ProtobufReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number (exact up to 2^53; larger values lose precision, as int64 timestamps never need). */
  varint(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const b = buf[this.pos++]!;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** An int64 field as a JS number: two's-complement negative values come back negative. */
  int64(): number {
    const start = this.pos;
    const v = this.varint();
    if (this.pos - start < 8) return v;
    // Past 2^49 a double loses the low bits: redo the long ones (negative values are 10 bytes) exactly.
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i]! & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError('truncated double');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the [start, end) of the bytes, advancing past them. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end)
      throw new ProtobufError(`length-delimited field of ${len} bytes runs past the end of the message`);
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [start, end] = this.bytes();
    return this.buf.toString('utf8', start, end);
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new ProtobufError('truncated field');
  }
}
