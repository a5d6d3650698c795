import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import type { Labels } from '@tally/model';
import { encodeChunk } from '../chunk/encode-chunk.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { syncDir } from '../wal/fs-util.js';
import type { BlockMeta } from './block-meta.js';
import { chunkFileName, MAX_CHUNK_FILE_BYTES, writeChunkFileHeader, writeChunkRecord } from './chunk-file.js';
import type { ChunkMeta } from './index-format.js';
import { writeIndex, type IndexSeries } from './index-writer.js';
import { SampleBuffer } from './sample-buffer.js';
import { encodeTombstones } from './tombstones.js';
import { ulid } from './ulid.js';

/** Samples per chunk in a block (as in the head and in Prometheus). */
export const BLOCK_CHUNK_SAMPLES = 120;
const YIELD_EVERY_SERIES = 64;

/**
 * One series to write. Head cuts and compactions both build it with all four members, in this
 * order: one object shape keeps writeBlock's optimized code from being thrown away and compiled
 * again when a compaction follows a cut (V8 deoptimizes on a new shape: "wrong map").
 */
export interface BlockInput {
  readonly labels: Labels;
  /** Reads the series' samples, oldest first, into `buf`; returns how many. */
  readSamples(buf: SampleBuffer): number;
  /**
   * The series' chunks, already encoded for a block, to be copied as they are (a compaction of
   * chunks that need no change); null when the samples must be re-encoded (`readSamples`).
   */
  encodedChunks(): readonly EncodedBlockChunk[] | null;
  /**
   * The XOR chunks `readSamples` decodes, oldest first (a head cut's): a block chunk
   * that holds exactly one of them takes its bytes as the XOR candidate instead of encoding it.
   */
  readonly xorChunks: readonly { readonly bytes: Uint8Array; readonly numSamples: number }[] | undefined;
}

/** A chunk as a block stores it; both encodings start with their u16 sample count. */
export interface EncodedBlockChunk {
  readonly encoding: number;
  readonly bytes: Uint8Array;
  readonly minT: number;
  readonly maxT: number;
}

export interface BlockInfo {
  readonly minTime: number;
  readonly maxTime: number;
  readonly level: number;
  readonly sources: readonly string[];
  readonly parents: readonly string[];
}

async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The chunk files of a block being written: records go into a buffer, flushed in 1 MiB writes. */
class ChunkFiles {
  readonly w = new ByteWriter(1 << 20);
  private fileIndex = 0;
  /** Bytes of the current file already flushed. */
  private fileBase = 0;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
  ) {
    writeChunkFileHeader(this.w);
  }

  static async create(dir: string): Promise<ChunkFiles> {
    return new ChunkFiles(dir, await open(`${dir}/${chunkFileName(0)}`, 'w'));
  }

  /** The reference of the next record: file index * 2^32 + its offset in the file. */
  nextRef(): number {
    return this.fileIndex * 2 ** 32 + this.fileBase + this.w.length;
  }

  /** Makes room for a series' chunks: a new file once this one passed its size. */
  async prepare(): Promise<void> {
    if (this.fileBase + this.w.length > MAX_CHUNK_FILE_BYTES) {
      await this.close();
      this.fh = await open(`${this.dir}/${chunkFileName(++this.fileIndex)}`, 'w');
      this.fileBase = 0;
      writeChunkFileHeader(this.w);
    }
  }

  async flushIfFull(): Promise<void> {
    if (this.w.length > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    await this.fh.write(this.w.bytes, 0, this.w.length, this.fileBase);
    this.fileBase += this.w.length;
    this.w.reset();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
  }
}

/** What the block's meta counts, gathered series by series. */
interface Totals {
  numSamples: number;
  numChunks: number;
  minSample: number;
  maxSample: number;
}

// The per-series work is in small synchronous functions, apart from the async loop: V8
// optimizes each once, where one large async function was compiled again and again (OSR, then
// after each deopt) — measured at ~230 ms of compiler time per process on the remote-write bench.

/** Copies chunks already encoded for a block (a compaction that only moves them). */
function copyChunks(files: ChunkFiles, encoded: readonly EncodedBlockChunk[], totals: Totals): ChunkMeta[] {
  const chunks: ChunkMeta[] = [];
  for (const c of encoded) {
    const ref = files.nextRef();
    const length = writeChunkRecord(files.w, c.encoding, c.bytes);
    chunks.push({ minT: c.minT, maxT: c.maxT, ref, length });
    totals.numSamples += (c.bytes[0]! << 8) | c.bytes[1]!;
  }
  totals.numChunks += chunks.length;
  if (encoded[0]!.minT < totals.minSample) totals.minSample = encoded[0]!.minT;
  if (encoded.at(-1)!.maxT > totals.maxSample) totals.maxSample = encoded.at(-1)!.maxT;
  return chunks;
}

/** Encodes samples [0, n) into block chunks of at most 120 samples, reusing matching XOR chunks. */
function encodeChunks(
  files: ChunkFiles,
  buf: SampleBuffer,
  n: number,
  hints: BlockInput['xorChunks'],
  totals: Totals,
): ChunkMeta[] {
  const { ts, vs } = buf;
  const chunks: ChunkMeta[] = [];
  const perChunk = Math.ceil(n / Math.ceil(n / BLOCK_CHUNK_SAMPLES));
  let hint = 0;
  let hintFrom = 0; // index of the first sample of hints[hint]
  for (let from = 0; from < n; from += perChunk) {
    const to = Math.min(n, from + perChunk);
    while (hints !== undefined && hint < hints.length && hintFrom < from)
      hintFrom += hints[hint++]!.numSamples;
    const same = hints?.[hint];
    const c = encodeChunk(
      ts,
      vs,
      from,
      to,
      same !== undefined && hintFrom === from && same.numSamples === to - from ? same.bytes : undefined,
    );
    const ref = files.nextRef();
    const length = writeChunkRecord(files.w, c.encoding, c.bytes);
    chunks.push({ minT: ts[from]!, maxT: ts[to - 1]!, ref, length });
  }
  totals.numSamples += n;
  totals.numChunks += chunks.length;
  if (ts[0]! < totals.minSample) totals.minSample = ts[0]!;
  if (ts[n - 1]! > totals.maxSample) totals.maxSample = ts[n - 1]!;
  return chunks;
}

/**
 * Writes a block from series sorted by labels, re-encoding every chunk in the smaller of its
 * lossless encodings; series without samples are left out. The block is built in `<ulid>.tmp`,
 * fsynced and renamed into place, so a crash leaves either no block or a whole one. Returns
 * the meta, or null when there was nothing to write.
 */
export async function writeBlock(
  parentDir: string,
  input: Iterable<BlockInput>,
  info: BlockInfo,
): Promise<BlockMeta | null> {
  const id = ulid();
  const tmp = `${parentDir}/${id}.tmp`;
  await mkdir(`${tmp}/chunks`, { recursive: true });
  const series: IndexSeries[] = [];
  const totals: Totals = { numSamples: 0, numChunks: 0, minSample: Infinity, maxSample: -Infinity };
  const files = await ChunkFiles.create(`${tmp}/chunks`);
  const buf = new SampleBuffer();
  let seriesSinceYield = 0;
  for (const s of input) {
    // Encoding is CPU work on the event loop: let appends and queries in between every few
    // series, so a head cut never stalls ingest for its whole length (Prometheus compacts on
    // another goroutine for the same reason).
    if (++seriesSinceYield === YIELD_EVERY_SERIES) {
      seriesSinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const encoded = s.encodedChunks();
    if (encoded !== null && encoded.length > 0) {
      await files.prepare();
      series.push({ labels: s.labels, chunks: copyChunks(files, encoded, totals) });
    } else {
      const n = s.readSamples(buf);
      if (n === 0) continue;
      await files.prepare();
      series.push({ labels: s.labels, chunks: encodeChunks(files, buf, n, s.xorChunks, totals) });
    }
    await files.flushIfFull();
  }
  await files.close();
  if (series.length === 0) {
    await rm(tmp, { recursive: true, force: true });
    return null;
  }
  const meta: BlockMeta = {
    ulid: id,
    minTime: info.minTime,
    maxTime: info.maxTime,
    stats: {
      numSamples: totals.numSamples,
      numSeries: series.length,
      numChunks: totals.numChunks,
      minSampleTime: totals.minSample,
      maxSampleTime: totals.maxSample,
    },
    compaction: {
      level: info.level,
      sources: info.sources.length > 0 ? info.sources : [id],
      parents: info.parents,
    },
    version: 1,
  };
  await writeFile(`${tmp}/index`, writeIndex(series));
  await writeFile(`${tmp}/tombstones`, encodeTombstones(new Map()));
  await writeFile(`${tmp}/meta.json`, JSON.stringify(meta, null, 2) + '\n');
  for (const f of ['index', 'tombstones', 'meta.json']) await syncFile(`${tmp}/${f}`);
  await syncDir(`${tmp}/chunks`);
  await syncDir(tmp);
  await rename(tmp, `${parentDir}/${id}`);
  await syncDir(parentDir);
  return meta;
}
