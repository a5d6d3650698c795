import type { CorruptionReport } from './wal/wal-reader.js';
import { InvalidOptionsError } from './errors.js';

export interface TsdbOptions {
  /** Data directory (created if missing). One open store per directory. */
  readonly dir: string;
  /**
   * Retention. `timeMs`: blocks whose newest sample is older than this, counted back from the
   * newest sample in the store (not the wall clock), are deleted. `sizeBytes`: oldest blocks are
   * deleted while blocks + WAL exceed it. Default: keep everything.
   */
  readonly retention?: { readonly timeMs?: number; readonly sizeBytes?: number };
  /** Range of the blocks cut from the head (Prometheus: 2h). Default 2 hours. */
  readonly blockDurationMs?: number;
  /** Largest block compaction builds. Default 10% of retention time, at most 31 days. */
  readonly maxBlockDurationMs?: number;
  /** WAL segment size before a new segment is started. Default 32 MiB. */
  readonly walSegmentSizeBytes?: number;
  /**
   * When `commit()` resolves. `'fsync'` (default): once its WAL records are written and
   * fdatasync'ed — durable against a power cut. `'write'`: once they are written to the OS —
   * durable against the process being killed (the kernel holds them), as Prometheus' WAL;
   * the WAL is fdatasync'ed at most `walSyncIntervalMs` later, at segment ends and at close.
   */
  readonly walSync?: 'fsync' | 'write';
  /** With `walSync: 'write'`, how long written records may wait for their fdatasync. Default 1 s. */
  readonly walSyncIntervalMs?: number;
  /** Cut, compact and apply retention in the background. Default true. */
  readonly autoCompact?: boolean;
  /** How often background maintenance runs besides after head growth and deletions. Default 1 minute. */
  readonly compactionIntervalMs?: number;
  /**
   * Appends more than this far ahead of the wall clock are refused with FutureSampleError, so
   * one bad timestamp cannot push the head's time ahead. Default 10 minutes; `Infinity` turns
   * the guard off. WAL replay and blocks are not checked (what was accepted stays).
   */
  readonly maxFutureMs?: number;
  /**
   * Head cuts of at least this many samples are encoded into their block on a worker thread,
   * so ingest and queries go on meanwhile. Default 100 000; `Infinity` keeps every cut on the
   * calling thread (smaller cuts always are: a thread is not worth it for them).
   */
  readonly workerMinSamples?: number;
  /** The wall clock the guard compares with (tests). Default `Date.now`. */
  readonly nowMs?: () => number;
  /** Told about a torn or corrupt WAL tail found (and repaired) at open. Default: console.warn. */
  readonly onCorruption?: (report: CorruptionReport) => void;
  /** Told about background maintenance failures (they never throw into callers). Default: console.error. */
  readonly onError?: (err: Error) => void;
}

export interface ResolvedOptions {
  readonly dir: string;
  readonly retentionTimeMs: number;
  readonly retentionSizeBytes: number;
  readonly blockDurationMs: number;
  readonly maxBlockDurationMs: number;
  readonly walSegmentSizeBytes: number;
  readonly walSync: 'fsync' | 'write';
  readonly walSyncIntervalMs: number;
  readonly autoCompact: boolean;
  readonly compactionIntervalMs: number;
  readonly maxFutureMs: number;
  readonly workerMinSamples: number;
  readonly nowMs: () => number;
  readonly onCorruption: (report: CorruptionReport) => void;
  readonly onError: (err: Error) => void;
}

const HOUR = 3_600_000;

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(v > 0) || !Number.isFinite(v))
    throw new InvalidOptionsError(`${name} must be a positive number, got ${v}`);
  return v;
}

export function resolveOptions(o: TsdbOptions): ResolvedOptions {
  if (typeof o.dir !== 'string' || o.dir === '')
    throw new InvalidOptionsError('dir must be a non-empty path');
  const blockDurationMs = positive('blockDurationMs', o.blockDurationMs, 2 * HOUR);
  if (!Number.isInteger(blockDurationMs)) throw new InvalidOptionsError('blockDurationMs must be an integer');
  const retentionTimeMs = positive('retention.timeMs', o.retention?.timeMs, Infinity);
  const maxBlockDurationMs = positive(
    'maxBlockDurationMs',
    o.maxBlockDurationMs,
    Math.max(blockDurationMs, Math.min(31 * 24 * HOUR, retentionTimeMs / 10)),
  );
  return {
    dir: o.dir,
    retentionTimeMs,
    retentionSizeBytes: positive('retention.sizeBytes', o.retention?.sizeBytes, Infinity),
    blockDurationMs,
    maxBlockDurationMs,
    walSegmentSizeBytes: positive('walSegmentSizeBytes', o.walSegmentSizeBytes, 32 * 1024 * 1024),
    walSync: walSyncOf(o.walSync),
    walSyncIntervalMs: positive('walSyncIntervalMs', o.walSyncIntervalMs, 1000),
    autoCompact: o.autoCompact ?? true,
    compactionIntervalMs: positive('compactionIntervalMs', o.compactionIntervalMs, 60_000),
    maxFutureMs: o.maxFutureMs === Infinity ? Infinity : positive('maxFutureMs', o.maxFutureMs, 10 * 60_000),
    workerMinSamples:
      o.workerMinSamples === Infinity || o.workerMinSamples === 0
        ? o.workerMinSamples
        : positive('workerMinSamples', o.workerMinSamples, 100_000),
    nowMs: o.nowMs ?? Date.now,
    onCorruption:
      o.onCorruption ??
      ((r) =>
        console.warn(
          `tsdb: WAL damage in ${r.file} at byte ${r.offsetBytes}: ${r.reason}; repaired ${r.repaired.join(', ')}`,
        )),
    onError: o.onError ?? ((err) => console.error('tsdb: background maintenance failed:', err)),
  };
}

function walSyncOf(v: unknown): 'fsync' | 'write' {
  if (v === undefined || v === 'fsync' || v === 'write') return v ?? 'fsync';
  throw new InvalidOptionsError(`walSync must be 'fsync' or 'write', got ${JSON.stringify(v)}`);
}
