import type { Labels } from '@tally/model';
import type { CheckpointSeries } from '../head/head-records.js';
import type { CutSeries } from './block-writer-thread.js';

/**
 * A head cut (or the head, for a WAL checkpoint) as the block-writer thread receives it: every
 * chunk's bytes in one buffer and the numbers in typed arrays, and the labels as one JSON
 * string. Structured-cloning thousands of small chunk arrays and label objects one by one cost
 * the event loop ~150 ms per million samples cut, and left as much garbage on both threads.
 *
 * The arrays live in shared memory, so posting them neither copies nor transfers them. A
 * transfer detaches the sender's ArrayBuffer, and the first detach in a process invalidates a
 * V8 protector that optimized typed-array code relies on: every such function (the WAL, XOR,
 * snappy and protobuf code alike) was thrown away and compiled again at the first head cut —
 * ~30 functions and ~0.3 s of compiler time, measured with --trace-deopt on the remote-write bench.
 */
export interface PackedCut {
  readonly bytes: Uint8Array<SharedArrayBuffer>;
  /** Per chunk: byte offset, byte length, sample count, minT, maxT. */
  readonly chunks: Float64Array<SharedArrayBuffer>;
  /** Per series: its number of chunks. */
  readonly chunkCounts: Uint32Array<SharedArrayBuffer>;
  /** Per series: its head ref (0 for a cut, which does not need it). */
  readonly refs: Float64Array<SharedArrayBuffer>;
  readonly labelsJson: string;
}

const CHUNK_FIELDS = 5;

/** Copies `series` (a cut's, or the head's with refs) into shared memory. */
export function packCut(series: readonly (CutSeries & { readonly ref?: number })[]): PackedCut {
  let byteLength = 0;
  let numChunks = 0;
  for (const s of series)
    for (const c of s.chunks) {
      byteLength += c.bytes.length;
      numChunks++;
    }
  const bytes = new Uint8Array(new SharedArrayBuffer(byteLength));
  const chunks = new Float64Array(new SharedArrayBuffer(numChunks * CHUNK_FIELDS * 8));
  const chunkCounts = new Uint32Array(new SharedArrayBuffer(series.length * 4));
  const refs = new Float64Array(new SharedArrayBuffer(series.length * 8));
  let at = 0;
  let k = 0;
  series.forEach((s, i) => {
    chunkCounts[i] = s.chunks.length;
    refs[i] = s.ref ?? 0;
    for (const c of s.chunks) {
      bytes.set(c.bytes, at);
      chunks[k] = at;
      chunks[k + 1] = c.bytes.length;
      chunks[k + 2] = c.numSamples;
      chunks[k + 3] = c.minT;
      chunks[k + 4] = c.maxT;
      at += c.bytes.length;
      k += CHUNK_FIELDS;
    }
  });
  return { bytes, chunks, chunkCounts, refs, labelsJson: JSON.stringify(series.map((s) => s.labels)) };
}

export function unpackCut(p: PackedCut): CheckpointSeries[] {
  const labels = JSON.parse(p.labelsJson) as Labels[];
  const out: CheckpointSeries[] = [];
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    const chunks: CutSeries['chunks'][number][] = [];
    for (let j = 0; j < p.chunkCounts[i]!; j++, k += CHUNK_FIELDS) {
      const c = p.chunks;
      const offset = c[k]!;
      const length = c[k + 1]!;
      const numSamples = c[k + 2]!;
      const minT = c[k + 3]!;
      const maxT = c[k + 4]!;
      chunks.push({ bytes: p.bytes.subarray(offset, offset + length), numSamples, minT, maxT });
    }
    out.push({ ref: p.refs[i]!, labels: labels[i]!, chunks });
  }
  return out;
}
