import {
  closeSync,
  fdatasync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { isControlBody } from './queued-deletion.js';

/** A place in the queue: a segment number and a byte offset in it. */
export interface QueuePosition {
  readonly segment: number;
  readonly offset: number;
}

/** One record read back from the queue. */
export interface QueueRecord {
  readonly body: Buffer;
  readonly samples: number;
  readonly enqueuedAtMs: number;
  readonly sizeBytes: number;
  /** A control record (a queued deletion), always read alone. */
  readonly control: boolean;
  /** The position just after this record: acknowledge it to consume the record. */
  readonly end: QueuePosition;
}

export interface SegmentQueueOptions {
  /** A segment is closed and a new one begun once it reaches this size (default 8 MiB). */
  readonly segmentSizeBytes?: number;
  /** Told about damage found at start-up (a torn tail is normal after a crash). */
  readonly onRecovery?: (what: 'torn_tail' | 'corrupt_record', segment: number, offset: number) => void;
  /** Told, at start-up, about each control record still pending (to resume its numbering). */
  readonly onPendingControl?: (body: Buffer) => void;
}

// Record layout (little-endian): u32 length of what follows the CRC, u32 CRC-32 (zlib's,
// IEEE) of it, f64 enqueuedAtMs, u32 sampleCount, body. See the README for the whole format.
const HEADER_BYTES = 8;
const META_BYTES = 12;
const MAX_RECORD_BYTES = 1 << 30;

/**
 * One shard's durable FIFO of records: append-only segment files `NNNNNNNN.seg` in `dir`
 * and a `checkpoint` file naming the first unacknowledged record. `append` writes at once
 * (synchronously) and `sync()` makes everything appended so far durable (one fdatasync for
 * every caller waiting: group commit). The reader cursor (`read`) runs ahead of the
 * acknowledged position (`ack`); what is acknowledged is forgotten, segment by segment.
 * After a crash the queue resumes from the checkpoint: records sent but not yet checkpointed
 * are sent again (at-least-once), and a torn record at the end of the last segment — one
 * whose `sync()` never resolved, so nobody was told it was durable — is cut off.
 */
export class SegmentQueue {
  private readonly segmentSizeBytes: number;
  private segments: number[];
  private fd: number;
  private activeSegment: number;
  private activeSize = 0;
  private readPos: QueuePosition;
  private ackPos: QueuePosition;
  private readFd: { segment: number; fd: number } | undefined;
  private syncing: Promise<void> | undefined;
  private syncQueued: Promise<void> | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];
  /** Bytes and samples appended and not yet acknowledged. */
  pendingBytes = 0;
  pendingSamples = 0;
  /** Monotonic byte counters since open; a read barrier waits for acked to pass appended. */
  appendedBytesTotal = 0;
  ackedBytesTotal = 0;

  constructor(
    readonly dir: string,
    opts: SegmentQueueOptions = {},
  ) {
    this.segmentSizeBytes = opts.segmentSizeBytes ?? 8 << 20;
    mkdirSync(dir, { recursive: true });
    this.ackPos = readCheckpoint(dir);
    this.segments = listSegments(dir);
    for (const seg of this.segments.filter((s) => s < this.ackPos.segment)) rmSync(segmentPath(dir, seg));
    this.segments = this.segments.filter((s) => s >= this.ackPos.segment);
    if (this.segments[0] !== this.ackPos.segment) this.ackPos = { segment: this.segments[0] ?? 1, offset: 0 };
    for (const seg of this.segments) this.recover(seg, opts);
    this.appendedBytesTotal = this.pendingBytes;
    this.readPos = this.ackPos;
    // Always append to a fresh segment: the old ones are only read from now on.
    this.activeSegment = (this.segments.at(-1) ?? 0) + 1;
    this.fd = openSync(segmentPath(dir, this.activeSegment), 'a');
    this.segments.push(this.activeSegment);
  }

  /** Scans one segment from the acknowledged position, counting what is pending; cuts damage off. */
  private recover(segment: number, { onRecovery, onPendingControl }: SegmentQueueOptions): void {
    const path = segmentPath(this.dir, segment);
    const size = statSync(path).size;
    let offset = segment === this.ackPos.segment ? this.ackPos.offset : 0;
    const fd = openSync(path, 'r+');
    try {
      const header = Buffer.alloc(HEADER_BYTES + META_BYTES);
      while (offset < size) {
        const got = readSync(fd, header, 0, header.length, offset);
        const length = got >= HEADER_BYTES ? header.readUInt32LE(0) : -1;
        let ok = got === header.length && length >= META_BYTES && offset + HEADER_BYTES + length <= size;
        if (ok) {
          const rest = Buffer.allocUnsafe(length);
          readSync(fd, rest, 0, length, offset + HEADER_BYTES);
          ok = crc32(rest) === header.readUInt32LE(4);
          const body = rest.subarray(META_BYTES);
          if (ok && isControlBody(body)) onPendingControl?.(body);
        }
        if (!ok) {
          const last = segment === this.segments.at(-1);
          onRecovery?.(last ? 'torn_tail' : 'corrupt_record', segment, offset);
          ftruncateSync(fd, offset);
          fsyncSync(fd);
          break;
        }
        this.pendingBytes += HEADER_BYTES + length;
        this.pendingSamples += header.readUInt32LE(HEADER_BYTES + 8);
        offset += HEADER_BYTES + length;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Writes one record (not yet durable: call {@link sync}). */
  append(body: Buffer, samples: number, enqueuedAtMs: number): void {
    if (this.closed) throw new Error('the remote-write queue is closed');
    if (this.activeSize >= this.segmentSizeBytes) this.rotate();
    const record = Buffer.allocUnsafe(HEADER_BYTES + META_BYTES + body.length);
    record.writeUInt32LE(META_BYTES + body.length, 0);
    record.writeDoubleLE(enqueuedAtMs, HEADER_BYTES);
    record.writeUInt32LE(samples, HEADER_BYTES + 8);
    body.copy(record, HEADER_BYTES + META_BYTES);
    record.writeUInt32LE(crc32(record.subarray(HEADER_BYTES)), 4);
    try {
      let written = 0;
      while (written < record.length) written += writeSync(this.fd, record, written);
    } catch (err) {
      // A partial record (disk full) would hide every later one: cut it off again.
      ftruncateSync(this.fd, this.activeSize);
      throw err;
    }
    this.activeSize += record.length;
    this.pendingBytes += record.length;
    this.pendingSamples += samples;
    this.appendedBytesTotal += record.length;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private rotate(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.activeSegment++;
    this.fd = openSync(segmentPath(this.dir, this.activeSegment), 'a');
    this.segments.push(this.activeSegment);
    this.activeSize = 0;
  }

  /** Resolves once everything appended before the call is on disk. */
  sync(): Promise<void> {
    if (!this.syncing) return this.startSync();
    // A sync in flight may have started before our write: queue one more after it.
    this.syncQueued ??= this.syncing.then(
      () => {
        this.syncQueued = undefined;
        return this.startSync();
      },
      () => {
        this.syncQueued = undefined;
        return this.startSync();
      },
    );
    return this.syncQueued;
  }

  private startSync(): Promise<void> {
    const fd = this.fd;
    const p = new Promise<void>((resolve, reject) => {
      fdatasync(fd, (err) => (err ? reject(err) : resolve()));
    }).finally(() => {
      if (this.syncing === p) this.syncing = undefined;
    });
    this.syncing = p;
    return p;
  }

  /**
   * Reads records from the cursor on, at least one if any is there, until `maxSamples` would
   * be passed, and moves the cursor past them. A control record comes alone: it ends a batch
   * of samples and is returned by the next call. Synchronous reads of at most one batch.
   */
  read(maxSamples: number): QueueRecord[] {
    const out: QueueRecord[] = [];
    let samples = 0;
    const header = Buffer.allocUnsafe(HEADER_BYTES + META_BYTES);
    while (!this.closed) {
      const { segment, offset } = this.readPos;
      const end = segment === this.activeSegment ? this.activeSize : this.segmentEnd(segment);
      if (offset >= end) {
        if (segment >= this.activeSegment) break;
        const next = this.segments.find((s) => s > segment) ?? this.activeSegment;
        this.readPos = { segment: next, offset: 0 };
        continue;
      }
      const fd = this.readerFd(segment);
      readSync(fd, header, 0, header.length, offset);
      const length = header.readUInt32LE(0);
      const n = header.readUInt32LE(HEADER_BYTES + 8);
      if (out.length > 0 && samples + n > maxSamples) break;
      if (length > MAX_RECORD_BYTES)
        throw new Error(`queue record at ${segment}:${offset} is ${length} bytes`);
      const body = Buffer.allocUnsafe(length - META_BYTES);
      readSync(fd, body, 0, body.length, offset + HEADER_BYTES + META_BYTES);
      const control = isControlBody(body);
      if (control && out.length > 0) break;
      const next = { segment, offset: offset + HEADER_BYTES + length };
      out.push({
        body,
        samples: n,
        enqueuedAtMs: header.readDoubleLE(HEADER_BYTES),
        sizeBytes: HEADER_BYTES + length,
        control,
        end: next,
      });
      samples += n;
      this.readPos = next;
      if (control || samples >= maxSamples) break;
    }
    return out;
  }

  private segmentEnd(segment: number): number {
    try {
      return statSync(segmentPath(this.dir, segment)).size;
    } catch {
      return 0;
    }
  }

  private readerFd(segment: number): number {
    if (this.readFd?.segment !== segment) {
      if (this.readFd) closeSync(this.readFd.fd);
      this.readFd = { segment, fd: openSync(segmentPath(this.dir, segment), 'r') };
    }
    return this.readFd.fd;
  }

  /** Consumes every record up to `records`' last one (sent, or dropped for good). */
  ack(records: readonly QueueRecord[]): void {
    const last = records.at(-1);
    if (!last) return;
    for (const r of records) {
      this.pendingBytes -= r.sizeBytes;
      this.pendingSamples -= r.samples;
      this.ackedBytesTotal += r.sizeBytes;
    }
    this.ackPos = last.end;
    for (const seg of this.segments) {
      if (seg >= this.ackPos.segment || seg === this.activeSegment) break;
      if (this.readFd?.segment === seg) {
        closeSync(this.readFd.fd);
        this.readFd = undefined;
      }
      rmSync(segmentPath(this.dir, seg), { force: true });
    }
    this.segments = this.segments.filter((s) => s >= this.ackPos.segment || s === this.activeSegment);
    writeCheckpoint(this.dir, this.ackPos);
  }

  /** Resolves when a record is appended after the call, or the queue closes. */
  waitForData(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wakes every {@link waitForData} caller (to let a sender notice it is stopping). */
  interrupt(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** True when the reader cursor has read everything appended so far. */
  get caughtUp(): boolean {
    return this.readPos.segment === this.activeSegment && this.readPos.offset >= this.activeSize;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    await this.syncQueued?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
    fsyncSync(this.fd);
    closeSync(this.fd);
    if (this.readFd) closeSync(this.readFd.fd);
    this.readFd = undefined;
    // An empty active segment is noise for the next start.
    if (this.activeSize === 0) rmSync(segmentPath(this.dir, this.activeSegment), { force: true });
  }
}

function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(8, '0')}.seg`);
}

function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => /^\d{8}\.seg$/.test(f))
    .map((f) => Number(f.slice(0, 8)))
    .sort((a, b) => a - b);
}

/** `segment offset`; written to a temporary file and renamed, so it is never half-written. */
function writeCheckpoint(dir: string, pos: QueuePosition): void {
  const tmp = join(dir, 'checkpoint.tmp');
  writeFileSync(tmp, `${pos.segment} ${pos.offset}\n`);
  renameSync(tmp, join(dir, 'checkpoint'));
}

function readCheckpoint(dir: string): QueuePosition {
  try {
    const m = /^(\d+) (\d+)\n$/.exec(readFileSync(join(dir, 'checkpoint'), 'utf8'));
    if (m) return { segment: Number(m[1]), offset: Number(m[2]) };
  } catch {
    // no checkpoint yet: start at the first segment
  }
  return { segment: 0, offset: 0 };
}
