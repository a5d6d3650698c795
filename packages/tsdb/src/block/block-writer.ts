import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import type { Labels } from '@tally/model';
import type { SampleIterator } from '@tally/storage';
import { encodeChunk } from '../chunk/encode-chunk.js';
import { ByteWriter } from '../encoding/byte-writer.js';
import { syncDir } from '../wal/fs-util.js';
import type { BlockMeta } from './block-meta.js';
import { chunkFileName, MAX_CHUNK_FILE_BYTES, writeChunkFileHeader, writeChunkRecord } from './chunk-file.js';
import type { ChunkMeta } from './index-format.js';
import { writeIndex, type IndexSeries } from './index-writer.js';
import { encodeTombstones } from './tombstones.js';
import { ulid } from './ulid.js';

/** Samples per chunk in a block (as in the head and in Prometheus). */
export const BLOCK_CHUNK_SAMPLES = 120;
const YIELD_EVERY_SERIES = 64;

export interface BlockInput {
  readonly labels: Labels;
  iterator(): SampleIterator;
  /**
   * The series' chunks, already encoded for a block, to be copied as they are (a compaction of
   * chunks that need no change); null when the samples must be re-encoded from `iterator()`.
   */
  encodedChunks?(): readonly EncodedBlockChunk[] | null;
  /**
   * The XOR chunks the iterator's samples come from, oldest first (a head cut's): a block chunk
   * that holds exactly one of them takes its bytes as the XOR candidate instead of encoding it.
   */
  readonly xorChunks?: readonly { readonly bytes: Uint8Array; readonly numSamples: number }[];
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
  let ts = new Float64Array(1024);
  let vs = new Float64Array(1024);
  let numSamples = 0;
  let numChunks = 0;
  let minSample = Infinity;
  let maxSample = -Infinity;
  let fileIndex = 0;
  const w = new ByteWriter(1 << 20);
  writeChunkFileHeader(w);
  let fileBase = 0; // bytes of the current file already flushed
  let fh = await open(`${tmp}/chunks/${chunkFileName(0)}`, 'w');
  const flush = async (): Promise<void> => {
    await fh.write(w.bytes, 0, w.length, fileBase);
    fileBase += w.length;
    w.reset();
  };
  const nextFile = async (): Promise<void> => {
    await flush();
    await fh.sync();
    await fh.close();
    fh = await open(`${tmp}/chunks/${chunkFileName(++fileIndex)}`, 'w');
    fileBase = 0;
    writeChunkFileHeader(w);
  };
  let seriesSinceYield = 0;
  for (const s of input) {
    // Encoding is CPU work on the event loop: let appends and queries in between every few
    // series, so a head cut never stalls ingest for its whole length (Prometheus compacts on
    // another goroutine for the same reason).
    if (++seriesSinceYield === YIELD_EVERY_SERIES) {
      seriesSinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const encoded = s.encodedChunks?.() ?? null;
    if (encoded !== null && encoded.length > 0) {
      // Copied as they are: a compaction does not decode and re-encode what it only moves.
      if (fileBase + w.length > MAX_CHUNK_FILE_BYTES) await nextFile();
      const chunks: ChunkMeta[] = [];
      for (const c of encoded) {
        const ref = fileIndex * 2 ** 32 + fileBase + w.length;
        const length = writeChunkRecord(w, c.encoding, c.bytes);
        chunks.push({ minT: c.minT, maxT: c.maxT, ref, length });
        numSamples += (c.bytes[0]! << 8) | c.bytes[1]!;
      }
      if (w.length > 1 << 20) await flush();
      series.push({ labels: s.labels, chunks });
      numChunks += chunks.length;
      if (encoded[0]!.minT < minSample) minSample = encoded[0]!.minT;
      if (encoded.at(-1)!.maxT > maxSample) maxSample = encoded.at(-1)!.maxT;
      continue;
    }
    const it = s.iterator();
    let n = 0;
    while (it.next()) {
      if (n === ts.length) {
        const ts2 = new Float64Array(n * 2);
        ts2.set(ts);
        ts = ts2;
        const vs2 = new Float64Array(n * 2);
        vs2.set(vs);
        vs = vs2;
      }
      ts[n] = it.t;
      vs[n++] = it.v;
    }
    if (n === 0) continue;
    if (fileBase + w.length > MAX_CHUNK_FILE_BYTES) await nextFile();
    const chunks: ChunkMeta[] = [];
    const perChunk = Math.ceil(n / Math.ceil(n / BLOCK_CHUNK_SAMPLES));
    const hints = s.xorChunks;
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
      const ref = fileIndex * 2 ** 32 + fileBase + w.length;
      const length = writeChunkRecord(w, c.encoding, c.bytes);
      chunks.push({ minT: ts[from]!, maxT: ts[to - 1]!, ref, length });
    }
    if (w.length > 1 << 20) await flush();
    series.push({ labels: s.labels, chunks });
    numSamples += n;
    numChunks += chunks.length;
    if (ts[0]! < minSample) minSample = ts[0]!;
    if (ts[n - 1]! > maxSample) maxSample = ts[n - 1]!;
  }
  await flush();
  await fh.sync();
  await fh.close();
  if (series.length === 0) {
    await rm(tmp, { recursive: true, force: true });
    return null;
  }
  const meta: BlockMeta = {
    ulid: id,
    minTime: info.minTime,
    maxTime: info.maxTime,
    stats: {
      numSamples,
      numSeries: series.length,
      numChunks,
      minSampleTime: minSample,
      maxSampleTime: maxSample,
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
