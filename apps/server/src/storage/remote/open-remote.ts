import { join } from 'node:path';
import type { Storage } from '@tally/storage';
import type { Logger } from '../../log/logger.js';
import type { SelfMetrics } from '../../self-metrics/self-metrics.js';
import { engineDeleter, engineDeletesRanges } from './engine-deleter.js';
import { RemoteHttpClient } from './remote-http-client.js';
import type { RemoteTarget } from './remote-serve-options.js';
import { RemoteStorage } from './remote-storage.js';
import { RemoteWriteQueue, type RemoteLog, type RemoteWriteQueueStats } from './remote-write-queue.js';
import { TeeStorage } from './tee-storage.js';

const logTo =
  (log: Logger): RemoteLog =>
  (level, msg, fields) =>
    log[level](msg, fields);

/** `--storage remote`: the queue lives in `<data-dir>/remote-queue`. */
export function openRemoteStorage(target: RemoteTarget, dataDir: string, log: Logger): RemoteStorage {
  return new RemoteStorage({
    engine: target.engine,
    writeUrl: target.writeUrl,
    queryUrl: target.queryUrl ?? '',
    queueDir: join(dataDir, 'remote-queue'),
    http: target.http,
    shards: target.shards,
    maxQueueBytes: target.maxQueueBytes,
    log: logTo(log),
  });
}

/** Forwarding mode: `primary` plus a copy through the queue in `<data-dir>/forward-queue`. */
export function withForwarding(
  primary: Storage,
  target: RemoteTarget,
  dataDir: string,
  log: Logger,
): TeeStorage {
  const client = new RemoteHttpClient(target.http);
  const deleter = target.queryUrl ? engineDeleter(target.engine, target.queryUrl, client) : undefined;
  const queue = new RemoteWriteQueue({
    dir: join(dataDir, 'forward-queue'),
    writeUrl: target.writeUrl,
    client,
    shards: target.shards,
    maxQueueBytes: target.maxQueueBytes,
    log: logTo(log),
    ...(deleter ? { deleteSeries: deleter } : {}),
  });
  return new TeeStorage(
    primary,
    queue,
    client,
    logTo(log),
    deleter ? { ranged: engineDeletesRanges(target.engine) } : undefined,
  );
}

/** The remote-write queue's figures on `/metrics`, when the storage has a queue. */
export function addRemoteQueueMetrics(metrics: SelfMetrics, storage: Storage): void {
  if (!(storage instanceof RemoteStorage) && !(storage instanceof TeeStorage)) return;
  let cached: { at: number; stats: RemoteWriteQueueStats } | undefined;
  const stats = (): RemoteWriteQueueStats => {
    const now = Date.now();
    if (!cached || now - cached.at > 100) cached = { at: now, stats: storage.queueStats() };
    return cached.stats;
  };
  metrics.gauge(
    'tally_remote_queue_pending_samples',
    'Samples in the remote-write queue not yet sent.',
    () => stats().pendingSamples,
  );
  metrics.gauge(
    'tally_remote_queue_pending_bytes',
    'Bytes of the remote-write queue on disk not yet sent.',
    () => stats().pendingBytes,
  );
  metrics.gauge(
    'tally_remote_queue_lag_seconds',
    'Age of the oldest sample being sent to the remote engine (0 when the queue is empty).',
    () => stats().lagSeconds,
  );
  metrics.gauge('tally_remote_queue_shards', 'Remote-write senders.', () => stats().shards);
  metrics.gauge(
    'tally_remote_samples_sent',
    'Samples the remote engine accepted since start (a counter).',
    () => stats().sentSamples,
  );
  metrics.gauge(
    'tally_remote_send_retries',
    'Remote-write requests retried since start (a counter).',
    () => stats().retries,
  );
  metrics.gauge(
    'tally_remote_queue_pending_deletions',
    'Series deletions queued for the remote engine and not carried out yet.',
    () => stats().pendingDeletions,
  );
  metrics.gauge(
    'tally_remote_deletions_refused',
    'Series deletions the remote engine refused for good since start (a counter; reasons in the log).',
    () => stats().refusedDeletions,
  );
  metrics.gauge(
    'tally_remote_samples_dropped',
    'Samples the remote engine refused for good (4xx) since start (a counter; reasons in the log).',
    () => [...stats().droppedSamples.values()].reduce((a, b) => a + b, 0),
  );
}
