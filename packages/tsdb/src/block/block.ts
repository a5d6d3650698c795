import { readdirSync, statSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from '../wal/fs-util.js';
import { labelsKey } from '@tally/model';
import { matchLabels, type Matcher } from '@tally/storage';
import { parseChunkRecord } from './chunk-file.js';
import { ChunkFiles } from './chunk-file.js';
import { readBlockMeta, type BlockMeta } from './block-meta.js';
import { IndexReader } from './index-reader.js';
import { readTombstonesFile, writeTombstonesFile, type Tombstones } from './tombstones.js';
import type { ChunkSource } from '../query/chunk-source.js';
import type { QuerySource, SeriesChunks } from '../query/tsdb-querier.js';

/**
 * An immutable on-disk block opened for reading: meta, index (held in memory), chunk files
 * (read on demand) and tombstones. Queriers pin it; a block that compaction or retention
 * removed keeps its files open until the last querier that pinned it closes.
 */
export class Block implements QuerySource {
  private pins = 0;
  private dropped = false;
  private keyCache: Set<string> | null = null;
  readonly sizeBytes: number;

  private constructor(
    readonly dir: string,
    readonly meta: BlockMeta,
    private readonly index: IndexReader,
    private readonly chunkFiles: ChunkFiles,
    public tombstones: Tombstones,
  ) {
    this.sizeBytes = dirSize(dir);
  }

  static async open(dir: string): Promise<Block> {
    const meta = await readBlockMeta(dir);
    const index = new IndexReader(await readFile(`${dir}/index`), `${dir}/index`);
    const tombstones = await readTombstonesFile(dir);
    const files = readdirSync(`${dir}/chunks`).filter((f) => /^\d{6}$/.test(f)).length;
    return new Block(dir, meta, index, new ChunkFiles(dir, files), tombstones);
  }

  get ulid(): string {
    return this.meta.ulid;
  }

  private refs(matchers: readonly Matcher[]): number[] {
    let best: number[] | null = null;
    for (const m of matchers) {
      if (m.matchesEmpty()) continue;
      const values = this.index.postingsTable.get(m.name);
      let refs: number[] = [];
      if (values) {
        if (m.type === '=') {
          const off = values.get(m.value);
          if (off !== undefined) refs = this.index.postings(off);
        } else {
          for (const [value, off] of values)
            if (m.matches(value)) for (const r of this.index.postings(off)) refs.push(r);
          refs.sort((a, b) => a - b);
        }
      }
      if (!best || refs.length < best.length) best = refs;
      if (best.length === 0) break;
    }
    return best ?? this.index.allPostings();
  }

  selectChunks(matchers: readonly Matcher[], minT: number, maxT: number): SeriesChunks[] {
    if (maxT < this.meta.minTime || minT >= this.meta.maxTime) return [];
    const out: SeriesChunks[] = [];
    for (const ref of this.refs(matchers)) {
      const entry = this.index.series(ref);
      if (!matchLabels(matchers, entry.labels)) continue;
      const deleted = this.tombstones.get(ref) ?? null;
      const chunks: ChunkSource[] = [];
      for (const c of entry.chunks) {
        if (c.maxT < minT || c.minT > maxT) continue;
        chunks.push(this.chunkSource(c.ref, c.length, c.minT, c.maxT, deleted));
      }
      if (chunks.length > 0) out.push({ labels: entry.labels, key: labelsKey(entry.labels), chunks });
    }
    return out;
  }

  private chunkSource(
    ref: number,
    length: number,
    minT: number,
    maxT: number,
    deleted: number[] | null,
  ): ChunkSource {
    const files = this.chunkFiles;
    const where = `${this.dir} chunk ${ref}`;
    let encoding = 0;
    return {
      minT,
      maxT,
      numSamples: -1,
      deleted,
      get encoding() {
        return encoding;
      },
      read() {
        const c = parseChunkRecord(files.read(ref, length), where);
        encoding = c.encoding;
        return c.data;
      },
    };
  }

  /** Series references matching, for deletion. */
  matchingRefs(matchers: readonly Matcher[]): number[] {
    return this.refs(matchers).filter((ref) => matchLabels(matchers, this.index.series(ref).labels));
  }

  /** Adds deleted intervals for the matching series and writes the tombstones file durably. */
  async delete(matchers: readonly Matcher[], minT: number, maxT: number): Promise<boolean> {
    if (maxT < this.meta.minTime || minT >= this.meta.maxTime) return false;
    const refs = this.matchingRefs(matchers);
    if (refs.length === 0) return false;
    const next: Tombstones = new Map(this.tombstones);
    for (const ref of refs) next.set(ref, [...(next.get(ref) ?? []), minT, maxT]);
    await writeTombstonesFile(this.dir, next);
    this.tombstones = next;
    return true;
  }

  /** Label-set keys of every series (for exact series counts across blocks). */
  seriesKeys(): Set<string> {
    if (!this.keyCache) {
      this.keyCache = new Set();
      for (const ref of this.index.allPostings()) this.keyCache.add(labelsKey(this.index.series(ref).labels));
    }
    return this.keyCache;
  }

  pin(): void {
    this.pins++;
  }

  unpin(): void {
    if (--this.pins === 0 && this.dropped) this.chunkFiles.close();
  }

  /**
   * Removes the block's directory now; its files stay readable for pinned queriers. The
   * directory is first renamed to `<ulid>.deleted.tmp` (atomic), so a crash midway through the
   * removal leaves no half-deleted block behind, only a leftover that the next open removes.
   */
  async drop(): Promise<void> {
    this.dropped = true;
    const doomed = `${this.dir}.deleted.tmp`;
    await rename(this.dir, doomed);
    await syncDir(dirname(this.dir));
    await rm(doomed, { recursive: true, force: true });
    if (this.pins === 0) this.chunkFiles.close();
  }

  /** Closes files (store shutdown). */
  close(): void {
    this.chunkFiles.close();
  }
}

function dirSize(dir: string): number {
  let size = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    size += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return size;
}
