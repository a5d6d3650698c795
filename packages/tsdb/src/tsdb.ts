import { mkdir, readdir, rm } from 'node:fs/promises';
import {
  StorageClosedError,
  type Matcher,
  type Querier,
  type Storage,
  type StorageStats,
} from '@tally/storage';
import { Block } from './block/block.js';
import { BlockWriterThread } from './block/block-writer-thread.js';
import { isUlid } from './block/ulid.js';
import { lockDir } from './dir-lock.js';
import { cutHeadBefore, maintain, walSizeBytes } from './maintenance.js';
import { Head } from './head/head.js';
import { applyRecord, type ReplayCounts } from './head/head-records.js';
import type { MemSeries } from './head/mem-series.js';
import { resolveOptions, type ResolvedOptions, type TsdbOptions } from './options.js';
import { TsdbQuerier, type QuerySource, type SeriesChunks } from './query/tsdb-querier.js';
import { TsdbAppender } from './tsdb-appender.js';
import { replayWal } from './wal/wal-reader.js';
import {
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  writeSamples,
  writeSeries,
  writeTombstone,
} from './wal/wal-record.js';
import { WalWriter } from './wal/wal-writer.js';

/** {@link StorageStats} with the engine's own figures. Sizes in bytes, times in ms since the epoch. */
export interface TsdbStats extends StorageStats {
  readonly headSeries: number;
  readonly headSamples: number;
  /** Appends older than this get OutOfBoundsSampleError (the newest block's end). */
  readonly headMinValidTimeMs: number;
  readonly blocks: number;
  readonly blockBytes: number;
  readonly walBytes: number;
  readonly walFsyncs: number;
  /** Samples skipped at commit because another appender's commit made them out of order. */
  readonly samplesDroppedAtCommit: number;
  readonly walCorruptions: number;
  readonly headCuts: number;
  /** Head cuts written on the worker thread (see `workerMinSamples`). */
  readonly headCutsOnWorker: number;
  /** Compactions written on the worker thread (the same threshold). */
  readonly compactionsOnWorker: number;
  /** WAL checkpoints encoded and written on the worker thread (heads over the same threshold). */
  readonly checkpointsOnWorker: number;
  readonly compactions: number;
  readonly retentionDrops: number;
  readonly checkpoints: number;
  readonly replayedSamples: number;
  readonly replayMs: number;
}

/** Opens (creating if needed) the store in `options.dir`, replaying its WAL. */
export function openTsdb(options: TsdbOptions): Promise<Tsdb> {
  return Tsdb.open(options);
}

/**
 * The embedded time-series engine (Prometheus TSDB design): an in-memory head of XOR chunks
 * fed through a write-ahead log, cut into immutable on-disk blocks that are compacted into
 * larger ones and dropped by retention. See the package README for the data flow.
 */
export class Tsdb implements Storage {
  /** @internal */
  readonly head: Head;
  /** @internal */
  wal!: WalWriter;
  /** @internal Oldest first. */
  blocks: Block[] = [];
  /** @internal */
  closed = false;
  private mutex: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private maintenanceQueued = false;
  /** @internal Oldest sample time in the head, kept up to date cheaply for the cut trigger. */
  headMinT = Infinity;
  /** @internal A deletion since the last checkpoint (maintenance checkpoints it). */
  deletionsSinceCheckpoint = false;
  private unlock: () => void = () => undefined;
  /** @internal Released appenders' batch arrays (ts, vs, refs, series), reused by new batches. */
  readonly batchArrays: [
    Float64Array<ArrayBuffer>,
    Float64Array<ArrayBuffer>,
    Float64Array<ArrayBuffer>,
    MemSeries[],
  ][] = [];
  /** @internal Appenders holding uncommitted samples (a head cut stops short of them). */
  readonly pendingAppenders = new Set<TsdbAppender>();
  /** @internal */
  readonly counters = {
    samplesDroppedAtCommit: 0,
    walCorruptions: 0,
    headCuts: 0,
    compactions: 0,
    retentionDrops: 0,
    checkpoints: 0,
    replayedSamples: 0,
    replayMs: 0,
  };

  /** @internal */
  get options(): ResolvedOptions {
    return this.opts;
  }

  /** @internal */
  readonly blockWriter: BlockWriterThread;

  private constructor(private readonly opts: ResolvedOptions) {
    this.head = new Head(opts.blockDurationMs);
    this.blockWriter = new BlockWriterThread(opts.workerMinSamples);
    // Mutable for V8 from the start (see Head's constructor): the commit path reads these, and
    // their first change, at the first maintenance, deoptimized it.
    this.maintenanceQueued = true;
    this.maintenanceQueued = false;
    this.mutex = this.mutex.then(() => undefined);
  }

  /** @internal */
  get walDir(): string {
    return `${this.opts.dir}/wal`;
  }

  static async open(options: TsdbOptions): Promise<Tsdb> {
    const db = new Tsdb(resolveOptions(options));
    const dir = db.opts.dir;
    await mkdir(`${dir}/wal`, { recursive: true });
    db.unlock = lockDir(dir);
    try {
      await db.openBlocks();
      const started = performance.now();
      const counts: ReplayCounts = { records: 0, samples: 0, unknownRefSamples: 0 };
      const next = await replayWal(
        db.walDir,
        (type, r) => applyRecord(db.head, type, r, counts),
        (report) => {
          db.counters.walCorruptions++;
          db.opts.onCorruption(report);
        },
      );
      db.counters.replayedSamples = counts.samples;
      db.counters.replayMs = performance.now() - started;
      db.head.collectGarbage();
      db.headMinT = db.head.minTimeMs;
      db.wal = await WalWriter.create(db.walDir, next, db.opts.walSegmentSizeBytes, {
        mode: db.opts.walSync,
        intervalMs: db.opts.walSyncIntervalMs,
      });
    } catch (err) {
      for (const b of db.blocks) b.close();
      db.unlock();
      throw err;
    }
    if (db.opts.autoCompact) {
      db.timer = setInterval(() => db.scheduleMaintenance(), db.opts.compactionIntervalMs);
      db.timer.unref();
    }
    return db;
  }

  /** Opens every block; removes half-written ones and ones a finished compaction replaced. */
  private async openBlocks(): Promise<void> {
    const dir = this.opts.dir;
    const names = await readdir(dir);
    for (const n of names) if (n.endsWith('.tmp')) await rm(`${dir}/${n}`, { recursive: true, force: true });
    const blocks: Block[] = [];
    for (const n of names) if (isUlid(n)) blocks.push(await Block.open(`${dir}/${n}`));
    const replaced = new Set(blocks.flatMap((b) => b.meta.compaction.parents));
    for (const b of blocks) {
      if (replaced.has(b.ulid)) await b.drop();
      else this.blocks.push(b);
    }
    this.sortBlocks();
    for (const b of this.blocks)
      if (b.meta.maxTime > this.head.minValidTimeMs) this.head.minValidTimeMs = b.meta.maxTime;
  }

  /** @internal */
  sortBlocks(): void {
    this.blocks.sort((a, b) => a.meta.minTime - b.meta.minTime);
  }

  /** @internal */
  checkOpen(): void {
    if (this.closed) throw new StorageClosedError('tsdb is closed');
  }

  /** A {@link TsdbAppender}: an `Appender` whose `append` also takes a precomputed series key. */
  appender(): TsdbAppender {
    this.checkOpen();
    return new TsdbAppender(this);
  }

  /**
   * @internal Applies a batch to the head and logs what was applied, in one synchronous step;
   * resolves when the WAL is durable.
   */
  applyBatch(
    touched: readonly MemSeries[],
    series: readonly MemSeries[],
    ts: Float64Array,
    vs: Float64Array,
    refs: Float64Array,
    n: number,
  ): Promise<void> {
    const wal = this.wal;
    this.logNewSeries(touched);
    const k = this.applyToHead(series, ts, vs, refs, n);
    this.counters.samplesDroppedAtCommit += n - k;
    if (k > 0) {
      writeSamples(wal.begin(RECORD_SAMPLES), k, refs, ts, vs);
      wal.end();
    }
    this.maintainIfDue();
    return wal.sync();
  }

  // applyBatch's loop and its rare branches live in the small methods below. V8 optimizes a
  // long-running loop on the spot (on-stack replacement), before the code after it ever ran: that
  // code, with no type feedback, threw the optimized code away on every commit until a regular
  // optimization replaced it — seen as over a hundred deopts of applyBatch in one run.

  /** Appends the batch to the head; compacts what was applied to the front of ts/vs/refs. */
  private applyToHead(
    series: readonly MemSeries[],
    ts: Float64Array,
    vs: Float64Array,
    refs: Float64Array,
    n: number,
  ): number {
    const head = this.head;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const s = series[i]!;
      const t = ts[i]!;
      if (!head.appendSampleAt(s, ts, vs, i)) continue;
      if (t < this.headMinT) this.headMinT = t;
      refs[k] = s.ref;
      ts[k] = t;
      vs[k++] = vs[i]!;
    }
    // Nothing but the return after the loop (see above).
    return k;
  }

  /** WAL series records for the batch's series not logged yet (new ones, and re-created ones). */
  private logNewSeries(touched: readonly MemSeries[]): void {
    const fresh = touched.filter((s) => !s.logged && !s.removed);
    if (fresh.length === 0) return;
    writeSeries(this.wal.begin(RECORD_SERIES), fresh);
    this.wal.end();
    for (const s of fresh) s.logged = true;
  }

  private maintainIfDue(): void {
    if (this.opts.autoCompact && this.head.maxTimeMs - this.headMinT >= 1.5 * this.opts.blockDurationMs)
      this.scheduleMaintenance();
  }

  querier(minTimeMs: number, maxTimeMs: number): Querier {
    this.checkOpen();
    const blocks = this.blocks.filter((b) => b.meta.maxTime > minTimeMs && b.meta.minTime <= maxTimeMs);
    for (const b of blocks) b.pin();
    const sources: QuerySource[] = [...blocks, this.headSource()];
    return new TsdbQuerier(sources, minTimeMs, maxTimeMs, () => {
      for (const b of blocks) b.unpin();
    });
  }

  private headSource(): QuerySource {
    const head = this.head;
    return {
      selectChunks(matchers, minT, maxT): SeriesChunks[] {
        const out: SeriesChunks[] = [];
        for (const s of head.select(matchers)) {
          if (s.numSamples === 0 || s.lastT < minT || s.minT > maxT) continue;
          out.push({ labels: s.labels, key: s.key, chunks: s.snapshot() });
        }
        return out;
      },
    };
  }

  /** Runs `fn` exclusively with other maintenance (cuts, compactions, deletions). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.mutex.then(fn, fn);
    this.mutex = run.catch(() => undefined);
    return run;
  }

  async deleteSeries(
    matchers: readonly Matcher[],
    minTimeMs = -Infinity,
    maxTimeMs = Infinity,
  ): Promise<void> {
    this.checkOpen();
    await this.exclusive(async () => {
      this.checkOpen();
      const refs: number[] = [];
      for (const s of this.head.select(matchers)) {
        if (s.numSamples === 0 || s.lastT < minTimeMs || s.minT > maxTimeMs) continue;
        this.head.deleteRange(s, minTimeMs, maxTimeMs);
        refs.push(s.ref);
      }
      let synced: Promise<void> = Promise.resolve();
      if (refs.length > 0) {
        writeTombstone(this.wal.begin(RECORD_TOMBSTONES), refs, minTimeMs, maxTimeMs);
        this.wal.end();
        synced = this.wal.sync();
      }
      for (const b of this.blocks) await b.delete(matchers, minTimeMs, maxTimeMs);
      await synced;
      this.head.collectGarbage();
      this.headMinT = this.head.minTimeMs;
      this.deletionsSinceCheckpoint = true;
    });
    if (this.opts.autoCompact) this.scheduleMaintenance();
  }

  /**
   * Writes the head's samples older than `beforeMs` (default: all of them) into a new block,
   * drops them from the head and checkpoints the WAL. Samples older than `beforeMs` are refused
   * afterwards (OutOfBoundsSampleError), as in Prometheus after a head compaction.
   */
  cutHead(beforeMs?: number): Promise<void> {
    this.checkOpen();
    return this.exclusive(() => cutHeadBefore(this, beforeMs ?? this.head.maxTimeMs + 1));
  }

  /** Runs maintenance now: due head cuts, block compaction, tombstone rewrites, retention. */
  compact(): Promise<void> {
    this.checkOpen();
    return this.exclusive(() => maintain(this));
  }

  private scheduleMaintenance(): void {
    if (this.maintenanceQueued || this.closed) return;
    this.maintenanceQueued = true;
    setImmediate(() => {
      this.maintenanceQueued = false;
      if (this.closed) return;
      this.exclusive(() => maintain(this)).catch((err: unknown) => {
        if (!this.closed) this.opts.onError(err as Error);
      });
    });
  }

  stats(): TsdbStats {
    const head = this.head;
    const keys = new Set<string>();
    for (const s of head.byKey.values()) if (s.numSamples > 0) keys.add(s.key);
    let numSamples = head.numSamples;
    let minTimeMs = head.numSamples > 0 ? head.minTimeMs : Infinity;
    let maxTimeMs = head.numSamples > 0 ? head.maxTimeMs : -Infinity;
    let blockBytes = 0;
    for (const b of this.blocks) {
      for (const k of b.seriesKeys()) keys.add(k);
      numSamples += b.meta.stats.numSamples;
      minTimeMs = Math.min(minTimeMs, b.meta.stats.minSampleTime);
      maxTimeMs = Math.max(maxTimeMs, b.meta.stats.maxSampleTime);
      blockBytes += b.sizeBytes;
    }
    const walBytes = this.closed ? 0 : walSizeBytes(this);
    return {
      numSeries: keys.size,
      numSamples,
      minTimeMs,
      maxTimeMs,
      sizeBytes: blockBytes + walBytes,
      headSeries: head.byKey.size,
      headSamples: head.numSamples,
      headMinValidTimeMs: head.minValidTimeMs,
      blocks: this.blocks.length,
      blockBytes,
      walBytes,
      walFsyncs: this.wal.fsyncs,
      headCutsOnWorker: this.blockWriter.threaded.cut,
      compactionsOnWorker: this.blockWriter.threaded.compact,
      checkpointsOnWorker: this.blockWriter.threaded.checkpoint,
      ...this.counters,
    };
  }

  /** The blocks' metas, oldest first (for tools and tests). */
  blockMetas(): Block['meta'][] {
    return this.blocks.map((b) => b.meta);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.mutex;
    await this.wal.close();
    for (const b of this.blocks) b.close();
    this.unlock();
  }
}
