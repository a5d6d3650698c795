import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from '../src/index.js';

function fromBits(hi: number, lo: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

describe('isStaleNaN', () => {
  it('recognises the marker, also with the quiet bit V8 may set', () => {
    expect(isStaleNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(fromBits(0x7ff80000, 2))).toBe(true);
    const viaArray: number[] = [STALE_NAN];
    expect(isStaleNaN(viaArray[0]!)).toBe(true);
  });

  it('refuses ordinary NaNs and numbers', () => {
    expect(isStaleNaN(NaN)).toBe(false);
    expect(isStaleNaN(fromBits(0x7ff80000, 1))).toBe(false);
    expect(isStaleNaN(fromBits(0xfff00000, 2))).toBe(false);
    expect(isStaleNaN(0)).toBe(false);
    expect(isStaleNaN(Infinity)).toBe(false);
  });
});
