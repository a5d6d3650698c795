// The worker-thread side of BlockWriterThread: writes blocks from head chunks sent by the store,
// and merges blocks it opens itself (read-only: the store keeps them until the new one is open).
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { mergeBlocks } from '../compact/merge-blocks.js';
import { encodeCheckpoint } from '../head/head-records.js';
import { writeCheckpoint } from '../wal/checkpoint.js';
import type { BlockMeta } from './block-meta.js';
import { cutInput, type BlockWriteJob, type BlockWriteReply } from './block-writer-thread.js';
import { writeBlock } from './block-writer.js';
import { unpackCut } from './packed-cut.js';
import { Block } from './block.js';

/**
 * How much lower this thread runs than the one that started it (Linux nice levels). Block
 * writes and compactions are background work: on a loaded machine they should yield the cores
 * to ingest, which a client waits on, and finish a little later. On 2 cores shared with the
 * sender, the server's remote-write bench had fewer slow runs with it (in 8 alternating pairs,
 * 3 runs without it stayed at 1.2–1.5 M samples/s in every round, none with it). Only Linux
 * keeps a nice value per thread; elsewhere setpriority would lower the whole process.
 */
const BACKGROUND_NICE_STEP = 5;
if (process.platform === 'linux') {
  try {
    setPriority(0, Math.min(19, getPriority(0) + BACKGROUND_NICE_STEP));
  } catch {
    // Not permitted here (a sandbox): the thread keeps the process's priority.
  }
}

const port = parentPort!;
port.on('message', (job: BlockWriteJob) => {
  run(job).then(
    (meta) => port.postMessage({ id: job.id, meta } satisfies BlockWriteReply),
    (err: unknown) =>
      port.postMessage({ id: job.id, meta: null, error: (err as Error).message } satisfies BlockWriteReply),
  );
});

async function run(job: BlockWriteJob): Promise<BlockMeta | null> {
  if (job.kind === 'checkpoint') {
    await writeCheckpoint(job.walDir, job.upTo, encodeCheckpoint(unpackCut(job.series)));
    return null;
  }
  if (job.kind === 'cut') {
    return writeBlock(
      job.dir,
      unpackCut(job.series).map((s) => cutInput(s, job.beforeMs)),
      job.info,
    );
  }
  const blocks: Block[] = [];
  try {
    for (const dir of job.blockDirs) blocks.push(await Block.open(dir));
    return await writeBlock(job.dir, mergeBlocks(blocks), job.info);
  } finally {
    for (const b of blocks) b.close();
  }
}
