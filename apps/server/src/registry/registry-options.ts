import type { OptionSpec } from '../config/options.js';
import { parseDurationMs } from '../config/units.js';

/** `tally serve` flags of the jobs registry (config/options.ts includes them). */
export const REGISTRY_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'registry',
    kind: 'string',
    defaultValue: 'sqlite',
    group: 'Storage',
    help: 'Where jobs, push tokens, metadata and last-push groups live: "sqlite" (tally.db in --data-dir; one instance) or a PostgreSQL URL postgres://user:password@host:port/database shared by several instances.',
  },
  {
    flag: 'registry-refresh-interval',
    kind: 'duration',
    defaultValue: '30s',
    group: 'Storage',
    help: 'With a PostgreSQL registry: how often the whole registry is re-read, beside change notifications (the safety net after a lost connection); 0 disables it.',
  },
];

export interface RegistryConfig {
  /** undefined: SQLite in the data directory. */
  readonly postgresUrl: string | undefined;
  readonly refreshIntervalMs: number;
}

/** Checks the registry flags; throws an Error naming the flag. */
export function resolveRegistryConfig(get: (flag: string) => string | undefined): RegistryConfig {
  const value = (get('registry') ?? 'sqlite').trim();
  let postgresUrl: string | undefined;
  if (value !== 'sqlite' && value !== '') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`--registry: expected "sqlite" or a postgres:// URL, got ${JSON.stringify(value)}`);
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      throw new Error(`--registry: expected "sqlite" or a postgres:// URL, got the scheme ${url.protocol}`);
    postgresUrl = value;
  }
  let refreshIntervalMs: number;
  try {
    refreshIntervalMs = parseDurationMs(get('registry-refresh-interval') ?? '30s');
  } catch (err) {
    throw new Error(`--registry-refresh-interval: ${(err as Error).message}`);
  }
  return { postgresUrl, refreshIntervalMs };
}
