/**
 * One chunk as a query sees it, wherever it lives: in the head (bytes in memory) or in a block
 * (read from its chunk file on first use). `numSamples` < 0 means "as the chunk header says".
 */
export interface ChunkSource {
  readonly minT: number;
  readonly maxT: number;
  readonly encoding: number;
  readonly numSamples: number;
  /** Deleted intervals (tombstones) as flat [min, max, min, max, …] pairs, inclusive. */
  readonly deleted?: readonly number[] | null;
  read(): Uint8Array;
}
