import { readdirSync, statSync } from 'node:fs';
import { compareLabels } from '@tally/model';
import { Block } from './block/block.js';
import type { CutSeries } from './block/block-writer-thread.js';
import { compactionRanges, planCompaction } from './compact/planner.js';
import { headSeries } from './head/head-records.js';
import type { Tsdb } from './tsdb.js';

// The store's maintenance, in Prometheus' order: cut the head into blocks once it spans 1.5
// block ranges, merge small blocks into larger ones (compact/planner.ts), rewrite blocks with
// tombstones so deleted data leaves the disk, and drop blocks past retention. Every function
// here runs under Tsdb's maintenance lock, one at a time.

/**
 * Writes the head's samples older than `before` into a new level-1 block, drops them from the
 * head and checkpoints the WAL. Callers hold the store's maintenance lock.
 */
export async function cutHeadBefore(db: Tsdb, before: number): Promise<void> {
  if (db.closed) return;
  const head = db.head;
  // Never strand an appended but uncommitted sample behind the cut (Prometheus gets the same
  // guarantee by only accepting appends within the newest half block range).
  for (const a of db.pendingAppenders) if (a.minPendingT < before) before = a.minPendingT;
  if (head.numSamples === 0 || before <= head.minTimeMs) return; // nothing older to cut
  if (before > head.minValidTimeMs) head.minValidTimeMs = before;
  const input: (CutSeries & { minT: number })[] = [];
  for (const s of head.byKey.values()) {
    if (s.numSamples === 0 || s.minT >= before) continue;
    const chunks = s
      .snapshot()
      .filter((c) => c.minT < before)
      .map((c) => ({ bytes: c.read(), numSamples: c.numSamples, minT: c.minT, maxT: c.maxT }));
    input.push({ labels: s.labels, minT: s.minT, chunks });
  }
  if (input.length > 0) {
    input.sort((a, b) => compareLabels(a.labels, b.labels));
    const minTime = Math.min(...input.map((i) => i.minT));
    const meta = await db.blockWriter.write(db.options.dir, input, before, {
      minTime,
      maxTime: before,
      level: 1,
      sources: [],
      parents: [],
    });
    if (meta) {
      db.blocks.push(await Block.open(`${db.options.dir}/${meta.ulid}`));
      db.sortBlocks();
    }
    db.counters.headCuts++;
  }
  head.truncateBefore(before);
  head.collectGarbage();
  db.headMinT = head.minTimeMs;
  await checkpoint(db);
}

/** Rotates the WAL and writes the head as a checkpoint of everything before the new segment. */
async function checkpoint(db: Tsdb): Promise<void> {
  const upTo = db.wal.rotate();
  // The head as segment `upTo` ended, taken before anything else can append.
  const write = db.blockWriter.checkpoint(db.walDir, upTo, headSeries(db.head));
  await db.wal.sync();
  await write();
  db.deletionsSinceCheckpoint = false;
  db.counters.checkpoints++;
}

/** Due head cuts, block compaction, tombstone rewrites, retention; under the maintenance lock. */
export async function maintain(db: Tsdb): Promise<void> {
  if (db.closed) return;
  const d = db.options.blockDurationMs;
  let checkpointed = false;
  while (!db.closed) {
    const min = db.head.minTimeMs;
    if (db.head.numSamples === 0 || db.head.maxTimeMs - min < 1.5 * d) break;
    await cutHeadBefore(db, (Math.floor(min / d) + 1) * d);
    checkpointed = true;
    // A cut held back by an uncommitted sample makes no progress: try again next time
    // rather than spin (an async loop over resolved promises would starve the event loop).
    if (db.head.minTimeMs === min) break;
  }
  if (db.closed) return;
  const ranges = compactionRanges(d, db.options.maxBlockDurationMs);
  while (!db.closed) {
    const plan = planCompaction(
      db.blocks.map((b) => b.meta),
      ranges,
    );
    if (!plan) break;
    await compactBlocks(
      db,
      db.blocks.filter((b) => plan.some((m) => m.ulid === b.ulid)),
    );
  }
  for (const b of db.blocks.filter((b) => b.tombstones.size > 0))
    if (!db.closed) await compactBlocks(db, [b]);
  if (db.closed) return;
  await applyRetention(db);
  if (db.deletionsSinceCheckpoint && !checkpointed) await checkpoint(db);
}

/**
 * Merges blocks (or rewrites one without its deleted samples) into a new block, on the
 * block-writer thread: re-encoding millions of samples must not stall ingest and queries.
 */
async function compactBlocks(db: Tsdb, group: Block[]): Promise<void> {
  group.sort((a, b) => a.meta.minTime - b.meta.minTime);
  const meta = await db.blockWriter.compact(db.options.dir, group, {
    minTime: Math.min(...group.map((b) => b.meta.minTime)),
    maxTime: Math.max(...group.map((b) => b.meta.maxTime)),
    level: Math.max(...group.map((b) => b.meta.compaction.level)) + (group.length > 1 ? 1 : 0),
    sources: [...new Set(group.flatMap((b) => b.meta.compaction.sources))],
    parents: group.map((b) => b.ulid),
  });
  const fresh = meta ? await Block.open(`${db.options.dir}/${meta.ulid}`) : null;
  db.blocks = db.blocks.filter((b) => !group.includes(b));
  if (fresh) db.blocks.push(fresh);
  db.sortBlocks();
  for (const b of group) await b.drop();
  db.counters.compactions++;
}

/** Drops blocks past retention: by age from the newest sample, then oldest first by total size. */
async function applyRetention(db: Tsdb): Promise<void> {
  const { retentionTimeMs, retentionSizeBytes } = db.options;
  if (retentionTimeMs !== Infinity && db.blocks.length > 0) {
    const newest = Math.max(db.head.maxTimeMs, ...db.blocks.map((b) => b.meta.stats.maxSampleTime));
    for (const b of db.blocks.slice()) {
      if (b.meta.stats.maxSampleTime >= newest - retentionTimeMs) continue;
      await dropBlock(db, b);
    }
  }
  if (retentionSizeBytes !== Infinity) {
    let total = db.blocks.reduce((sum, b) => sum + b.sizeBytes, 0) + walSizeBytes(db);
    while (total > retentionSizeBytes && db.blocks.length > 0) {
      const oldest = db.blocks[0]!;
      total -= oldest.sizeBytes;
      await dropBlock(db, oldest);
    }
  }
}

async function dropBlock(db: Tsdb, b: Block): Promise<void> {
  db.blocks = db.blocks.filter((x) => x !== b);
  await b.drop();
  db.counters.retentionDrops++;
}

/** Bytes in the WAL directory (segments and checkpoints). */
export function walSizeBytes(db: Tsdb): number {
  let size = 0;
  for (const f of readdirSync(db.walDir)) size += statSync(`${db.walDir}/${f}`).size;
  return size;
}
