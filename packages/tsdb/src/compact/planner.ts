import type { BlockMeta } from '../block/block-meta.js';

/**
 * Block ranges by compaction level: the head is cut into blocks of `blockDurationMs`, which are
 * merged into blocks 3×, 9×, … as long (Prometheus: 2h, 6h, 18h, …) up to `maxBlockDurationMs`.
 */
export function compactionRanges(blockDurationMs: number, maxBlockDurationMs: number): number[] {
  const ranges = [blockDurationMs];
  while (ranges.at(-1)! * 3 <= maxBlockDurationMs) ranges.push(ranges.at(-1)! * 3);
  return ranges;
}

/**
 * The next set of blocks to merge, or null. Blocks (sorted by time) that lie within the same
 * aligned window of a larger range are merged once the window is complete — some block already
 * reaches past its end — so a block is rewritten about once per level, never per head cut.
 */
export function planCompaction(metas: readonly BlockMeta[], ranges: readonly number[]): BlockMeta[] | null {
  if (metas.length < 2) return null;
  const newest = Math.max(...metas.map((m) => m.maxTime));
  for (const range of ranges.slice(1)) {
    const groups = new Map<number, BlockMeta[]>();
    for (const m of metas) {
      const start = Math.floor(m.minTime / range) * range;
      if (m.maxTime > start + range) continue; // already larger than this window
      const g = groups.get(start);
      if (g) g.push(m);
      else groups.set(start, [m]);
    }
    for (const [start, g] of [...groups].sort((a, b) => a[0] - b[0])) {
      if (g.length < 2) continue;
      if (start + range <= newest || g.reduce((sum, m) => sum + m.maxTime - m.minTime, 0) >= range) return g;
    }
  }
  return null;
}
