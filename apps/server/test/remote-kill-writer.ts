// Child process of remote-kill.test.ts: commits numbered batches into a remote-write queue
// whose engine is unreachable and prints each batch number once its commit has resolved.
import { labelsFromRecord, labelsKey } from '@tally/model';
import { RemoteHttpClient } from '../src/storage/remote/remote-http-client.js';
import { RemoteWriteQueue } from '../src/storage/remote/remote-write-queue.js';
import type { OutgoingSeries } from '../src/storage/remote/write-request-encoder.js';

const [dir, writeUrl] = process.argv.slice(2) as [string, string];
const queue = new RemoteWriteQueue({
  dir,
  writeUrl,
  client: new RemoteHttpClient(),
  shards: 4,
  maxBackoffMs: 200,
});
for (let batch = 0; ; batch++) {
  const perShard: OutgoingSeries[][] = [[], [], [], []];
  for (let k = 0; k < 10; k++) {
    const labels = labelsFromRecord({ __name__: `kill_test_${k}`, job: 'kill' });
    perShard[queue.shardOf(labelsKey(labels))]!.push({ labels, timestampsMs: [batch], values: [batch] });
  }
  await queue.enqueue(perShard);
  process.stdout.write(`acked ${batch}\n`);
}
