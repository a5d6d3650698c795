import { labelsKey, type Labels } from '@tally/model';
import type { ByteReader } from '../encoding/byte-reader.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { XorChunkIterator } from '../chunk/xor-chunk.js';
import {
  RECORD_CHUNK,
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  readChunk,
  readSamples,
  readSeries,
  readTombstones,
  writeChunk,
  writeSeries,
} from '../wal/wal-record.js';
import { beginRecord, endRecord } from '../wal/wal-file.js';
import type { CutSeries } from '../block/block-writer-thread.js';
import type { Head } from './head.js';

/** Counts of what replay applied and skipped (surfaced in stats). */
export interface ReplayCounts {
  records: number;
  samples: number;
  /** Samples for refs no series record introduced (only after damage). */
  unknownRefSamples: number;
}

/** Applies one WAL or checkpoint record to the head, exactly as the live store applied it. */
export function applyRecord(head: Head, type: number, r: ByteReader, counts: ReplayCounts): void {
  counts.records++;
  switch (type) {
    case RECORD_SERIES:
      readSeries(r, (ref, labels: Labels) => {
        head.getOrCreate(labels, labelsKey(labels), ref).logged = true;
      });
      return;
    case RECORD_SAMPLES:
      readSamples(r, (ref, t, v) => {
        const s = head.byRef.get(ref);
        if (!s) {
          counts.unknownRefSamples++;
          return;
        }
        if (head.appendSample(s, t, v)) counts.samples++;
      });
      return;
    case RECORD_TOMBSTONES:
      readTombstones(r, (ref, minT, maxT) => {
        const s = head.byRef.get(ref);
        if (s) head.deleteRange(s, minT, maxT);
      });
      return;
    case RECORD_CHUNK: {
      const c = readChunk(r);
      const s = head.byRef.get(c.ref);
      if (!s) {
        counts.unknownRefSamples += c.numSamples;
        return;
      }
      const it = new XorChunkIterator(c.bytes, c.numSamples);
      while (it.next()) if (head.appendSample(s, it.t, it.v)) counts.samples++;
      return;
    }
  }
}

/** A series as a checkpoint writes it: a cut's series (labels, chunks as in memory) and its ref. */
export type CheckpointSeries = CutSeries & { readonly ref: number };

/** The head's series and chunks as they are now (the open chunk as a view: copy it to keep it). */
export function headSeries(head: Head): CheckpointSeries[] {
  const out: CheckpointSeries[] = [];
  for (const s of head.byKey.values())
    out.push({
      ref: s.ref,
      labels: s.labels,
      chunks: s
        .snapshot()
        .map((c) => ({ bytes: c.read(), numSamples: c.numSamples, minT: c.minT, maxT: c.maxT })),
    });
  return out;
}

/**
 * Checkpoint records for `series`: each series (so later WAL records that name its ref still
 * resolve), then its chunks as they are encoded in memory (cheaper to write and replay than one
 * sample at a time). The same bytes whichever thread encodes them.
 */
export function encodeCheckpoint(series: readonly CheckpointSeries[]): Uint8Array {
  const w = new ByteWriter(1 << 16);
  for (const s of series) {
    let at = beginRecord(w, RECORD_SERIES);
    writeSeries(w, [s]);
    endRecord(w, at);
    for (const c of s.chunks) {
      at = beginRecord(w, RECORD_CHUNK);
      writeChunk(w, s.ref, c.minT, c.maxT, c.numSamples, c.bytes);
      endRecord(w, at);
    }
  }
  return w.finish();
}
