import { StorageError } from '@tally/storage';

/** A timestamp that is not an integer number of milliseconds within ±2^50 (about ±35 000 years). */
export class InvalidTimestampError extends StorageError {
  override readonly name = 'InvalidTimestampError';
}

/** Another open store (this process or a live one) holds the data directory. */
export class DirectoryLockedError extends StorageError {
  override readonly name = 'DirectoryLockedError';
}

/** Options that cannot work (thrown by `openTsdb`). */
export class InvalidOptionsError extends StorageError {
  override readonly name = 'InvalidOptionsError';
}

export { CorruptDataError } from './encoding/corrupt-data-error.js';
export { WalWriteError } from './wal/wal-writer.js';

/**
 * A sample further ahead of the wall clock than `maxFutureMs`. Refused because it would move
 * the head's newest time ahead, and with it the time below which appends are out of bounds:
 * one bad timestamp would make every normal append fail (Mimir and Cortex refuse such samples
 * with their 10-minute creation grace period for the same reason).
 */
export class FutureSampleError extends StorageError {
  override readonly name = 'FutureSampleError';
  constructor(
    readonly series: string,
    readonly timestampMs: number,
    readonly nowMs: number,
    readonly maxFutureMs: number,
  ) {
    super(
      `sample for ${series} at ${isoTime(timestampMs)} (${timestampMs} ms) is more than ${maxFutureMs / 1000} s ahead of the clock (${isoTime(nowMs)}): refused, as samples too far in the future are (maxFutureMs)`,
    );
  }
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
