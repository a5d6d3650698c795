import type { Label } from '@tally/model';
import { endianness } from 'node:os';
import { writeValueLE } from './float-bits.js';
import type { OutgoingSeries } from './write-request-encoder.js';

/** A series read back from the queue: samples in Float64Arrays (value bits kept). */
export interface QueuedSeries extends OutgoingSeries {
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * The body of one queue record: the samples one commit sent to one shard, grouped by series.
 * Layout (little-endian): u32 seriesCount, then per series: u16 labelCount, per label
 * (u32 nameBytes, name UTF-8, u32 valueBytes, value UTF-8), u32 sampleCount, sampleCount ×
 * f64 timestampMs, sampleCount × f64 value. Values are stored as raw IEEE-754 bits, so a
 * Prometheus stale marker keeps its bit pattern.
 */
export function encodeQueueBody(series: readonly OutgoingSeries[]): Buffer {
  let size = 4;
  for (const s of series) {
    size += 2 + 4 + s.values.length * 16;
    for (const l of s.labels) size += 8 + Buffer.byteLength(l.name) + Buffer.byteLength(l.value);
  }
  const buf = Buffer.allocUnsafe(size);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = buf.writeUInt32LE(series.length, 0);
  for (const s of series) {
    pos = buf.writeUInt16LE(s.labels.length, pos);
    for (const l of s.labels) {
      pos = putString(buf, pos, l.name);
      pos = putString(buf, pos, l.value);
    }
    const n = s.values.length;
    pos = buf.writeUInt32LE(n, pos);
    for (let i = 0; i < n; i++) pos = buf.writeDoubleLE(s.timestampsMs[i]!, pos);
    for (let i = 0; i < n; i++, pos += 8) writeValueLE(view, pos, s.values[i]!);
  }
  return buf;
}

function putString(buf: Buffer, pos: number, s: string): number {
  const len = buf.write(s, pos + 4, 'utf8');
  buf.writeUInt32LE(len, pos);
  return pos + 4 + len;
}

/** Decodes {@link encodeQueueBody}; throws a RangeError on a truncated body (checksums catch the rest). */
export function decodeQueueBody(buf: Buffer): QueuedSeries[] {
  let pos = 0;
  const u32 = (): number => {
    const v = buf.readUInt32LE(pos);
    pos += 4;
    return v;
  };
  const str = (): string => {
    const len = u32();
    if (pos + len > buf.length) throw new RangeError('queue record body is truncated');
    const s = buf.toString('utf8', pos, pos + len);
    pos += len;
    return s;
  };
  const count = u32();
  const out: QueuedSeries[] = [];
  for (let k = 0; k < count; k++) {
    const labelCount = buf.readUInt16LE(pos);
    pos += 2;
    const labels: Label[] = [];
    for (let j = 0; j < labelCount; j++) labels.push({ name: str(), value: str() });
    const n = u32();
    if (pos + n * 16 > buf.length) throw new RangeError('queue record body is truncated');
    // Copied out through a Uint8Array so value bits (a stale marker's) are never touched.
    const samples = new Uint8Array(n * 16);
    samples.set(buf.subarray(pos, pos + n * 16));
    pos += n * 16;
    const timestampsMs = new Float64Array(samples.buffer, 0, n);
    const values = new Float64Array(samples.buffer, n * 8, n);
    if (!LITTLE_ENDIAN_HOST) {
      const view = new DataView(samples.buffer);
      for (let i = 0; i < n; i++) timestampsMs[i] = view.getFloat64(i * 8, true);
      for (let i = 0; i < n; i++) values[i] = view.getFloat64((n + i) * 8, true);
    }
    out.push({ labels, timestampsMs, values });
  }
  return out;
}
