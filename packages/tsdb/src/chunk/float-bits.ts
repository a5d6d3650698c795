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
