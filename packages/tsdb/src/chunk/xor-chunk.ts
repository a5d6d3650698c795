import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { BitReader, BitWriter } from './bit-stream.js';
import { DOUBLE_ZERO, floatFromBits, floatHi, lastFloatLo, shiftedHi, shiftedLo } from './float-bits.js';
import { readDod, readVarintBits, writeDod, writeVarintBits } from './timestamp-codec.js';

// The XOR chunk: Gorilla's float compression (Pelkonen et al., VLDB 2015, §4.1.2) in the layout
// of Prometheus' tsdb/chunkenc/xor.go — a 2-byte big-endian sample count, then per sample the
// timestamp (timestamp-codec.ts) and the value XORed with the previous one: '0' when equal,
// '10' + the meaningful bits when they fit the previous leading/trailing-zero window, else
// '11' + 5 bits of leading zeros + 6 bits of meaningful-bit count (64 written as 0) + the bits.

export const XOR_HEADER_BYTES = 2;

/** One-sample arrays for the by-value `append` forms (synchronous use only). */
export const ONE_T = new Float64Array(1);
export const ONE_V = new Float64Array(1);

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Appends samples to one chunk; no allocation per sample except when its buffer doubles. */
export class XorChunkAppender {
  // 32 bytes hold the first sample (at most 2 + 9 + 8, plus the 20 bytes append reserves):
  // typed arrays of up to 64 bytes live on V8's heap, larger ones need a separately allocated
  // backing store — most of the cost of creating a series, which Pushgateway groups do a lot.
  readonly w = new BitWriter(32, XOR_HEADER_BYTES);
  numSamples = 0;
  // Doubles from the start (a timestamp is past 2^31; a float's halves can be): see DOUBLE_ZERO.
  private t = DOUBLE_ZERO;
  private tDelta = 0;
  private vHi = DOUBLE_ZERO;
  private vLo = DOUBLE_ZERO;
  private leading = 0xff;
  private trailing = 0;

  append(t: number, v: number): void {
    ONE_T[0] = t;
    ONE_V[0] = v;
    this.appendAt(ONE_T, ONE_V, 0);
  }

  /**
   * Appends sample `i` of parallel arrays. The hot path (commits) calls this form: a sample's
   * numbers go in as an index, not as arguments, which would each be boxed into a fresh heap
   * number at a call that is not inlined (measured: ~17 bytes of garbage per sample).
   */
  appendAt(ts: Float64Array, vs: Float64Array, i: number): void {
    const t = ts[i]!;
    const v = vs[i]!;
    const w = this.w;
    w.reserve(160); // the largest sample: varint or 4 + 64 bits of timestamp, 2 + 11 + 64 of value
    const hi = floatHi(v);
    const lo = lastFloatLo();
    const n = this.numSamples;
    if (n === 0) {
      writeVarintBits(w, t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
    } else {
      const delta = t - this.t;
      if (n === 1) writeVarintBits(w, delta);
      else writeDod(w, delta - this.tDelta);
      this.tDelta = delta;
      this.writeValue(hi, lo);
    }
    this.t = t;
    this.vHi = hi;
    this.vLo = lo;
    this.numSamples = n + 1;
    w.bytes[0] = (n + 1) >>> 8;
    w.bytes[1] = (n + 1) & 0xff;
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const xHi = (hi ^ this.vHi) >>> 0;
    const xLo = (lo ^ this.vLo) >>> 0;
    if (xHi === 0 && xLo === 0) {
      w.writeBit(0);
      return;
    }
    w.writeBit(1);
    let leading = clz64(xHi, xLo);
    const trailing = ctz64(xHi, xLo);
    if (leading >= 32) leading = 31; // 5 bits hold at most 31
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.writeBit(0);
      writeShifted(w, xHi, xLo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    const sigBits = 64 - leading - trailing;
    w.writeBit(1);
    w.writeBits(leading, 5);
    w.writeBits(sigBits & 63, 6);
    writeShifted(w, xHi, xLo, trailing, sigBits);
  }

  /** The encoded chunk (a view; valid until the next append). */
  bytes(): Uint8Array {
    return this.w.bytes.subarray(0, this.w.byteLength);
  }
}

function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift >= 32) {
    lo = hi >>> (shift - 32);
    hi = 0;
  } else if (shift > 0) {
    lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    hi = hi >>> shift;
  }
  w.writeBits64(hi, lo, n);
}

/** Decodes an XOR chunk; `numSamples` may be lower than the header's (a snapshot of a growing chunk). */
export class XorChunkIterator {
  private readonly r: BitReader;
  private i = 0;
  private readonly n: number;
  t = 0;
  v = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0;
  private trailing = 0;
  private windowSet = false;

  constructor(bytes: Uint8Array, numSamples = -1) {
    if (bytes.length < XOR_HEADER_BYTES) throw new CorruptDataError('chunk: shorter than its header');
    const header = (bytes[0]! << 8) | bytes[1]!;
    this.n = numSamples < 0 ? header : Math.min(numSamples, header);
    this.r = new BitReader(bytes, XOR_HEADER_BYTES, bytes.length);
  }

  next(): boolean {
    const i = this.i;
    if (i >= this.n) return false;
    const r = this.r;
    if (i === 0) {
      this.t = readVarintBits(r);
      this.vHi = r.readBits(32);
      this.vLo = r.readBits(32);
    } else {
      const delta = i === 1 ? readVarintBits(r) : this.tDelta + readDod(r);
      this.tDelta = delta;
      this.t += delta;
      this.readValue();
    }
    this.v = floatFromBits(this.vHi, this.vLo);
    this.i = i + 1;
    return true;
  }

  private readValue(): void {
    const r = this.r;
    if (r.readBit() === 0) return;
    if (r.readBit() === 1) {
      this.leading = r.readBits(5);
      let sig = r.readBits(6);
      if (sig === 0) sig = 64;
      if (this.leading + sig > 64) throw new CorruptDataError('chunk: XOR window wider than 64 bits');
      this.trailing = 64 - this.leading - sig;
      this.windowSet = true;
    } else if (!this.windowSet) {
      throw new CorruptDataError('chunk: XOR window reused before one was set');
    }
    const sig = 64 - this.leading - this.trailing;
    let hi = 0;
    let lo: number;
    if (sig > 32) {
      hi = r.readBits(sig - 32);
      lo = r.readBits(32);
    } else lo = r.readBits(sig);
    this.vHi = (this.vHi ^ shiftedHi(hi, lo, this.trailing)) >>> 0;
    this.vLo = (this.vLo ^ shiftedLo(lo, this.trailing)) >>> 0;
  }
}
