import type { OptionSpec } from '../../config/options.js';

/** `tally serve` options of the StatsD listeners beyond `--statsd-listen` (README: StatsD). */
export const STATSD_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'statsd-tcp-listen',
    kind: 'string',
    defaultValue: 'off',
    group: 'Server',
    help: "TCP address (host:port) of a StatsD listener taking newline-delimited lines, as statsd_exporter's TCP listener; same parser and aggregation as UDP. Off by default (one more unauthenticated port); e.g. 127.0.0.1:8125 beside UDP.",
  },
  {
    flag: 'instance-name',
    kind: 'string',
    defaultValue: undefined,
    group: 'Server',
    help: 'Name of this instance: the `instance` label of every StatsD-derived series, so each instance aggregating StatsD writes its own series (counters stay monotonic when several instances share one engine). Default <hostname>:<StatsD port>.',
  },
];

/** Longest StatsD line taken over TCP; a longer one is refused (`line_too_long`) and skipped to its newline. */
export const STATSD_TCP_MAX_LINE_BYTES = 64 * 1024;

/** Most StatsD TCP connections open at once; past it new ones are closed at once (bounded memory: each holds ≤ one line). */
export const STATSD_TCP_MAX_CONNECTIONS = 1024;
