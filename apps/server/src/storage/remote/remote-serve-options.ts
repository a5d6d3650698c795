import type { OptionSpec } from '../../config/options.js';
import { parseBytes } from '../../config/units.js';
import { REMOTE_ENGINES, type RemoteEngine } from './remote-engine.js';
import type { RemoteHttpOptions } from './remote-http-client.js';

/** `tally serve` options for running beyond one machine (README: "Deploying beyond one machine"). */
export const REMOTE_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'remote-write-url',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: "With --storage remote: the engine's remote-write endpoint (e.g. http://vm:8428/api/v1/write). Samples go through a durable queue in <data-dir>/remote-queue.",
  },
  {
    flag: 'remote-query-url',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: "With --storage remote: base URL of the engine's Prometheus HTTP API (e.g. http://vm:8428, http://mimir/prometheus).",
  },
  {
    flag: 'remote-engine',
    kind: 'string',
    defaultValue: 'victoriametrics',
    group: 'Storage',
    help: `Which engine is behind the remote URLs (${REMOTE_ENGINES.join(', ')}): decides how deletion and read-after-write work.`,
  },
  {
    flag: 'remote-forward-queries',
    kind: 'boolean',
    defaultValue: 'true',
    group: 'Storage',
    help: 'With --storage remote: send whole PromQL queries (/api/v1/query, /query_range) to the engine instead of evaluating them here over raw samples (push tokens, which may read only their job, are always evaluated here).',
  },
  {
    flag: 'forward-write-url',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: 'Forwarding mode: keep the embedded storage and also remote-write a copy of every sample to this URL (durable queue in <data-dir>/forward-queue).',
  },
  {
    flag: 'forward-query-url',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: "Forwarding mode: base URL of the external engine's API, for deleting a deleted job's series there too (VictoriaMetrics, Prometheus; queued behind the samples, so it happens after an outage). Default: --forward-write-url without /api/v1/write; --remote-engine says which API.",
  },
  {
    flag: 'remote-header',
    kind: 'list',
    defaultValue: undefined,
    group: 'Storage',
    help: 'Extra headers to the remote engine, "Name: value", comma-separated (e.g. "X-Scope-OrgID: team-a" for Mimir/Cortex tenants).',
  },
  {
    flag: 'remote-basic-auth',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: 'HTTP basic auth to the remote engine, "user:password".',
  },
  {
    flag: 'remote-bearer-token',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: 'Bearer token to the remote engine.',
  },
  {
    flag: 'remote-tls-ca-file',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: "PEM file of the CA that signed the remote engine's certificate.",
  },
  {
    flag: 'remote-tls-cert-file',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: 'PEM client certificate for mutual TLS with the remote engine (with --remote-tls-key-file).',
  },
  {
    flag: 'remote-tls-key-file',
    kind: 'string',
    defaultValue: undefined,
    group: 'Storage',
    help: 'PEM private key of --remote-tls-cert-file.',
  },
  {
    flag: 'remote-tls-insecure-skip-verify',
    kind: 'boolean',
    defaultValue: 'false',
    group: 'Storage',
    help: "Do not check the remote engine's certificate (testing only).",
  },
  {
    flag: 'remote-shards',
    kind: 'integer',
    defaultValue: '4',
    group: 'Storage',
    help: 'Parallel remote-write senders (each series always goes through the same one, in order). Fixed once the queue exists.',
  },
  {
    flag: 'remote-queue-max-bytes',
    kind: 'bytes',
    defaultValue: '1GiB',
    group: 'Storage',
    help: 'Largest remote-write queue on disk; past it, writes are refused with 503 until the engine catches up.',
  },
  {
    flag: 'scrape-config',
    kind: 'string',
    defaultValue: undefined,
    group: 'Ingest',
    help: 'JSON file of scrape targets per job: {"<job>": [{"url": "http://host:9100/metrics", "interval": "15s", "timeout": "10s", "honor_labels": false, "sample_limit": 0, "body_size_limit": "10MB", "labels": {}}]}.',
  },
];

/** Where and how to remote-write (and, for remote storage, query). */
export interface RemoteTarget {
  readonly engine: RemoteEngine;
  readonly writeUrl: string;
  readonly queryUrl: string | undefined;
  readonly forwardQueries: boolean;
  readonly http: RemoteHttpOptions;
  readonly shards: number;
  readonly maxQueueBytes: number;
}

export interface RemoteServeConfig {
  /** For `--storage remote`. */
  readonly remote: RemoteTarget | undefined;
  /** For forwarding mode (`--forward-write-url`). */
  readonly forward: RemoteTarget | undefined;
  readonly scrapeConfigPath: string | undefined;
}

/**
 * Resolves the remote options (already merged from flags, env and file by `get`); throws an
 * Error naming the flag on a bad value (the caller turns it into a ConfigError).
 */
export function resolveRemoteServeConfig(
  get: (flag: string) => string | undefined,
  storage: string,
): RemoteServeConfig {
  const value = (flag: string): string | undefined => {
    const v = get(flag);
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const fail = (flag: string, msg: string): never => {
    throw new Error(`--${flag}: ${msg}`);
  };
  const url = (flag: string): string | undefined => {
    const v = value(flag);
    if (v !== undefined && !/^https?:\/\/[^/]/.test(v))
      fail(flag, `expected an http(s) URL, got ${JSON.stringify(v)}`);
    return v;
  };
  const bool = (flag: string): boolean => {
    const v = value(flag) ?? 'false';
    if (!/^(true|false|1|0)$/.test(v)) fail(flag, `expected true or false, got ${JSON.stringify(v)}`);
    return v === 'true' || v === '1';
  };
  const engine = value('remote-engine') ?? 'victoriametrics';
  if (!REMOTE_ENGINES.includes(engine as RemoteEngine)) {
    fail('remote-engine', `expected one of ${REMOTE_ENGINES.join(', ')}, got ${JSON.stringify(engine)}`);
  }
  const headers: Record<string, string> = {};
  for (const h of (value('remote-header') ?? '').split(',').filter((x) => x.trim() !== '')) {
    const m = /^\s*([A-Za-z0-9-]+)\s*[:=]\s*(.*)$/.exec(h);
    if (!m) fail('remote-header', `expected "Name: value", got ${JSON.stringify(h)}`);
    headers[m![1]!] = m![2]!.trim();
  }
  const basic = value('remote-basic-auth');
  if (basic !== undefined && !basic.includes(':')) fail('remote-basic-auth', 'expected "user:password"');
  const http: RemoteHttpOptions = {
    headers,
    ...(basic !== undefined
      ? {
          basicAuth: {
            username: basic.slice(0, basic.indexOf(':')),
            password: basic.slice(basic.indexOf(':') + 1),
          },
        }
      : {}),
    ...(value('remote-bearer-token') !== undefined ? { bearerToken: value('remote-bearer-token')! } : {}),
    ...(value('remote-tls-ca-file') !== undefined ? { tlsCaFile: value('remote-tls-ca-file')! } : {}),
    ...(value('remote-tls-cert-file') !== undefined ? { tlsCertFile: value('remote-tls-cert-file')! } : {}),
    ...(value('remote-tls-key-file') !== undefined ? { tlsKeyFile: value('remote-tls-key-file')! } : {}),
    tlsInsecureSkipVerify: bool('remote-tls-insecure-skip-verify'),
  };
  const shards = Number(value('remote-shards') ?? '4');
  if (!Number.isInteger(shards) || shards < 1 || shards > 256)
    fail('remote-shards', 'expected an integer from 1 to 256');
  let maxQueueBytes = 0;
  try {
    maxQueueBytes = parseBytes(value('remote-queue-max-bytes') ?? '1GiB');
  } catch (err) {
    fail('remote-queue-max-bytes', (err as Error).message);
  }
  const base = { engine: engine as RemoteEngine, http, shards, maxQueueBytes };
  const writeUrl = url('remote-write-url');
  const queryUrl = url('remote-query-url');
  const forwardUrl = url('forward-write-url');
  let remote: RemoteTarget | undefined;
  if (storage === 'remote') {
    if (!writeUrl) fail('storage', 'remote storage needs --remote-write-url');
    if (!queryUrl) fail('storage', 'remote storage needs --remote-query-url');
    if (forwardUrl)
      fail(
        'forward-write-url',
        'forwarding keeps the embedded storage: it does not combine with --storage remote',
      );
    remote = {
      ...base,
      writeUrl: writeUrl!,
      queryUrl,
      forwardQueries: value('remote-forward-queries') === undefined ? true : bool('remote-forward-queries'),
    };
  } else if (writeUrl || queryUrl) {
    fail(
      writeUrl ? 'remote-write-url' : 'remote-query-url',
      'only used with --storage remote (for a copy next to embedded storage, use --forward-write-url)',
    );
  }
  const forwardQueryUrl = url('forward-query-url');
  if (forwardQueryUrl && !forwardUrl) fail('forward-query-url', 'only used with --forward-write-url');
  const forward = forwardUrl
    ? {
        ...base,
        writeUrl: forwardUrl,
        queryUrl: forwardQueryUrl ?? defaultApiBase(forwardUrl),
        forwardQueries: false,
      }
    : undefined;
  return { remote, forward, scrapeConfigPath: value('scrape-config') };
}

/** The API base of a remote-write URL that ends in `/api/v1/write` (VictoriaMetrics, Prometheus). */
function defaultApiBase(writeUrl: string): string | undefined {
  const m = /^(.*)\/api\/v1\/write\/?$/.exec(writeUrl);
  return m ? m[1] : undefined;
}
