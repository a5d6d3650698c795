import { readFileSync } from 'node:fs';
import { envName, OPTIONS, type OptionSpec } from './options.js';
import { parseBytes, parseDurationMs } from './units.js';
import { resolveRemoteServeConfig, type RemoteServeConfig } from '../storage/remote/remote-serve-options.js';
import { resolveRegistryConfig, type RegistryConfig } from '../registry/registry-options.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface Limits {
  readonly maxBodyBytes: number;
  readonly maxSamplesPerRequest: number;
  readonly maxSeriesPerJob: number;
  readonly maxLabelsPerSeries: number;
  readonly maxLabelNameLength: number;
  readonly maxLabelValueLength: number;
}

/** The resolved settings of `tally serve`. */
export interface ServeConfig {
  readonly listen: HostPort;
  readonly statsdListen: HostPort | undefined;
  /** StatsD over TCP (newline-delimited), off unless set. */
  readonly statsdTcpListen: HostPort | undefined;
  /** The `instance` label of StatsD-derived series; undefined: `<hostname>:<StatsD port>`. */
  readonly instanceName: string | undefined;
  readonly uiDir: string | undefined;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly dataDir: string;
  readonly storage: 'tsdb' | 'memory' | 'remote';
  /** The jobs registry: SQLite in the data directory, or a shared PostgreSQL (registry/). */
  readonly registry: RegistryConfig;
  /** Remote storage, forwarding and scraping (storage/remote/remote-serve-options.ts). */
  readonly beyond: RemoteServeConfig;
  readonly retentionMs: number;
  /** TSDB: appends further ahead of the clock are refused; 0 = no limit. */
  readonly maxFutureMs: number;
  /** When the embedded TSDB acknowledges a commit (TsdbOptions.walSync). */
  readonly walSync: 'fsync' | 'write';
  readonly adminTokens: readonly string[];
  readonly readTokens: readonly string[];
  readonly autoCreateJobs: boolean;
  readonly statsdFlushIntervalMs: number;
  readonly statsdSeriesTtlMs: number;
  readonly limits: Limits;
  readonly queryTimeoutMs: number;
  readonly queryMaxSamples: number;
}

/** A configuration mistake: `tally serve` prints it and exits 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseHostPort(text: string, what: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new ConfigError(`${what}: invalid address ${JSON.stringify(text)}, expected host:port`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** Raw string values by flag name, from argv (`--flag value`, `--flag=value`, `--bool`). */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  const known = new Map(OPTIONS.map((o) => [o.flag, o]));
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = known.get(flag);
    if (!spec) throw new ConfigError(`unknown flag --${flag} (see tally serve --help)`);
    if (eq !== -1) out.set(flag, arg.slice(eq + 1));
    else if (spec.kind === 'boolean') out.set(flag, 'true');
    else {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(`flag --${flag} needs a value`);
      out.set(flag, value);
    }
  }
  return out;
}

function readConfigFile(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`config file ${path}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: expected a JSON object keyed by flag names`);
  }
  const known = new Set(OPTIONS.map((o) => o.flag));
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!known.has(key) || key === 'config')
      throw new ConfigError(`config file ${path}: unknown key ${JSON.stringify(key)}`);
    if (Array.isArray(value)) out.set(key, value.map(String).join(','));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out.set(key, String(value));
    else throw new ConfigError(`config file ${path}: key ${key} must be a string, number, boolean or list`);
  }
  return out;
}

/** Resolves flags > TALLY_* environment > config file > defaults into a checked {@link ServeConfig}. */
export function resolveServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ServeConfig {
  const flags = parseFlags(argv);
  const configPath = flags.get('config') ?? env[envName('config')];
  const file = configPath ? readConfigFile(configPath) : new Map<string, string>();
  const raw = (spec: OptionSpec): string | undefined =>
    flags.get(spec.flag) ?? env[envName(spec.flag)] ?? file.get(spec.flag) ?? spec.defaultValue;
  const get = (flag: string): string | undefined => raw(OPTIONS.find((o) => o.flag === flag)!);
  const wrap = <T>(flag: string, fn: (s: string) => T): T => {
    const value = get(flag) ?? '';
    try {
      return fn(value);
    } catch (err) {
      throw new ConfigError(`--${flag}: ${(err as Error).message}`);
    }
  };
  const int = (flag: string): number =>
    wrap(flag, (s) => {
      if (!/^\d+$/.test(s.trim()))
        throw new Error(`expected a non-negative integer, got ${JSON.stringify(s)}`);
      return Number(s);
    });
  const bool = (flag: string): boolean =>
    wrap(flag, (s) => {
      if (!/^(true|false|1|0)$/.test(s)) throw new Error(`expected true or false, got ${JSON.stringify(s)}`);
      return s === 'true' || s === '1';
    });
  const list = (flag: string): string[] =>
    (get(flag) ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  const oneOf = <T extends string>(flag: string, values: readonly T[]): T =>
    wrap(flag, (s) => {
      if (!values.includes(s as T))
        throw new Error(`expected one of ${values.join(', ')}, got ${JSON.stringify(s)}`);
      return s as T;
    });

  const statsd = get('statsd-listen') ?? 'off';
  const uiDir = get('ui-dir');
  const statsdTcp = get('statsd-tcp-listen') ?? 'off';
  const instanceName = get('instance-name')?.trim();
  return {
    listen: parseHostPort(get('listen') ?? '', '--listen'),
    statsdListen: statsd === 'off' || statsd === '' ? undefined : parseHostPort(statsd, '--statsd-listen'),
    statsdTcpListen:
      statsdTcp === 'off' || statsdTcp === '' ? undefined : parseHostPort(statsdTcp, '--statsd-tcp-listen'),
    instanceName: instanceName === undefined || instanceName === '' ? undefined : instanceName,
    uiDir: uiDir === undefined || uiDir === '' ? undefined : uiDir,
    logLevel: oneOf('log-level', ['debug', 'info', 'warn', 'error'] as const),
    dataDir: get('data-dir') ?? './data',
    storage: oneOf('storage', ['tsdb', 'memory', 'remote'] as const),
    beyond: resolveBeyond(get),
    registry: resolveRegistry(get),
    retentionMs: wrap('retention', parseDurationMs),
    maxFutureMs: wrap('max-future', parseDurationMs),
    walSync: oneOf('wal-sync', ['fsync', 'write'] as const),
    adminTokens: list('admin-token'),
    readTokens: list('read-token'),
    autoCreateJobs: !bool('no-auto-create-jobs'),
    statsdFlushIntervalMs: wrap('statsd-flush-interval', (s) => {
      const ms = parseDurationMs(s);
      if (ms < 10) throw new Error('must be at least 10ms');
      return ms;
    }),
    statsdSeriesTtlMs: wrap('statsd-series-ttl', parseDurationMs),
    limits: {
      maxBodyBytes: wrap('max-body-bytes', parseBytes),
      maxSamplesPerRequest: int('max-samples-per-request'),
      maxSeriesPerJob: int('max-series-per-job'),
      maxLabelsPerSeries: int('max-labels-per-series'),
      maxLabelNameLength: int('max-label-name-length'),
      maxLabelValueLength: int('max-label-value-length'),
    },
    queryTimeoutMs: wrap('query-timeout', parseDurationMs),
    queryMaxSamples: int('query-max-samples'),
  };
}

function resolveBeyond(get: (flag: string) => string | undefined): RemoteServeConfig {
  try {
    return resolveRemoteServeConfig(get, get('storage') ?? 'tsdb');
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function resolveRegistry(get: (flag: string) => string | undefined): RegistryConfig {
  try {
    return resolveRegistryConfig(get);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** Is this host a loopback address (where an open server is acceptable)? */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
