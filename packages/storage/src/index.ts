export { Matcher, InvalidMatcherError, matchLabels } from './matcher.js';
export type { MatchType } from './matcher.js';
export type {
  SampleIterator,
  Series,
  SelectHints,
  Querier,
  SeriesRef,
  Appender,
  StorageStats,
  Storage,
} from './storage.js';
export {
  StorageError,
  OutOfOrderSampleError,
  DuplicateSampleError,
  OutOfBoundsSampleError,
  InvalidLabelsError,
  UnknownSeriesRefError,
  StorageClosedError,
} from './errors.js';
export { MemoryStorage, ArrayIterator, validateLabels } from './memory-storage.js';
