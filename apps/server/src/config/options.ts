import { STATSD_OPTIONS } from '../ingest/statsd/statsd-serve-options.js';
import { REGISTRY_OPTIONS } from '../registry/registry-options.js';
import { REMOTE_OPTIONS } from '../storage/remote/remote-serve-options.js';

/**
 * Every setting of `tally serve`, in one table that drives the flags, the `TALLY_*`
 * environment variables, the config file keys and `--help`. Precedence (DESIGN.md): flag,
 * then environment variable, then config file, then the default.
 */
export interface OptionSpec {
  /** The flag without dashes; also the config-file key. Env var: TALLY_ + upper snake case. */
  readonly flag: string;
  readonly kind: 'string' | 'boolean' | 'integer' | 'duration' | 'bytes' | 'list';
  readonly defaultValue: string | undefined;
  readonly help: string;
  /** A group heading for `--help`. */
  readonly group: 'Server' | 'Storage' | 'Auth' | 'Ingest' | 'Limits' | 'Query';
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'listen',
    kind: 'string',
    defaultValue: '127.0.0.1:9091',
    group: 'Server',
    help: 'HTTP address (host:port) for the Pushgateway API, remote write, the query API, the jobs API and the UI. Any address but loopback requires --admin-token.',
  },
  {
    flag: 'statsd-listen',
    kind: 'string',
    defaultValue: '127.0.0.1:8125',
    group: 'Server',
    help: 'UDP address (host:port) of the StatsD/DogStatsD listener; "off" disables it.',
  },
  {
    flag: 'ui-dir',
    kind: 'string',
    defaultValue: undefined,
    group: 'Server',
    help: 'Directory of the built web UI (default: apps/web/dist next to the server).',
  },
  {
    flag: 'log-level',
    kind: 'string',
    defaultValue: 'info',
    group: 'Server',
    help: 'debug, info, warn or error. Logs are JSON lines on stderr.',
  },
  {
    flag: 'config',
    kind: 'string',
    defaultValue: undefined,
    group: 'Server',
    help: 'A JSON config file whose keys are these flag names ({"data-dir": "/var/lib/tally"}).',
  },
  {
    flag: 'data-dir',
    kind: 'string',
    defaultValue: './data',
    group: 'Storage',
    help: 'Directory for the embedded TSDB (samples) and tally.db (jobs, tokens, last-push state).',
  },
  {
    flag: 'storage',
    kind: 'string',
    defaultValue: 'tsdb',
    group: 'Storage',
    help: '"tsdb" (the embedded engine, on disk), "memory" (nothing kept across restarts; for tests) or "remote" (an existing engine: see --remote-write-url).',
  },
  {
    flag: 'retention',
    kind: 'duration',
    defaultValue: '15d',
    group: 'Storage',
    help: 'How long samples are kept (e.g. 90d, 12h); 0 keeps them until their job is deleted.',
  },
  {
    flag: 'max-future',
    kind: 'duration',
    defaultValue: '10m',
    group: 'Storage',
    help: "Samples further ahead of the clock are refused (400), so one bad timestamp cannot move the store's time ahead; 0 turns the check off. Embedded TSDB only.",
  },
  {
    flag: 'wal-sync',
    kind: 'string',
    defaultValue: 'fsync',
    group: 'Storage',
    help: "When a write is acknowledged: 'fsync' once its write-ahead log records are on the device (O_DSYNC writes; survives a power cut); 'write' once the OS has them (survives the process being killed, as Prometheus; synced within 1s). Embedded TSDB only.",
  },
  {
    flag: 'admin-token',
    kind: 'list',
    defaultValue: undefined,
    group: 'Auth',
    help: 'Admin token(s), comma-separated: full access (jobs API, pushes to any job, queries).',
  },
  {
    flag: 'read-token',
    kind: 'list',
    defaultValue: undefined,
    group: 'Auth',
    help: 'Read token(s), comma-separated: queries and reading jobs.',
  },
  {
    flag: 'no-auto-create-jobs',
    kind: 'boolean',
    defaultValue: 'false',
    group: 'Ingest',
    help: 'Refuse samples for jobs that were not created through the jobs API (default: a push creates its job).',
  },
  {
    flag: 'statsd-flush-interval',
    kind: 'duration',
    defaultValue: '10s',
    group: 'Ingest',
    help: 'How often aggregated StatsD series are written to storage.',
  },
  {
    flag: 'statsd-series-ttl',
    kind: 'duration',
    defaultValue: '5m',
    group: 'Ingest',
    help: 'A StatsD series not updated for this long is no longer written at each flush (and goes stale).',
  },
  {
    flag: 'max-body-bytes',
    kind: 'bytes',
    defaultValue: '64MiB',
    group: 'Limits',
    help: 'Largest request body, after decompression (413 above it).',
  },
  {
    flag: 'max-samples-per-request',
    kind: 'integer',
    defaultValue: '1000000',
    group: 'Limits',
    help: 'Most samples in one push or remote-write request (413 above it).',
  },
  {
    flag: 'max-series-per-job',
    kind: 'integer',
    defaultValue: '200000',
    group: 'Limits',
    help: 'Most distinct series a job may have (429 for a request that would create more).',
  },
  {
    flag: 'max-labels-per-series',
    kind: 'integer',
    defaultValue: '64',
    group: 'Limits',
    help: 'Most labels on one series, __name__ and job included (400 above it).',
  },
  {
    flag: 'max-label-name-length',
    kind: 'integer',
    defaultValue: '1024',
    group: 'Limits',
    help: 'Longest label name in characters (400 above it).',
  },
  {
    flag: 'max-label-value-length',
    kind: 'integer',
    defaultValue: '16384',
    group: 'Limits',
    help: 'Longest label value in characters (400 above it).',
  },
  {
    flag: 'query-timeout',
    kind: 'duration',
    defaultValue: '2m',
    group: 'Query',
    help: "Longest a PromQL query may run (503 timeout after it); a request's timeout parameter can only lower it.",
  },
  {
    flag: 'query-max-samples',
    kind: 'integer',
    defaultValue: '50000000',
    group: 'Query',
    help: 'Most samples a query may load at once (422 above it).',
  },
  ...REGISTRY_OPTIONS,
  ...REMOTE_OPTIONS,
  ...STATSD_OPTIONS,
];

export function envName(flag: string): string {
  return `TALLY_${flag.toUpperCase().replaceAll('-', '_')}`;
}
