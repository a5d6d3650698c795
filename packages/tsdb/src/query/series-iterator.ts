import type { SampleIterator } from '@tally/storage';
import { chunkIterator, type ChunkIterator } from '../chunk/chunk-iterator.js';
import type { ChunkSource } from './chunk-source.js';

/**
 * Iterates the samples of one series across its chunks (blocks' then the head's, oldest first)
 * within [minT, maxT], skipping deleted intervals and any sample not newer than the previous one
 * (so overlapping sources can never yield a timestamp twice). One decoder per chunk; nothing
 * allocated per sample.
 */
export class ChunkSampleIterator implements SampleIterator {
  t = 0;
  v = 0;
  private idx = -1;
  private cur: ChunkIterator | null = null;
  private deleted: readonly number[] | null = null;
  private lastT = -Infinity;
  private done = false;

  constructor(
    private readonly sources: readonly ChunkSource[],
    private readonly minT: number,
    private readonly maxT: number,
    private readonly baseDeleted: readonly number[] | null,
  ) {}

  private advanceChunk(floorT: number): boolean {
    const sources = this.sources;
    for (;;) {
      const i = ++this.idx;
      if (i >= sources.length) {
        this.done = true;
        this.cur = null;
        return false;
      }
      const c = sources[i]!;
      if (c.maxT < floorT || c.maxT <= this.lastT) continue;
      if (c.minT > this.maxT) continue;
      const bytes = c.read(); // a block chunk learns its encoding on read
      this.cur = chunkIterator(c.encoding, bytes, c.numSamples);
      this.deleted = c.deleted ?? this.baseDeleted;
      return true;
    }
  }

  private isDeleted(t: number): boolean {
    const d = this.deleted;
    if (!d) return false;
    for (let i = 0; i < d.length; i += 2) if (t >= d[i]! && t <= d[i + 1]!) return true;
    return false;
  }

  next(): boolean {
    return this.nextFrom(this.minT);
  }

  private nextFrom(floorT: number): boolean {
    if (this.done) return false;
    for (;;) {
      const cur = this.cur;
      if (!cur) {
        if (!this.advanceChunk(floorT)) return false;
        continue;
      }
      if (!cur.next()) {
        this.cur = null;
        continue;
      }
      const t = cur.t;
      if (t < floorT || t <= this.lastT) continue;
      if (t > this.maxT) {
        this.cur = null;
        continue;
      }
      if (this.deleted !== null && this.isDeleted(t)) continue;
      this.t = t;
      this.v = cur.v;
      this.lastT = t;
      return true;
    }
  }

  seek(timestampMs: number): boolean {
    if (this.lastT !== -Infinity && this.t >= timestampMs) return true;
    return this.nextFrom(Math.max(timestampMs, this.minT));
  }
}
