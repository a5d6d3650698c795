// V8 keeps a NaN's payload only in typed arrays and heap numbers: an array of doubles
// (`number[]`) canonicalises every NaN it stores, and x86 may set the quiet bit of a signalling
// NaN in transit. The stale marker (Prometheus value.StaleNaN, bits 0x7ff0000000000002) is such
// a payload, so the queue keeps values in Float64Arrays and writes them through these helpers.

const scratch = new DataView(new ArrayBuffer(8));

/** Is `v` the stale marker, also in its quieted form 0x7ff8000000000002? */
export function isStaleMarker(v: number): boolean {
  if (v === v) return false; // not NaN
  scratch.setFloat64(0, v, true);
  return scratch.getUint32(0, true) === 2 && (scratch.getUint32(4, true) & 0x7ff7ffff) === 0x7ff00000;
}

/** Writes `v` little-endian at `pos`; a stale marker always with its exact bit pattern. */
export function writeValueLE(view: DataView, pos: number, v: number): void {
  if (isStaleMarker(v)) {
    view.setUint32(pos, 2, true);
    view.setUint32(pos + 4, 0x7ff00000, true);
  } else view.setFloat64(pos, v, true);
}

/** A growable pair of Float64Arrays (timestamps, values) that keeps value bit patterns. */
export class SampleBuffer {
  timestampsMs = new Float64Array(4);
  values = new Float64Array(4);
  length = 0;

  push(t: number, v: number): void {
    if (this.length === this.values.length) {
      const ts = new Float64Array(this.length * 2);
      const vs = new Float64Array(this.length * 2);
      ts.set(this.timestampsMs);
      vs.set(this.values);
      this.timestampsMs = ts;
      this.values = vs;
    }
    this.timestampsMs[this.length] = t;
    this.values[this.length++] = v;
  }

  lastTimestampMs(): number {
    return this.timestampsMs[this.length - 1]!;
  }

  lastValue(): number {
    return this.values[this.length - 1]!;
  }
}
