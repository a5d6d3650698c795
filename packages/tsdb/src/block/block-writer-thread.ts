import { Worker } from 'node:worker_threads';
import type { Labels } from '@tally/model';
import { mergeBlocks } from '../compact/merge-blocks.js';
import { encodeCheckpoint, type CheckpointSeries } from '../head/head-records.js';
import { writeCheckpoint } from '../wal/checkpoint.js';
import type { BlockMeta } from './block-meta.js';
import type { Block } from './block.js';
import { writeBlock, type BlockInfo, type BlockInput } from './block-writer.js';
import { packCut, unpackCut, type PackedCut } from './packed-cut.js';

/** A series to cut: its head chunks as encoded in memory (XOR), oldest first. */
export interface CutSeries {
  readonly labels: Labels;
  readonly chunks: readonly {
    readonly bytes: Uint8Array;
    readonly numSamples: number;
    readonly minT: number;
    readonly maxT: number;
  }[];
}

/** @internal The message to the worker: a head cut, or a compaction of blocks it opens itself. */
export type BlockWriteJob =
  | {
      readonly kind: 'cut';
      readonly id: number;
      readonly dir: string;
      readonly series: PackedCut;
      readonly beforeMs: number;
      readonly info: BlockInfo;
    }
  | {
      readonly kind: 'compact';
      readonly id: number;
      readonly dir: string;
      /** Directories of the blocks to merge; they stay in place until the new block is open. */
      readonly blockDirs: readonly string[];
      readonly info: BlockInfo;
    }
  | {
      readonly kind: 'checkpoint';
      readonly id: number;
      readonly walDir: string;
      /** The last WAL segment the checkpoint replaces. */
      readonly upTo: number;
      readonly series: PackedCut;
    };

/** @internal The worker's answer. */
export interface BlockWriteReply {
  readonly id: number;
  readonly meta: BlockMeta | null;
  readonly error?: string;
}

/**
 * Writes head cuts into blocks on a worker thread, so re-encoding a few hundred thousand
 * samples does not take the event loop from appends and queries (Prometheus compacts its head
 * on another goroutine for the same reason). One worker per process, started on the first large
 * cut and referenced only while a job is out, so an idle one never keeps the process alive. Cuts
 * smaller than
 * `minSamples`, and every cut once the worker could not start or died, are written on the
 * calling thread instead: the same function, the same files.
 */
export class BlockWriterThread {
  private static worker: Worker | null = null;
  private static broken = false;
  private static nextId = 1;
  private static readonly waiting = new Map<
    number,
    { resolve(meta: BlockMeta | null): void; reject(err: Error): void }
  >();
  /** Head cuts, compactions and WAL checkpoints this store had written on the worker thread. */
  readonly threaded = { cut: 0, compact: 0, checkpoint: 0 };

  constructor(private readonly minSamples: number) {}

  /** Writes samples older than `beforeMs` of `series` (sorted by labels) into a block in `dir`. */
  write(dir: string, series: CutSeries[], beforeMs: number, info: BlockInfo): Promise<BlockMeta | null> {
    let samples = 0;
    for (const s of series) for (const c of s.chunks) samples += c.numSamples;
    const here = (): Promise<BlockMeta | null> =>
      writeBlock(
        dir,
        series.map((s) => cutInput(s, beforeMs)),
        info,
      );
    if (samples < this.minSamples) return here();
    const packed = packCut(series);
    return this.run(
      { kind: 'cut', id: BlockWriterThread.nextId++, dir, series: packed, beforeMs, info },
      here,
    );
  }

  /**
   * Merges `blocks` into a new block in `dir` (`info` describes it). Compactions are as large as
   * the largest cuts, so they go to the thread under the same threshold.
   */
  compact(dir: string, blocks: readonly Block[], info: BlockInfo): Promise<BlockMeta | null> {
    let samples = 0;
    for (const b of blocks) samples += b.meta.stats.numSamples;
    const here = (): Promise<BlockMeta | null> => writeBlock(dir, mergeBlocks(blocks), info);
    if (samples < this.minSamples) return here();
    const blockDirs = blocks.map((b) => b.dir);
    return this.run({ kind: 'compact', id: BlockWriterThread.nextId++, dir, blockDirs, info }, here);
  }

  /**
   * Takes the WAL checkpoint that replaces segments up to `upTo` from `series` (the head as that
   * segment ended, its open chunks as views) and returns the function that writes it. The
   * snapshot is taken now, synchronously: a small head is encoded here, a large one copied into
   * shared memory (its open chunks change with the next append) and encoded on the thread when
   * the returned function runs. Copying took about a third of the event loop's time encoding
   * did (`bench/main-cut.ts`).
   */
  checkpoint(walDir: string, upTo: number, series: readonly CheckpointSeries[]): () => Promise<void> {
    let samples = 0;
    for (const s of series) for (const c of s.chunks) samples += c.numSamples;
    if (samples < this.minSamples) {
      const records = encodeCheckpoint(series);
      return () => writeCheckpoint(walDir, upTo, records);
    }
    const packed = packCut(series);
    const here = async (): Promise<null> => {
      await writeCheckpoint(walDir, upTo, encodeCheckpoint(unpackCut(packed)));
      return null;
    };
    return async () => {
      await this.run(
        { kind: 'checkpoint', id: BlockWriterThread.nextId++, walDir, upTo, series: packed },
        here,
      );
    };
  }

  /** Runs `job` on the thread; where it cannot start or died, `here` does it on this thread. */
  private run(job: BlockWriteJob, here: () => Promise<BlockMeta | null>): Promise<BlockMeta | null> {
    const worker = BlockWriterThread.start();
    if (!worker) return here();
    return new Promise<BlockMeta | null>((resolve, reject) => {
      // Referenced while a job is out, so the process waits for it; idle, it never keeps it alive.
      if (BlockWriterThread.waiting.size === 0) worker.ref();
      BlockWriterThread.waiting.set(job.id, { resolve, reject });
      worker.postMessage(job);
    }).then(
      (meta) => {
        this.threaded[job.kind]++;
        return meta;
      },
      (err: unknown) => {
        if (!(err instanceof ThreadStoppedError)) throw err;
        // The thread died (or never started): write it here; a half-written <ulid>.tmp it may
        // have left is removed at the next open, like any other.
        return here();
      },
    );
  }

  private static start(): Worker | null {
    if (this.broken) return null;
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      const here = import.meta.url;
      if (here.endsWith('.ts')) {
        // Running from sources (tsx, vitest): the worker registers tsx before loading its module.
        const url = new URL('./block-write-worker.ts', here).href;
        worker = new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`,
          { eval: true },
        );
      } else worker = new Worker(new URL('./block-write-worker.js', here));
    } catch {
      this.broken = true;
      return null;
    }
    worker.on('message', (reply: BlockWriteReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error !== undefined) w.reject(new Error(`writing a block failed: ${reply.error}`));
      else w.resolve(reply.meta);
    });
    const fail = (err: Error): void => {
      this.broken = true;
      this.worker = null;
      for (const w of this.waiting.values()) w.reject(new ThreadStoppedError(err.message));
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    // After the listeners: attaching a 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** The worker stopped before answering: the job is written on the calling thread instead. */
class ThreadStoppedError extends Error {}

/** @internal What writeBlock reads of a cut series: its samples before `beforeMs`, and its XOR chunks. */
export function cutInput(s: CutSeries, beforeMs: number): BlockInput {
  return {
    labels: s.labels,
    readSamples: (buf) => buf.readXor(s.chunks, beforeMs),
    encodedChunks: () => null,
    xorChunks: s.chunks,
  };
}
