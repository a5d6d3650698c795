export { RemoteStorage } from './remote-storage.js';
export type { RemoteStorageOptions, ForwardedResponse } from './remote-storage.js';
export { REMOTE_ENGINES, engineProfile } from './remote-engine.js';
export type { RemoteEngine, EngineProfile } from './remote-engine.js';
export type { RemoteHttpOptions } from './remote-http-client.js';
export { RemoteWriteQueue, RemoteQueueFullError } from './remote-write-queue.js';
export type { RemoteWriteQueueStats, RemoteLog } from './remote-write-queue.js';
export { RemoteQueryError } from './prometheus-api.js';
