import { readFile } from 'node:fs/promises';
import { CorruptDataError } from '../encoding/corrupt-data-error.js';

/** `meta.json` of a block (docs/format.md § meta.json); times in milliseconds. */
export interface BlockMeta {
  readonly ulid: string;
  /** The block covers [minTime, maxTime): maxTime is exclusive, as in Prometheus. */
  readonly minTime: number;
  readonly maxTime: number;
  readonly stats: {
    readonly numSamples: number;
    readonly numSeries: number;
    readonly numChunks: number;
    readonly minSampleTime: number;
    readonly maxSampleTime: number;
  };
  readonly compaction: {
    readonly level: number;
    readonly sources: readonly string[];
    readonly parents: readonly string[];
  };
  readonly version: 1;
}

export async function readBlockMeta(dir: string): Promise<BlockMeta> {
  const text = await readFile(`${dir}/meta.json`, 'utf8');
  let meta: BlockMeta;
  try {
    meta = JSON.parse(text) as BlockMeta;
  } catch (err) {
    throw new CorruptDataError(`${dir}/meta.json: ${(err as Error).message}`);
  }
  if (meta.version !== 1 || typeof meta.minTime !== 'number' || typeof meta.maxTime !== 'number')
    throw new CorruptDataError(`${dir}/meta.json: not a version 1 block meta`);
  return meta;
}
