export { openRegistry, redactUrl } from './open-registry.js';
export { PostgresRegistry, type PostgresRegistryOptions } from './postgres-registry.js';
export type {
  ActivityRow,
  MetricMetadataRow,
  Registry,
  RegistryChange,
  RegistrySnapshot,
  StoredGroup,
} from './registry.js';
export { RegistryFollower, type GroupView } from './registry-follower.js';
export { REGISTRY_OPTIONS, resolveRegistryConfig, type RegistryConfig } from './registry-options.js';
export { isConnectionError, RegistryUnavailableError } from './registry-unavailable.js';
export { SqliteRegistry } from './sqlite-registry.js';
