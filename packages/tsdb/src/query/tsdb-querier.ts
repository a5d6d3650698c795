import { compareLabels, type Labels } from '@tally/model';
import type { Matcher, Querier, SelectHints, Series } from '@tally/storage';
import type { ChunkSource } from './chunk-source.js';
import { ChunkSampleIterator } from './series-iterator.js';

/** One series' chunks from one source (a block or the head). */
export interface SeriesChunks {
  readonly labels: Labels;
  readonly key: string;
  readonly chunks: readonly ChunkSource[];
}

/** A block or the head, as a querier reads it. */
export interface QuerySource {
  selectChunks(matchers: readonly Matcher[], minT: number, maxT: number): SeriesChunks[];
}

/**
 * Merges the series of every source (blocks oldest first, then the head) by label set. Chunk
 * lists are snapshots taken at select time: later appends, cuts and compactions never change
 * what an already returned series yields, and blocks stay readable until `close()`.
 */
export class TsdbQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly sources: readonly QuerySource[],
    readonly minTimeMs: number,
    readonly maxTimeMs: number,
    private readonly onClose: () => void,
  ) {}

  select(matchers: readonly Matcher[], hints?: SelectHints): Promise<Series[]> {
    const merged = new Map<string, { labels: Labels; chunks: ChunkSource[] }>();
    const minT = this.minTimeMs;
    const maxT = this.maxTimeMs;
    for (const src of this.sources)
      for (const sc of src.selectChunks(matchers, minT, maxT)) {
        const e = merged.get(sc.key);
        if (e) for (const c of sc.chunks) e.chunks.push(c);
        else merged.set(sc.key, { labels: sc.labels, chunks: sc.chunks.slice() });
      }
    const out: Series[] = [];
    for (const { labels, chunks } of merged.values()) {
      // A series whose chunks overlap the range may still have no sample in it (tombstones).
      if (!new ChunkSampleIterator(chunks, minT, maxT, null).next()) continue;
      out.push({ labels, iterator: () => new ChunkSampleIterator(chunks, minT, maxT, null) });
    }
    out.sort((a, b) => compareLabels(a.labels, b.labels));
    if (hints?.limit !== undefined && out.length > hints.limit) out.length = hints.limit;
    return Promise.resolve(out);
  }

  async labelNames(matchers?: readonly Matcher[]): Promise<string[]> {
    const names = new Set<string>();
    for (const s of await this.select(matchers ?? [])) for (const l of s.labels) names.add(l.name);
    return [...names].sort();
  }

  async labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]> {
    const values = new Set<string>();
    for (const s of await this.select(matchers ?? []))
      for (const l of s.labels) if (l.name === name) values.add(l.value);
    return [...values].sort();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
