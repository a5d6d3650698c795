/** Base class of every error the storage layer throws for the caller to branch on. */
export class StorageError extends Error {
  override readonly name: string = 'StorageError';
}

/** A sample older than the newest sample of its series (Prometheus: "out of order sample"). */
export class OutOfOrderSampleError extends StorageError {
  override readonly name = 'OutOfOrderSampleError';
  constructor(
    readonly series: string,
    readonly timestampMs: number,
    readonly newestTimestampMs: number,
  ) {
    super(
      `out of order sample for ${series}: timestamp ${timestampMs} is older than the series' newest sample at ${newestTimestampMs}`,
    );
  }
}

/** A sample at the same timestamp as the series' newest one but with another value. */
export class DuplicateSampleError extends StorageError {
  override readonly name = 'DuplicateSampleError';
  constructor(
    readonly series: string,
    readonly timestampMs: number,
  ) {
    super(`duplicate sample for ${series} at timestamp ${timestampMs} with a different value`);
  }
}

/** A sample older than what the store still keeps (behind retention or the oldest block). */
export class OutOfBoundsSampleError extends StorageError {
  override readonly name = 'OutOfBoundsSampleError';
  constructor(
    readonly series: string,
    readonly timestampMs: number,
    readonly minValidTimestampMs: number,
  ) {
    super(
      `out of bounds sample for ${series}: timestamp ${timestampMs} is older than the oldest the store accepts (${minValidTimestampMs})`,
    );
  }
}

/** A label set the store refuses: no `__name__`, duplicate or unsorted names, empty values. */
export class InvalidLabelsError extends StorageError {
  override readonly name = 'InvalidLabelsError';
}

/** A reference from an earlier append that the store no longer knows; append by labels instead. */
export class UnknownSeriesRefError extends StorageError {
  override readonly name = 'UnknownSeriesRefError';
}

/** The store was closed. */
export class StorageClosedError extends StorageError {
  override readonly name = 'StorageClosedError';
}
