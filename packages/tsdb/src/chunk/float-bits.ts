import { endianness } from 'node:os';

// One shared scratch word: a float's two 32-bit halves without allocating. Reading a float back
// through the same Float64Array keeps every NaN payload (the stale marker 0x7ff0000000000002).
if (endianness() !== 'LE') throw new Error('@tally/tsdb assumes a little-endian machine');
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export function floatHi(v: number): number {
  f64[0] = v;
  return u32[1]!;
}

/** The low half of the float last given to {@link floatHi}. */
export function lastFloatLo(): number {
  return u32[0]!;
}

export function floatFromBits(hi: number, lo: number): number {
  u32[0] = lo;
  u32[1] = hi;
  return f64[0]!;
}

// A 64-bit value as two unsigned 32-bit halves, shifted left by `s` (0..63): how an XOR chunk's
// meaningful bits go back to their place (both XOR decoders use these; V8 inlines them).

/** The high half of hi:lo << s. */
export function shiftedHi(hi: number, lo: number, s: number): number {
  if (s >= 32) return (lo << (s - 32)) >>> 0;
  return s > 0 ? ((hi << s) | (lo >>> (32 - s))) >>> 0 : hi;
}

/** The low half of hi:lo << s. */
export function shiftedLo(lo: number, s: number): number {
  return s >= 32 ? 0 : (lo << s) >>> 0;
}

/**
 * The initial value of number fields that will hold doubles (timestamps past 2^31 ms, sample
 * values): the head's series and the XOR appender start theirs with it. V8 gives a field the
 * representation of its first value; widening a small-integer field to a double later
 * deprecates the object's map, and every optimized function that had seen it is thrown away
 * (seen on the remote-write bench when the first head chunks closed). -0 equals 0 in every
 * comparison but is stored as a double.
 */
export const DOUBLE_ZERO = -0;
