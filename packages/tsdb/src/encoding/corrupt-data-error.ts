import { StorageError } from '@tally/storage';

/** Bytes on disk (or handed to a decoder) that do not parse: a bad checksum, a truncated record, an impossible length. */
export class CorruptDataError extends StorageError {
  override readonly name = 'CorruptDataError';
}
