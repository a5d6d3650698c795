import { CorruptDataError } from '../encoding/corrupt-data-error.js';
import { BitReader, BitWriter } from './bit-stream.js';
import { bestWidths, signedWidth, type Widths } from './bucket-widths.js';
import { readVarintBits, writeVarintBits } from './timestamp-codec.js';

// The scaled-integer chunk, written only into blocks. Counters with integer increments and
// gauges that are decimals of a few digits (37.25, 0.5) are exactly k / 10^e for small integers
// k; their deltas are tiny where XOR still spends the float's changing mantissa bits. Lossless:
// a chunk uses it only when `k / 10^e` gives back every value bit for bit (so never for NaN or -0).
//
// Values that are float32 numbers widened to float64 (e = 255) are coded the same way, with k the
// float32 bit pattern read as a sign-magnitude integer: nearby values have nearby patterns.
//
// Layout: u16 sample count, u8 e, u8 value mode (0: deltas, 1: delta-of-deltas), u8 × 3
// timestamp bucket widths, u8 × 3 value bucket widths (10 bytes), then per sample interleaved: timestamp,
// value. Sample 0: both as zig-zag varints; sample 1: both deltas as varints; later samples: the
// timestamp delta-of-delta and the value's (mode) difference, each bucketed (bucket-widths.ts).

export const SCALED_INT_HEADER_BYTES = 10;
const MAX_SCALE = 9;
/** Scale byte meaning "k is a float32 bit pattern" (sign-magnitude, so order is kept). */
const FLOAT32 = 0xff;
const MAX_ABS = 2 ** 50;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** 2^w - 1 for w in 0..32: `2 ** w` is a call into the C library's pow, ~10 % of a cut's CPU. */
const MASK = Array.from({ length: 33 }, (_, w) => 2 ** w - 1);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A float32 bit pattern as an ordered integer, or NaN when `v` is not exactly a float32 (bits included). */
function float32Key(v: number): number {
  f32[0] = v;
  const back = f32[0];
  if (v !== v) return NaN; // NaN payloads do not survive float32
  if (!Object.is(back, v)) return NaN;
  const u = u32[0]!;
  return u >= 0x80000000 ? -(u - 0x80000000) - 1 : u;
}

function fromFloat32Key(k: number): number {
  u32[0] = k < 0 ? -(k + 1) + 0x80000000 : k;
  return f32[0]!;
}

function scaleOf(vs: Float64Array, from: number, to: number, ks: Float64Array): number {
  next: for (let e = 0; e <= MAX_SCALE; e++) {
    const p = POW10[e]!;
    for (let i = from; i < to; i++) {
      const v = vs[i]!;
      let k = Math.round(v * p);
      if (k === 0) k = 0; // no -0
      if (!(Math.abs(k) <= MAX_ABS) || !Object.is(k / p, v)) continue next;
      ks[i - from] = k;
    }
    return e;
  }
  // Float32 values widened to float64 (what ML frameworks report): their bit patterns are
  // 32-bit integers whose deltas track the relative change, cheaper than XOR's windows.
  for (let i = from; i < to; i++) {
    const k = float32Key(vs[i]!);
    if (k !== k) return -1;
    ks[i - from] = k;
  }
  return FLOAT32;
}

function escapeBits(x: number): number {
  let zz = x >= 0 ? x * 2 : -x * 2 - 1;
  let bytes = 1;
  while (zz >= 0x80) {
    zz = Math.floor(zz / 0x80);
    bytes++;
  }
  return bytes * 8;
}

/** Width histogram of `xs[0..n)`, into the shared scratch (see {@link bestWidths}). */
function widthsFor(xs: Float64Array, n: number): Widths {
  const hist = HIST;
  hist.fill(0);
  let esc = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    if (x === 0) hist[0]!++;
    else {
      const w = signedWidth(x);
      hist[w]!++;
      if (w > 32) esc += escapeBits(x);
    }
  }
  return bestWidths(hist, esc);
}

function writeBucketed(w: BitWriter, x: number, b: Widths, m1: number, m2: number): void {
  if (x === 0) return w.writeBit(0);
  const need = signedWidth(x);
  // The first bucket's prefix and bits in one write (w1 <= 30, so they fit 32 bits).
  if (need <= b.w1) w.writeBits((0b10 << b.w1) | (x & m1), 2 + b.w1);
  else if (need <= b.w2) {
    w.writeBits(0b110, 3);
    w.writeBits(x & m2, b.w2);
  } else if (need <= b.w3) {
    w.writeBits(0b1110, 4);
    w.writeBits(b.w3 === 32 ? x >>> 0 : x & MASK[b.w3]!, b.w3);
  } else {
    w.writeBits(0b1111, 4);
    writeVarintBits(w, x);
  }
}

function readSigned(r: BitReader, width: number): number {
  const shift = 32 - width;
  return (r.readBits(width) << shift) >> shift;
}

function readBucketed(r: BitReader, w1: number, w2: number, w3: number): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return readSigned(r, w1);
  if (r.readBit() === 0) return readSigned(r, w2);
  if (r.readBit() === 0) return readSigned(r, w3);
  return readVarintBits(r);
}

// Scratch for the encoder (it runs synchronously, one chunk at a time): a chunk's integers and
// differences, and the histogram. Allocating them per chunk (typed arrays over 64 bytes get a
// separately allocated backing store) cost more than the encoding itself.
let KS = new Float64Array(256);
let TX = new Float64Array(256);
let VD = new Float64Array(256);
let VDD = new Float64Array(256);
const HIST = new Uint32Array(34);
const SCRATCH = new BitWriter(4096, 0);

/**
 * Encodes samples [from, to) (2..65535 of them) as a scaled-integer chunk, or returns null when
 * the values are not all exact small decimals.
 */
export function encodeScaledInt(
  ts: Float64Array,
  vs: Float64Array,
  from: number,
  to: number,
): Uint8Array | null {
  const n = to - from;
  if (n < 2 || n > 65535) return null;
  if (KS.length < n) {
    const size = 2 ** Math.ceil(Math.log2(n));
    KS = new Float64Array(size);
    TX = new Float64Array(size);
    VD = new Float64Array(size);
    VDD = new Float64Array(size);
  }
  const ks = KS;
  const e = scaleOf(vs, from, to, ks);
  if (e < 0) return null;
  const tx = TX;
  const vd = VD;
  const vdd = VDD;
  for (let i = 2; i < n; i++) {
    tx[i - 2] = ts[from + i]! - 2 * ts[from + i - 1]! + ts[from + i - 2]!;
    vd[i - 2] = ks[i]! - ks[i - 1]!;
    vdd[i - 2] = ks[i]! - 2 * ks[i - 1]! + ks[i - 2]!;
  }
  const tw = widthsFor(tx, n - 2);
  const dw = widthsFor(vd, n - 2);
  const ddw = widthsFor(vdd, n - 2);
  const mode = ddw.bits < dw.bits ? 1 : 0;
  const vw = mode === 1 ? ddw : dw;
  const vx = mode === 1 ? vdd : vd;
  const w = SCRATCH;
  w.bitPos = SCALED_INT_HEADER_BYTES * 8;
  // Room for the whole chunk (the widths' cost is exact; 64 bytes more for the first samples).
  w.reserve(tw.bits + vw.bits + 512);
  const bytes = w.bytes;
  bytes.fill(0, 0, SCALED_INT_HEADER_BYTES + ((tw.bits + vw.bits) >>> 3) + 66);
  bytes[0] = n >>> 8;
  bytes[1] = n & 0xff;
  bytes[2] = e;
  bytes[3] = mode;
  bytes[4] = tw.w1;
  bytes[5] = tw.w2;
  bytes[6] = tw.w3;
  bytes[7] = vw.w1;
  bytes[8] = vw.w2;
  bytes[9] = vw.w3;
  writeVarintBits(w, ts[from]!);
  writeVarintBits(w, ks[0]!);
  writeVarintBits(w, ts[from + 1]! - ts[from]!);
  writeVarintBits(w, ks[1]! - ks[0]!);
  const tm1 = MASK[tw.w1]!;
  const tm2 = MASK[tw.w2]!;
  const vm1 = MASK[vw.w1]!;
  const vm2 = MASK[vw.w2]!;
  for (let i = 0; i < n - 2; i++) {
    writeBucketed(w, tx[i]!, tw, tm1, tm2);
    writeBucketed(w, vx[i]!, vw, vm1, vm2);
  }
  return w.bytes.slice(0, w.byteLength);
}

/** Decodes a scaled-integer chunk; damaged bytes throw {@link CorruptDataError}. */
export class ScaledIntChunkIterator {
  private readonly r: BitReader;
  private readonly n: number;
  private readonly scale: number;
  private readonly float32: boolean;
  private readonly deltaOfDelta: boolean;
  private readonly h: Uint8Array;
  private i = 0;
  t = 0;
  v = 0;
  private k = 0;
  private tDelta = 0;
  private kDelta = 0;

  constructor(bytes: Uint8Array) {
    if (bytes.length < SCALED_INT_HEADER_BYTES) throw new CorruptDataError('chunk: shorter than its header');
    this.h = bytes;
    this.n = (bytes[0]! << 8) | bytes[1]!;
    const e = bytes[2]!;
    const mode = bytes[3]!;
    if ((e > MAX_SCALE && e !== FLOAT32) || mode > 1)
      throw new CorruptDataError('chunk: bad scaled-integer header');
    for (let j = 4; j < 10; j += 3) {
      const [a, b, c] = [bytes[j]!, bytes[j + 1]!, bytes[j + 2]!];
      if (!(a >= 1 && a < b && b < c && c <= 32)) throw new CorruptDataError('chunk: bad bucket widths');
    }
    this.float32 = e === FLOAT32;
    this.scale = this.float32 ? 1 : POW10[e]!;
    this.deltaOfDelta = mode === 1;
    this.r = new BitReader(bytes, SCALED_INT_HEADER_BYTES, bytes.length);
  }

  next(): boolean {
    const i = this.i;
    if (i >= this.n) return false;
    const r = this.r;
    const h = this.h;
    if (i === 0) {
      this.t = readVarintBits(r);
      this.k = readVarintBits(r);
    } else if (i === 1) {
      this.tDelta = readVarintBits(r);
      this.t += this.tDelta;
      this.kDelta = readVarintBits(r);
      this.k += this.kDelta;
    } else {
      this.tDelta += readBucketed(r, h[4]!, h[5]!, h[6]!);
      this.t += this.tDelta;
      const x = readBucketed(r, h[7]!, h[8]!, h[9]!);
      if (this.deltaOfDelta) this.kDelta += x;
      else this.kDelta = x;
      this.k += this.kDelta;
    }
    this.v = this.float32 ? fromFloat32Key(this.k) : this.k / this.scale;
    this.i = i + 1;
    return true;
  }
}
