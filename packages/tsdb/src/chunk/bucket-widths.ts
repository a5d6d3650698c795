// Choosing bucket widths for a stream of small signed integers (timestamp delta-of-deltas, or
// value deltas) once the whole chunk is known. A zero costs 1 bit; then three buckets of w1 < w2
// < w3 bits with 2, 3 and 4 prefix bits; anything wider escapes with a 4-bit prefix and a varint.
// Prometheus fixes its buckets (14/17/20 bits) because its head appends one sample at a time;
// a block chunk is written whole, so the widths can fit the data.

const MAX_WIDTH = 32;
/** Histogram slot for values needing more than 32 bits (they escape). */
const WIDE = MAX_WIDTH + 1;

/** Bits a two's-complement integer needs (1..32), or 33 beyond int32. */
export function signedWidth(x: number): number {
  if (x >= 2147483648 || x < -2147483648) return WIDE;
  const m = x < 0 ? ~x : x;
  return 33 - Math.clz32(m);
}

/** Scratch for {@link bestWidths} (synchronous, so one is enough). */
const CUM = new Uint32Array(WIDE + 1);

export interface Widths {
  w1: number;
  w2: number;
  w3: number;
  bits: number;
}

/**
 * The cheapest (w1, w2, w3) for a histogram of widths: `hist[0]` counts zeros, `hist[w]`
 * values needing w bits, `hist[33]` values beyond 32 bits; `escapeBits` is their total varint size.
 */
export function bestWidths(hist: Uint32Array, escapeBits: number): Widths {
  // cum[w] = number of non-zero values needing <= w bits.
  const cum = CUM;
  for (let w = 1; w <= WIDE; w++) cum[w] = cum[w - 1]! + hist[w]!;
  const nonZero = cum[WIDE]!;
  const wide = hist[WIDE]!;
  let best: Widths = { w1: 1, w2: 2, w3: 3, bits: Infinity };
  // Widths beyond the widest value only add cost.
  let widest = 3;
  for (let w = MAX_WIDTH; w > 3; w--)
    if (hist[w]! > 0) {
      widest = w;
      break;
    }
  for (let w3 = 3; w3 <= widest; w3++) {
    const beyond = nonZero - cum[w3]! - wide; // in (w3, 32]: escape as 4 + varint of <= 5 bytes
    const escapeCost = 4 * (beyond + wide) + escapeBits + beyond * 40;
    for (let w2 = 2; w2 < w3; w2++) {
      const in3 = cum[w3]! - cum[w2]!;
      const partial = hist[0]! + escapeCost + in3 * (4 + w3);
      if (partial >= best.bits) continue;
      for (let w1 = 1; w1 < w2; w1++) {
        const bits = partial + cum[w1]! * (2 + w1) + (cum[w2]! - cum[w1]!) * (3 + w2);
        if (bits < best.bits) best = { w1, w2, w3, bits };
      }
    }
  }
  return best;
}
