import { compareLabels } from '@tally/model';
import type { Block } from '../block/block.js';
import type { BlockInput, EncodedBlockChunk } from '../block/block-writer.js';
import type { ChunkSource } from '../query/chunk-source.js';
import type { SeriesChunks } from '../query/tsdb-querier.js';
import { ChunkSampleIterator } from '../query/series-iterator.js';

/**
 * The input of a compaction: every series of `blocks` (oldest block first), its chunks from all
 * of them in time order, deleted samples left out — sorted by labels, as a block is written.
 * Used on the block-writer thread and, when that cannot run, on the calling thread.
 */
export function mergeBlocks(blocks: readonly Block[]): BlockInput[] {
  const group = [...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime);
  const merged = new Map<string, { labels: SeriesChunks['labels']; chunks: ChunkSource[] }>();
  for (const b of group)
    for (const sc of b.selectChunks([], -Infinity, Infinity)) {
      const e = merged.get(sc.key);
      if (e) e.chunks.push(...sc.chunks);
      else merged.set(sc.key, { labels: sc.labels, chunks: [...sc.chunks] });
    }
  return [...merged.values()]
    .sort((a, b) => compareLabels(a.labels, b.labels))
    .map(({ labels, chunks }) => ({
      labels,
      readSamples: (buf) => buf.read(new ChunkSampleIterator(chunks, -Infinity, Infinity, null)),
      encodedChunks: () => (copyable(chunks) ? chunks.map(encoded) : null),
      xorChunks: undefined,
    }));
}

/**
 * Chunks a compaction can copy unchanged: in time order without overlap (blocks from one store
 * never overlap, but the check costs nothing) and untouched by a deletion.
 */
function copyable(chunks: readonly ChunkSource[]): boolean {
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (i > 0 && c.minT <= chunks[i - 1]!.maxT) return false;
    const deleted = c.deleted;
    if (deleted)
      for (let k = 0; k < deleted.length; k += 2)
        if (deleted[k]! <= c.maxT && deleted[k + 1]! >= c.minT) return false;
  }
  return true;
}

function encoded(c: ChunkSource): EncodedBlockChunk {
  const bytes = c.read(); // a block chunk knows its encoding once read
  return { encoding: c.encoding, bytes, minT: c.minT, maxT: c.maxT };
}
