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
