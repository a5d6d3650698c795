export { openTsdb, Tsdb } from './tsdb.js';
export type { TsdbOptions } from './options.js';
export type { TsdbStats } from './tsdb.js';
export type { TsdbAppender } from './tsdb-appender.js';
export type { CorruptionReport } from './wal/wal-reader.js';
export type { BlockMeta } from './block/block-meta.js';
export {
  InvalidTimestampError,
  FutureSampleError,
  DirectoryLockedError,
  InvalidOptionsError,
  CorruptDataError,
  WalWriteError,
} from './errors.js';
