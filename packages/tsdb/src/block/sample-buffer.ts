import type { SampleIterator } from '@tally/storage';
import { decodeXorInto, xorSampleCount } from '../chunk/xor-bulk-decode.js';

/** A series' samples for the block writer, read into reused arrays (grown as needed). */
export class SampleBuffer {
  ts = new Float64Array(1024);
  vs = new Float64Array(1024);

  /** Reads every sample of `it`; returns how many. */
  read(it: SampleIterator): number {
    let n = 0;
    while (it.next()) {
      if (n === this.ts.length) this.grow(n + 1);
      this.ts[n] = it.t;
      this.vs[n++] = it.v;
    }
    return n;
  }

  /**
   * Decodes a head cut's XOR chunks (oldest first, in time order, as a head keeps them) whole,
   * keeping the samples before `beforeMs`; returns how many.
   */
  readXor(
    chunks: readonly { readonly bytes: Uint8Array; readonly numSamples: number; readonly minT: number }[],
    beforeMs: number,
  ): number {
    let n = 0;
    for (const c of chunks) {
      if (c.minT >= beforeMs) break;
      const k = xorSampleCount(c.bytes, c.numSamples);
      if (n + k > this.ts.length) this.grow(n + k);
      decodeXorInto(c.bytes, k, this.ts, this.vs, n);
      n += k;
    }
    while (n > 0 && this.ts[n - 1]! >= beforeMs) n--;
    return n;
  }

  private grow(atLeast: number): void {
    let size = this.ts.length * 2;
    while (size < atLeast) size *= 2;
    const ts = new Float64Array(size);
    ts.set(this.ts);
    this.ts = ts;
    const vs = new Float64Array(size);
    vs.set(this.vs);
    this.vs = vs;
  }
}
