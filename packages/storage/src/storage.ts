import type { Labels } from '@tally/model';
import type { Matcher } from './matcher.js';

/**
 * Iterates one series' samples in increasing timestamp order. After `next()` or `seek()`
 * returned true, `t` (milliseconds since the epoch) and `v` hold the current sample; they
 * are fields, not a returned tuple, so iteration allocates nothing per sample. A stale
 * marker is the NaN with bit pattern 0x7ff0000000000002 and comes through unchanged.
 */
export interface SampleIterator {
  /** Advances to the next sample; false at the end. */
  next(): boolean;
  /** Advances to the first sample with `t >= timestampMs` (never moves backwards); false if none. */
  seek(timestampMs: number): boolean;
  readonly t: number;
  readonly v: number;
}

/** One series as a querier returns it. `labels` includes `__name__`. */
export interface Series {
  readonly labels: Labels;
  /** A fresh iterator over the samples in the querier's time range. */
  iterator(): SampleIterator;
}

/** Optional hints that let an implementation load less (or, for a remote engine, push work down). */
export interface SelectHints {
  readonly startMs?: number;
  readonly endMs?: number;
  readonly stepMs?: number;
  /** The function around the selector, if any (`rate`, …). */
  readonly func?: string;
  readonly rangeMs?: number;
  /** Stop after this many series (the caller's limit). */
  readonly limit?: number;
}

/**
 * Reads the store within [minTimeMs, maxTimeMs] (both inclusive). A querier sees a
 * consistent view for its lifetime as far as the implementation can give one; call
 * `close()` when done so blocks it pinned can be released.
 */
export interface Querier {
  readonly minTimeMs: number;
  readonly maxTimeMs: number;
  /** Series matching every matcher, sorted by labels ({@link compareLabels}). At least one matcher must not match the empty string. */
  select(matchers: readonly Matcher[], hints?: SelectHints): Promise<Series[]>;
  /** Label names of the series that match (all series without matchers), sorted. */
  labelNames(matchers?: readonly Matcher[]): Promise<string[]>;
  /** Values of `name` among the series that match (all series without matchers), sorted. */
  labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]>;
  close(): void;
}

/** An opaque handle from `append`, valid until the series is deleted or garbage-collected. */
export type SeriesRef = number;

/**
 * Collects samples and makes them durable and visible together on `commit()`. One appender
 * per batch, not shared between concurrent writers. `append` throws a typed error (out of
 * order, out of bounds, duplicate, invalid labels) for that sample only; the batch goes on.
 */
export interface Appender {
  append(labels: Labels, timestampMs: number, value: number): SeriesRef;
  /** The fast path for a series appended before; throws {@link UnknownSeriesRefError} if the ref is gone. */
  appendByRef(ref: SeriesRef, timestampMs: number, value: number): void;
  /** Resolves once every appended sample is durable (on disk, or acknowledged by the remote engine). */
  commit(): Promise<void>;
  /** Forgets every sample appended since the last commit. */
  rollback(): void;
}

export interface StorageStats {
  readonly numSeries: number;
  readonly numSamples: number;
  readonly minTimeMs: number;
  readonly maxTimeMs: number;
  readonly sizeBytes: number;
  /** Implementation-specific figures (head chunks, blocks, WAL segments…). */
  readonly [key: string]: number;
}

/** A store of series: the embedded TSDB, the remote adapter, or the in-memory reference. */
export interface Storage {
  appender(): Appender;
  querier(minTimeMs: number, maxTimeMs: number): Querier;
  /**
   * Deletes the samples of matching series within [minTimeMs, maxTimeMs] (the whole series
   * when omitted). Resolves once the deletion is durable; it is gone from queries at once.
   */
  deleteSeries(matchers: readonly Matcher[], minTimeMs?: number, maxTimeMs?: number): Promise<void>;
  stats(): StorageStats;
  close(): Promise<void>;
}
