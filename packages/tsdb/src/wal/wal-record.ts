import type { Labels } from '@tally/model';
import type { ByteReader } from '../encoding/byte-reader.js';
import type { ByteWriter } from '../encoding/byte-writer.js';
import { CorruptDataError } from '../encoding/corrupt-data-error.js';

// WAL record payloads (docs/format.md § WAL). Framing and checksums are in wal-file.ts.

export const RECORD_SERIES = 1;
export const RECORD_SAMPLES = 2;
export const RECORD_TOMBSTONES = 3;
export const RECORD_CHUNK = 4;

/** Clamp for ±Infinity in deletion ranges; beyond every valid timestamp (|t| <= 2^50). */
export const TIME_CLAMP = 2 ** 51;

export function clampTime(t: number): number {
  return t < -TIME_CLAMP ? -TIME_CLAMP : t > TIME_CLAMP ? TIME_CLAMP : t;
}

export function writeSeries(
  w: ByteWriter,
  series: readonly { readonly ref: number; readonly labels: Labels }[],
): void {
  w.uvarint(series.length);
  for (const { ref, labels } of series) {
    w.uvarint(ref);
    w.uvarint(labels.length);
    for (const l of labels) {
      w.string(l.name);
      w.string(l.value);
    }
  }
}

export function readSeries(r: ByteReader, onSeries: (ref: number, labels: Labels) => void): void {
  const n = r.uvarint();
  for (let i = 0; i < n; i++) {
    const ref = r.uvarint();
    const count = r.uvarint();
    if (count > r.remaining) throw new CorruptDataError('WAL series record: label count beyond the record');
    const labels: { name: string; value: string }[] = [];
    for (let j = 0; j < count; j++) labels.push({ name: r.string(), value: r.string() });
    onSeries(ref, labels);
  }
}

/** Writes n samples; refs/ts/vs are parallel arrays. */
export function writeSamples(
  w: ByteWriter,
  n: number,
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
): void {
  w.uvarint(n);
  if (n === 0) return;
  const baseRef = refs[0]!;
  const baseT = ts[0]!;
  w.uvarint(baseRef);
  w.varint(baseT);
  // The hot loop of every commit: one capacity check (28 bytes is the most a sample takes), then
  // the bytes written in place rather than through ByteWriter's checked calls.
  w.ensure(n * 28);
  w.length = putSamples(w, n, refs, ts, vs, baseRef, baseT);
}

/**
 * The samples' bytes from `w.length` on; returns the end. Its own function with nothing after
 * the loop: V8 optimizes a long loop mid-call (on-stack replacement), and code after it that has
 * not run yet would make that optimized code deoptimize on every commit.
 */
function putSamples(
  w: ByteWriter,
  n: number,
  refs: ArrayLike<number>,
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  baseRef: number,
  baseT: number,
): number {
  const b = w.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = w.length;
  for (let i = 0; i < n; i++) {
    at = putVarint(w, at, refs[i]! - baseRef);
    at = putVarint(w, at, ts[i]! - baseT);
    view.setFloat64(at, vs[i]!, true);
    at += 8;
  }
  return at;
}

/** A zig-zag varint at `at` in `w.bytes` (room already ensured); returns the next position. */
function putVarint(w: ByteWriter, at: number, v: number): number {
  const z = v >= 0 ? v * 2 : -v * 2 - 1;
  if (z >= 0x80000000) {
    // Beyond 31 bits: ByteWriter's arithmetic path (never reallocates: room was ensured).
    w.length = at;
    w.varint(v);
    return w.length;
  }
  const b = w.bytes;
  let u = z;
  while (u >= 0x80) {
    b[at++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  b[at++] = u;
  return at;
}

export function readSamples(r: ByteReader, onSample: (ref: number, t: number, v: number) => void): void {
  const n = r.uvarint();
  if (n === 0) return;
  if (n > r.remaining / 10) throw new CorruptDataError('WAL samples record: count beyond the record');
  const baseRef = r.uvarint();
  const baseT = r.varint();
  for (let i = 0; i < n; i++) {
    const ref = baseRef + r.varint();
    const t = baseT + r.varint();
    onSample(ref, t, r.f64le());
  }
}

export function writeTombstone(w: ByteWriter, refs: readonly number[], minT: number, maxT: number): void {
  w.uvarint(refs.length);
  for (const ref of refs) {
    w.uvarint(ref);
    w.varint(clampTime(minT));
    w.varint(clampTime(maxT));
  }
}

export function readTombstones(
  r: ByteReader,
  onTombstone: (ref: number, minT: number, maxT: number) => void,
): void {
  const n = r.uvarint();
  for (let i = 0; i < n; i++) onTombstone(r.uvarint(), r.varint(), r.varint());
}

export function writeChunk(
  w: ByteWriter,
  ref: number,
  minT: number,
  maxT: number,
  numSamples: number,
  bytes: Uint8Array,
): void {
  w.uvarint(ref);
  w.varint(minT);
  w.varint(maxT);
  w.uvarint(numSamples);
  w.uvarint(bytes.length);
  w.raw(bytes);
}

export interface ChunkRecord {
  ref: number;
  minT: number;
  maxT: number;
  numSamples: number;
  bytes: Uint8Array;
}

export function readChunk(r: ByteReader): ChunkRecord {
  const ref = r.uvarint();
  const minT = r.varint();
  const maxT = r.varint();
  const numSamples = r.uvarint();
  const bytes = r.bytesOf(r.uvarint()).slice();
  return { ref, minT, maxT, numSamples, bytes };
}
