const TWO_32 = 2 ** 32;

/**
 * A growable byte buffer with the integer encodings the on-disk formats use: big-endian fixed
 * widths, unsigned LEB128 varints ("uvarint") and zig-zag signed varints ("varint"), both for
 * any safe integer (they are computed arithmetically, not with 32-bit operators).
 */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;
  private view: DataView;

  constructor(initialSizeBytes = 256) {
    this.bytes = new Uint8Array(initialSizeBytes);
    this.view = new DataView(this.bytes.buffer);
  }

  reset(): void {
    this.length = 0;
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.bytes[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  /** An unsigned integer below 2^53 as two big-endian 32-bit halves. */
  u64(v: number): void {
    this.u32(Math.floor(v / TWO_32));
    this.u32(v % TWO_32);
  }

  f64le(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  uvarint(v: number): void {
    this.ensure(10);
    if (v < 0x80000000) {
      // Fast path with 32-bit operators for the common small values.
      const b = this.bytes;
      let i = this.length;
      while (v >= 0x80) {
        b[i++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[i++] = v;
      this.length = i;
      return;
    }
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  varint(v: number): void {
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  string(s: string): void {
    // Label names and values are nearly always short ASCII: write those bytes directly rather
    // than allocate a Buffer per string (a WAL series record writes every label of every new
    // series). Anything else goes through the UTF-8 encoder.
    const n = s.length;
    if (n <= 256) {
      let i = 0;
      while (i < n && s.charCodeAt(i) < 0x80) i++;
      if (i === n) {
        this.uvarint(n);
        this.ensure(n);
        const b = this.bytes;
        let at = this.length;
        for (let k = 0; k < n; k++) b[at++] = s.charCodeAt(k);
        this.length = at;
        return;
      }
    }
    const b = Buffer.from(s, 'utf8');
    this.uvarint(b.length);
    this.raw(b);
  }

  /** Overwrites a big-endian u32 written earlier (a length or checksum placeholder). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0);
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
