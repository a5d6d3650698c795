import type { Labels } from '@tally/model';
import { writeValueLE } from './float-bits.js';

/** One series' samples for a remote-write request, in timestamp order. */
export interface OutgoingSeries {
  readonly labels: Labels;
  readonly timestampsMs: ArrayLike<number>;
  /** Values; a Float64Array keeps a stale marker's bit pattern (see float-bits.ts). */
  readonly values: ArrayLike<number>;
}

const utf8 = new TextEncoder();

/**
 * Encodes a remote-write 1.0 `prometheus.WriteRequest` (prompb/remote.proto, types.proto):
 * field 1 `repeated TimeSeries timeseries`; a TimeSeries has `labels` (1, Label{name=1,
 * value=2}) and `samples` (2, Sample{value=1 double, timestamp=2 int64}). Labels are written
 * in the order given (sorted, as `Labels` always are: receivers require it). Hand-written
 * rather than protobufjs: two passes (sizes, then bytes) into one buffer, no message objects.
 */
export function encodeWriteRequest(series: readonly OutgoingSeries[]): Uint8Array {
  const encodedLabels: Uint8Array[][] = [];
  const seriesSizes: number[] = [];
  let total = 0;
  for (const s of series) {
    const labels: Uint8Array[] = [];
    let size = 0;
    for (const l of s.labels) {
      const name = utf8.encode(l.name);
      const value = utf8.encode(l.value);
      labels.push(name, value);
      const labelSize =
        1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length;
      size += 1 + varintSize(labelSize) + labelSize;
    }
    for (let i = 0; i < s.values.length; i++) {
      const sampleSize = 9 + 1 + varintSize64(s.timestampsMs[i]!);
      size += 1 + varintSize(sampleSize) + sampleSize;
    }
    encodedLabels.push(labels);
    seriesSizes.push(size);
    total += 1 + varintSize(size) + size;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let pos = 0;
  const putVarint = (n: number): void => {
    while (n >= 0x80) {
      out[pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    out[pos++] = n;
  };
  const putBytes = (field: number, bytes: Uint8Array): void => {
    out[pos++] = (field << 3) | 2;
    putVarint(bytes.length);
    out.set(bytes, pos);
    pos += bytes.length;
  };
  for (let k = 0; k < series.length; k++) {
    const s = series[k]!;
    out[pos++] = 0x0a; // timeseries, length-delimited
    putVarint(seriesSizes[k]!);
    const labels = encodedLabels[k]!;
    for (let j = 0; j < labels.length; j += 2) {
      const name = labels[j]!;
      const value = labels[j + 1]!;
      out[pos++] = 0x0a;
      putVarint(1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length);
      putBytes(1, name);
      putBytes(2, value);
    }
    for (let i = 0; i < s.values.length; i++) {
      const t = s.timestampsMs[i]!;
      out[pos++] = 0x12;
      putVarint(9 + 1 + varintSize64(t));
      out[pos++] = 0x09; // value, fixed64
      writeValueLE(view, pos, s.values[i]!);
      pos += 8;
      out[pos++] = 0x10; // timestamp, varint
      pos = putInt64(out, pos, t);
    }
  }
  return out;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** int64 varints: negatives take ten bytes (two's complement), as protobuf encodes them. */
function varintSize64(n: number): number {
  return n < 0 ? 10 : varintSize(n);
}

function putInt64(out: Uint8Array, pos: number, n: number): number {
  if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) {
    let x = n;
    while (x >= 0x80) {
      out[pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    out[pos++] = x;
    return pos;
  }
  let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
  while (v >= 0x80n) {
    out[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[pos++] = Number(v);
  return pos;
}
