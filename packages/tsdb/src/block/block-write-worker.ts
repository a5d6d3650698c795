// The worker-thread side of BlockWriterThread: writes blocks from head chunks sent by the store.
import { parentPort } from 'node:worker_threads';
import { chunkSource } from '../head/mem-series.js';
import { ChunkSampleIterator } from '../query/series-iterator.js';
import type { BlockWriteJob, BlockWriteReply } from './block-writer-thread.js';
import { writeBlock } from './block-writer.js';

const port = parentPort!;
port.on('message', (job: BlockWriteJob) => {
  const input = job.series.map(({ labels, chunks }) => {
    const sources = chunks.map((c) => chunkSource(c.bytes, c.numSamples, c.minT, c.maxT));
    return { labels, iterator: () => new ChunkSampleIterator(sources, -Infinity, job.beforeMs - 1, null) };
  });
  writeBlock(job.dir, input, job.info).then(
    (meta) => port.postMessage({ id: job.id, meta } satisfies BlockWriteReply),
    (err: unknown) =>
      port.postMessage({ id: job.id, meta: null, error: (err as Error).message } satisfies BlockWriteReply),
  );
});
