import { compressBlock } from '../../http/snappy-block.js';
import { labelsKey } from '@tally/model';
import { decodeQueueBody } from './queue-body.js';
import { decodeDeletionBody, type QueuedDeletion } from './queued-deletion.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import type { QueueRecord, SegmentQueue } from './segment-queue.js';
import { encodeWriteRequest, type OutgoingSeries } from './write-request-encoder.js';
import { WakeableSleep } from './wakeable-sleep.js';

export interface ShardSenderOptions {
  readonly writeUrl: URL;
  readonly maxSamplesPerSend: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly onDrop: (reason: string, samples: number, detail: string) => void;
  readonly onRetry: (detail: string) => void;
  /**
   * A queued deletion reached: resolves true once it is carried out (the record is then
   * acknowledged), false when the queue is closing (it stays for the next start).
   */
  readonly onDeletion: (deletion: QueuedDeletion) => Promise<boolean>;
}

const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

/**
 * Sends one shard's queue to the engine, one request at a time, so a series' samples (always
 * in the same shard) arrive in order. Like Prometheus' queue manager (storage/remote/
 * queue_manager.go): 5xx, 429 and network errors are retried with exponential backoff for as
 * long as it takes; any other 4xx means the engine will never take the batch, so it is
 * dropped and counted by reason. A batch is acknowledged in the queue only after that.
 */
export class ShardSender {
  private closing = false;
  private readonly backoff = new WakeableSleep();
  private loop: Promise<void> | undefined;
  /** When the oldest record being sent was enqueued, while a send is under way. */
  inflightSinceMs: number | undefined;
  sentSamples = 0;
  sentRequests = 0;

  constructor(
    private readonly queue: SegmentQueue,
    private readonly client: RemoteHttpClient,
    private readonly opts: ShardSenderOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      const records = this.queue.read(this.opts.maxSamplesPerSend);
      if (records.length === 0) {
        await this.queue.waitForData();
        continue;
      }
      this.inflightSinceMs = records[0]!.enqueuedAtMs;
      const done = records[0]!.control ? await this.deletion(records[0]!) : await this.deliver(records);
      this.inflightSinceMs = undefined;
      if (!done) return; // closing mid-retry: the batch stays on disk for the next start
      this.queue.ack(records);
    }
  }

  /** True once the deletion is carried out (or its record is unreadable); false when closing. */
  private async deletion(record: QueueRecord): Promise<boolean> {
    let deletion: QueuedDeletion;
    try {
      deletion = decodeDeletionBody(record.body);
    } catch (err) {
      this.opts.onDrop('corrupt_record', 0, (err as Error).message);
      return true;
    }
    return this.opts.onDeletion(deletion);
  }

  /** True once sent or dropped for good; false if the sender closed while retrying. */
  private async deliver(records: readonly QueueRecord[]): Promise<boolean> {
    let samples = 0;
    for (const r of records) samples += r.samples;
    let body: Uint8Array;
    try {
      body = compressBlock(encodeWriteRequest(mergeSeries(records)));
    } catch (err) {
      this.opts.onDrop('corrupt_record', samples, (err as Error).message);
      return true;
    }
    let backoffMs = this.opts.minBackoffMs;
    for (;;) {
      let detail: string;
      try {
        const res = await this.client.request('POST', this.opts.writeUrl, body, REMOTE_WRITE_HEADERS);
        if (res.status >= 200 && res.status < 300) {
          this.sentSamples += samples;
          this.sentRequests++;
          return true;
        }
        detail = `HTTP ${res.status}: ${res.body.toString('utf8', 0, Math.min(res.body.length, 300)).trim()}`;
        if (res.status !== 429 && res.status < 500) {
          this.opts.onDrop(`http_${res.status}`, samples, detail);
          return true;
        }
        const retryAfterS = Number(res.headers['retry-after']);
        if (res.status === 429 && retryAfterS > 0) backoffMs = Math.max(backoffMs, retryAfterS * 1000);
      } catch (err) {
        detail = (err as Error).message;
      }
      if (this.closing) return false;
      this.opts.onRetry(detail);
      await this.backoff.sleep(backoffMs * (0.75 + Math.random() * 0.5));
      if (this.closing) return false;
      backoffMs = Math.min(backoffMs * 2, this.opts.maxBackoffMs);
    }
  }

  /** Stops after the request in flight (if any) ends; unsent records stay in the queue. */
  async stop(): Promise<void> {
    this.closing = true;
    this.backoff.wake();
    this.queue.interrupt();
    await this.loop;
    await this.queue.close();
  }
}

/** Joins the records' series: a series in several records gets one entry, samples in order. */
function mergeSeries(records: readonly QueueRecord[]): OutgoingSeries[] {
  const byKey = new Map<string, OutgoingSeries[]>();
  for (const r of records) {
    for (const s of decodeQueueBody(r.body)) {
      const key = labelsKey(s.labels);
      const parts = byKey.get(key);
      if (parts) parts.push(s);
      else byKey.set(key, [s]);
    }
  }
  const out: OutgoingSeries[] = [];
  for (const parts of byKey.values()) {
    if (parts.length === 1) {
      out.push(parts[0]!);
      continue;
    }
    let n = 0;
    for (const p of parts) n += p.values.length;
    const timestampsMs = new Float64Array(n);
    const values = new Float64Array(n);
    let at = 0;
    for (const p of parts) {
      timestampsMs.set(p.timestampsMs, at);
      values.set(p.values, at);
      at += p.values.length;
    }
    out.push({ labels: parts[0]!.labels, timestampsMs, values });
  }
  return out;
}
