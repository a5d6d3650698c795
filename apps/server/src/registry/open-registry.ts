import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { PostgresRegistry } from './postgres-registry.js';
import type { Registry } from './registry.js';
import type { RegistryConfig } from './registry-options.js';
import { SqliteRegistry } from './sqlite-registry.js';

/** The registry `tally serve` was configured with: SQLite in the data directory, or PostgreSQL. */
export async function openRegistry(config: RegistryConfig, dataDir: string, log: Logger): Promise<Registry> {
  if (config.postgresUrl === undefined) return new SqliteRegistry(join(dataDir, 'tally.db'));
  const registry = await PostgresRegistry.open({ url: config.postgresUrl, log });
  log.info('jobs registry on PostgreSQL', { database: redactUrl(config.postgresUrl) });
  return registry;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
