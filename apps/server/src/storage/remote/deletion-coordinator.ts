import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueuedDeletion } from './queued-deletion.js';
import { WakeableSleep } from './wakeable-sleep.js';

/** What one attempt at a deletion on the engine gave. */
export type DeletionAttempt =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'retry'; readonly detail: string }
  | { readonly outcome: 'refused'; readonly detail: string };

export interface DeletionCoordinatorOptions {
  /** The queue directory: `deletions-done` (the id of the last deletion carried out) lives there. */
  readonly dir: string;
  readonly shardCount: number;
  /** Carries a deletion out on the engine once. */
  readonly execute: (deletion: QueuedDeletion) => Promise<DeletionAttempt>;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly onRetry: (deletion: QueuedDeletion, detail: string) => void;
  /** The engine refused the deletion for good (a 4xx): it is given up, so the queue goes on. */
  readonly onRefused: (deletion: QueuedDeletion, detail: string) => void;
}

interface Pending {
  readonly arrived: Set<number>;
  readonly done: Promise<boolean>;
  resolve(ok: boolean): void;
}

/**
 * Carries out a queued deletion once every shard's sender has reached its control record:
 * only then has every sample committed before the deletion been sent, in every shard, and no
 * sample committed after it. The senders wait (sending nothing more) while the deletion runs,
 * retried with backoff like a write; when it is done its id is written durably to
 * `deletions-done` before any shard acknowledges its record, so after a crash a shard that
 * already passed the record is never waited for: a record with an id at most that one is
 * acknowledged at once.
 */
export class DeletionCoordinator {
  private lastDoneId: number;
  private readonly pending = new Map<number, Pending>();
  private readonly abandoned = new Set<number>();
  private closing = false;
  private readonly backoff = new WakeableSleep();

  constructor(private readonly opts: DeletionCoordinatorOptions) {
    this.lastDoneId = readDoneId(opts.dir);
  }

  /** The highest id carried out (for numbering new deletions). */
  get lastDone(): number {
    return this.lastDoneId;
  }

  /** Abandoned deletions numbered after the last one done (for the pending count). */
  get abandonedAhead(): number {
    let n = 0;
    for (const id of this.abandoned) if (id > this.lastDoneId) n++;
    return n;
  }

  /**
   * Skips a deletion that was never queued in every shard (see RemoteWriteQueue): a shard
   * reaching it goes on at once. Call before any shard can reach it.
   */
  abandon(id: number): void {
    this.abandoned.add(id);
  }

  /** Deletions some shard has reached and that are not done yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Shard `shard` has reached `deletion`'s record. Resolves true once the deletion is carried
   * out (or was before), false if the queue is closing (the record stays for the next start).
   */
  arrive(shard: number, deletion: QueuedDeletion): Promise<boolean> {
    if (deletion.id <= this.lastDoneId || this.abandoned.has(deletion.id)) return Promise.resolve(true);
    if (this.closing) return Promise.resolve(false);
    let p = this.pending.get(deletion.id);
    if (!p) {
      let resolve!: (ok: boolean) => void;
      const done = new Promise<boolean>((r) => (resolve = r));
      p = { arrived: new Set(), done, resolve };
      this.pending.set(deletion.id, p);
    }
    p.arrived.add(shard);
    if (p.arrived.size === this.opts.shardCount) void this.run(deletion, p);
    return p.done;
  }

  private async run(deletion: QueuedDeletion, p: Pending): Promise<void> {
    let backoffMs = this.opts.minBackoffMs;
    for (;;) {
      let attempt: DeletionAttempt;
      try {
        attempt = await this.opts.execute(deletion);
      } catch (err) {
        attempt = { outcome: 'retry', detail: (err as Error).message };
      }
      if (attempt.outcome === 'refused') this.opts.onRefused(deletion, attempt.detail);
      if (attempt.outcome !== 'retry') {
        try {
          writeDoneId(this.opts.dir, deletion.id);
          break;
        } catch (err) {
          // Not recorded, so no shard may go past it: try again (deleting twice is harmless).
          attempt = { outcome: 'retry', detail: `recording the deletion failed: ${(err as Error).message}` };
        }
      }
      if (this.closing) return this.finish(deletion, p, false);
      this.opts.onRetry(deletion, attempt.detail);
      await this.backoff.sleep(backoffMs * (0.75 + Math.random() * 0.5));
      if (this.closing) return this.finish(deletion, p, false);
      backoffMs = Math.min(backoffMs * 2, this.opts.maxBackoffMs);
    }
    this.lastDoneId = deletion.id;
    this.finish(deletion, p, true);
  }

  private finish(deletion: QueuedDeletion, p: Pending, ok: boolean): void {
    this.pending.delete(deletion.id);
    p.resolve(ok);
  }

  /** Releases every waiting shard with false (their records stay queued); a running attempt ends first. */
  close(): void {
    this.closing = true;
    this.backoff.wake();
    for (const [, p] of this.pending) if (p.arrived.size < this.opts.shardCount) p.resolve(false);
  }
}

const DONE_FILE = 'deletions-done';

function readDoneId(dir: string): number {
  try {
    const n = Number(readFileSync(join(dir, DONE_FILE), 'utf8').trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** Durable before any shard acknowledges the record: fsynced file, renamed, directory fsynced. */
function writeDoneId(dir: string, id: number): void {
  const tmp = join(dir, DONE_FILE + '.tmp');
  writeFileSync(tmp, `${id}\n`);
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, DONE_FILE));
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
