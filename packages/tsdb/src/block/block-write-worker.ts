// The worker-thread side of BlockWriterThread: writes blocks from head chunks sent by the store,
// and merges blocks it opens itself (read-only: the store keeps them until the new one is open).
import { parentPort } from 'node:worker_threads';
import { mergeBlocks } from '../compact/merge-blocks.js';
import type { BlockMeta } from './block-meta.js';
import { cutInput, type BlockWriteJob, type BlockWriteReply } from './block-writer-thread.js';
import { writeBlock } from './block-writer.js';
import { unpackCut } from './packed-cut.js';
import { Block } from './block.js';

const port = parentPort!;
port.on('message', (job: BlockWriteJob) => {
  run(job).then(
    (meta) => port.postMessage({ id: job.id, meta } satisfies BlockWriteReply),
    (err: unknown) =>
      port.postMessage({ id: job.id, meta: null, error: (err as Error).message } satisfies BlockWriteReply),
  );
});

async function run(job: BlockWriteJob): Promise<BlockMeta | null> {
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
