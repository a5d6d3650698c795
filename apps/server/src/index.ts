export { startServer } from './server.js';
export type { RunningServer } from './server.js';
export { resolveServeConfig, ConfigError, isLoopbackHost } from './config/serve-config.js';
export type { ServeConfig, Limits, HostPort } from './config/serve-config.js';
export { serveHelp } from './config/help.js';
export { createLogger, silentLogger } from './log/logger.js';
export type { Logger, LogLevel } from './log/logger.js';
export { decodeWriteRequest } from './ingest/remote-write/decode-write-request.js';
export type {
  DecodedWriteRequest,
  WriteSeries,
  WriteMetadata,
} from './ingest/remote-write/decode-write-request.js';
