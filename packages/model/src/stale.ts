// Prometheus marks a series as gone with a special NaN (value.StaleNaN, bits 0x7ff0000000000002).
// Ordinary arithmetic turns it into a plain NaN, so it must be written and tested by its bits.
const scratch = new DataView(new ArrayBuffer(8));
scratch.setUint32(0, 0x7ff00000);
scratch.setUint32(4, 0x00000002);

/** The stale marker NaN. Store it through a typed array or DataView to keep its bit pattern. */
export const STALE_NAN: number = scratch.getFloat64(0);
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

/**
 * Is `v` the stale marker (not just any NaN)? The quiet bit (0x0008_0000 in the high word) is
 * ignored: the marker is a signalling NaN, and V8 may quiet it when it passes through a plain
 * `number[]` or an arithmetic-free copy on x86 (0x7ff8000000000002). Any NaN whose payload is
 * the marker's is still the marker; every other NaN is not.
 */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  scratch.setFloat64(0, v);
  return (scratch.getUint32(0) & ~0x00080000) === STALE_NAN_HI && scratch.getUint32(4) === STALE_NAN_LO;
}
