import type { Labels } from '@tally/model';
import { ENCODING_XOR } from '../chunk/chunk-iterator.js';
import { DOUBLE_ZERO } from '../chunk/float-bits.js';
import { ONE_T, ONE_V, XorChunkAppender } from '../chunk/xor-chunk.js';
import type { ChunkSource } from '../query/chunk-source.js';

/** Samples per head chunk before a new one is cut (Prometheus: 120, which Gorilla found best). */
export const SAMPLES_PER_CHUNK = 120;

/** Scratch for encoding a held sample (not ONE_T / ONE_V, which may be the caller's arrays). */
const HELD_T = new Float64Array(1);
const HELD_V = new Float64Array(1);

/**
 * The closed-chunk list of a series that has none: shared, and replaced (never pushed to) at the
 * first close. Most series never close a chunk in the head (a Pushgateway group pushed once), so
 * this saves each an array; and an array created empty started with small-integer elements,
 * whose change to object elements at its first chunk also deoptimized the commit path.
 */
const NO_CHUNKS: HeadChunk[] = [];

/** A closed, immutable head chunk. */
export interface HeadChunk extends ChunkSource {
  readonly bytes: Uint8Array;
  readonly numSamples: number;
}

/**
 * One series in the head: its labels, closed XOR chunks and the open chunk being appended to.
 * Chunks never straddle a multiple of the block duration, so a head cut takes whole chunks.
 */
export class MemSeries {
  /** Closed chunks, oldest first; {@link NO_CHUNKS} (shared, never written) until the first. */
  chunks: HeadChunk[] = NO_CHUNKS;
  /**
   * The open chunk's encoder, created at its second sample. A chunk's first sample is only held
   * (`held`: it is `openMinT` / `lastV`): many series never get a second one in the head (a
   * Pushgateway group pushed once, a grouping key per training step), and an encoder with its
   * buffer was the largest part of what such a series kept in memory — and of the young-generation
   * collector's copying.
   */
  open: XorChunkAppender | null = null;
  held = false;
  openMinT = DOUBLE_ZERO;
  openMaxT = DOUBLE_ZERO;
  private openEndT = DOUBLE_ZERO;
  /** Newest committed sample; ordering checks compare against it. */
  lastT = -Infinity;
  lastV = DOUBLE_ZERO;
  numSamples = 0;
  /** Appenders holding uncommitted samples for this series (it may not be garbage-collected). */
  pending = 0;
  /** Whether a WAL series record for `ref` was written. */
  logged = false;
  removed = false;
  /** The appender whose batch state lives in the fields below (a fast path; others use a map). */
  batchOwner: object | null = null;
  batchT = DOUBLE_ZERO;
  batchV = DOUBLE_ZERO;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
    readonly key: string,
  ) {}

  get minT(): number {
    return this.chunks.length > 0
      ? this.chunks[0]!.minT
      : this.open !== null || this.held
        ? this.openMinT
        : Infinity;
  }

  /** Forgets every chunk (the caller adjusts `numSamples`). */
  clearChunks(): void {
    this.chunks = NO_CHUNKS;
    this.open = null;
    this.held = false;
  }

  /** Appends a sample already checked to be newer than `lastT`. */
  append(t: number, v: number, chunkRangeMs: number): void {
    ONE_T[0] = t;
    ONE_V[0] = v;
    this.appendAt(ONE_T, ONE_V, 0, chunkRangeMs);
  }

  /** {@link append} of sample `i` of parallel arrays (no boxed numbers; see XorChunkAppender). */
  appendAt(ts: Float64Array, vs: Float64Array, i: number, chunkRangeMs: number): void {
    const t = ts[i]!;
    let open = this.open;
    if (open !== null || this.held) {
      const n = open !== null ? open.numSamples : 1;
      if (n >= SAMPLES_PER_CHUNK || t >= this.openEndT) {
        this.closeOpen();
        open = null;
      }
    }
    if (open === null) {
      if (!this.held) {
        this.held = true;
        this.openMinT = t;
        this.openEndT = (Math.floor(t / chunkRangeMs) + 1) * chunkRangeMs;
        this.openMaxT = t;
        this.lastT = t;
        this.lastV = vs[i]!;
        this.numSamples++;
        return;
      }
      open = this.open = this.heldChunk();
      this.held = false;
    }
    open.appendAt(ts, vs, i);
    this.openMaxT = t;
    this.lastT = t;
    this.lastV = vs[i]!;
    this.numSamples++;
  }

  /** An encoder holding just the held first sample. */
  private heldChunk(): XorChunkAppender {
    const a = new XorChunkAppender();
    HELD_T[0] = this.openMinT;
    HELD_V[0] = this.lastV;
    a.appendAt(HELD_T, HELD_V, 0);
    return a;
  }

  private closeOpen(): void {
    const open = this.open ?? this.heldChunk();
    const bytes = open.bytes().slice();
    const chunk = chunkSource(bytes, open.numSamples, this.openMinT, this.openMaxT);
    if (this.chunks === NO_CHUNKS) this.chunks = [chunk];
    else this.chunks.push(chunk);
    this.open = null;
    this.held = false;
  }

  /** The chunks as they are now, for a querier: closed ones and a bounded view of the open one. */
  snapshot(): ChunkSource[] {
    const out: ChunkSource[] = this.chunks.slice();
    const open = this.held ? this.heldChunk() : this.open;
    if (open && open.numSamples > 0)
      out.push(
        chunkSource(
          open.w.bytes.subarray(0, open.w.byteLength),
          open.numSamples,
          this.openMinT,
          this.openMaxT,
        ),
      );
    return out;
  }
}

/**
 * A head chunk as a query and a head cut see it. A class, not an object literal: V8 tracks an
 * allocation site per literal and, once enough of them outlived a young-generation collection,
 * decided to allocate them in the old generation — which threw away every optimized function
 * that had the literal inlined (the commit path, where chunks are closed), in the first seconds
 * of ingest.
 */
class HeadChunkSource implements HeadChunk {
  readonly encoding = ENCODING_XOR;
  constructor(
    readonly bytes: Uint8Array,
    readonly numSamples: number,
    readonly minT: number,
    readonly maxT: number,
  ) {}

  read(): Uint8Array {
    return this.bytes;
  }
}

export function chunkSource(bytes: Uint8Array, numSamples: number, minT: number, maxT: number): HeadChunk {
  return new HeadChunkSource(bytes, numSamples, minT, maxT);
}

/**
 * A series run through two chunk closes when the module loads. A chunk closes at a series' 120th
 * sample, long after V8 has optimized the commit path; code that had never run then had no type
 * feedback, so the first and the second close each threw the optimized commit path away and had
 * it compiled again (~30 ms of compiler time apiece, in a server's first second of ingest). The
 * appends here, with a scrape's magnitudes, give those branches their feedback. The series belongs
 * to no head. It is exported only to keep it alive: the feedback names its object shapes weakly,
 * and once the series was collected V8 cleared that feedback again (a module's unexported
 * constant that no function reads does not outlive the module's evaluation).
 *
 * @internal
 */
export const PRIMED_SERIES = primeChunkClosing();

function primeChunkClosing(): MemSeries {
  const s = new MemSeries(0, [], '');
  const t0 = 1_700_000_000_000;
  for (let i = 0; i <= 2 * SAMPLES_PER_CHUNK; i++) s.append(t0 + i * 15_000, i / 2, 7_200_000);
  return s;
}
