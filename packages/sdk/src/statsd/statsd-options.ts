import type { StatsdTags } from './statsd-format.js';

export type StatsdProtocol = 'udp' | 'uds' | 'tcp';

export interface StatsdClientOptions {
  /** Default: the host of `TALLY_STATSD`, else `127.0.0.1`. */
  readonly host?: string;
  /** Default: the port of `TALLY_STATSD`, else 8125. */
  readonly port?: number;
  /** `udp` (default), `tcp`, or `uds` (a Unix stream socket at `path`). */
  readonly protocol?: StatsdProtocol;
  /** The Unix socket path for `protocol: 'uds'`. */
  readonly path?: string;
  /** Prepended to every metric name (`'trainer.'`). */
  readonly prefix?: string;
  /** Appended to every metric name. */
  readonly suffix?: string;
  /** Tags on every line, after the job tags from the environment and before each call's own. */
  readonly globalTags?: StatsdTags;
  /** Add `job:$TALLY_JOB_ID` and `container_name:$PS_JOB_ID` when set. Default true. */
  readonly jobTagsFromEnv?: boolean;
  /** Lines are packed into datagrams up to this many bytes (default 1432, fits a 1500-byte MTU); 0 sends each line at once. */
  readonly maxBufferSize?: number;
  /** A partly filled datagram leaves after at most this many milliseconds (default 1000). */
  readonly flushInterval?: number;
  /** Default sample rate for every call, in (0, 1]; default 1. */
  readonly sampleRate?: number;
  /**
   * Background failures: DNS, refused port, oversize datagram, a bad value in a call. Never
   * thrown. Without it, the first failure is printed once as a process warning.
   */
  readonly onError?: (error: Error) => void;
  /** Record lines in `mockBuffer` instead of sending (for tests of instrumented code). */
  readonly mock?: boolean;
  /** The environment to read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MAX_BUFFER_SIZE = 1432;
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;

/** Bad configuration is a programming error: it throws at construction, naming the option. */
export function checkStatsdOptions(options: StatsdClientOptions): void {
  const { port, maxBufferSize, flushInterval, sampleRate, protocol, path } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new RangeError(`StatsdClient: port must be an integer from 1 to 65535, got ${String(port)}`);
  }
  if (maxBufferSize !== undefined && !(Number.isInteger(maxBufferSize) && maxBufferSize >= 0)) {
    throw new RangeError(
      `StatsdClient: maxBufferSize must be an integer >= 0 (bytes), got ${String(maxBufferSize)}`,
    );
  }
  if (flushInterval !== undefined && !(Number.isFinite(flushInterval) && flushInterval > 0)) {
    throw new RangeError(
      `StatsdClient: flushInterval must be > 0 (milliseconds), got ${String(flushInterval)}`,
    );
  }
  if (sampleRate !== undefined && !(sampleRate > 0 && sampleRate <= 1)) {
    throw new RangeError(`StatsdClient: sampleRate must be in (0, 1], got ${String(sampleRate)}`);
  }
  if (protocol !== undefined && protocol !== 'udp' && protocol !== 'tcp' && protocol !== 'uds') {
    throw new RangeError(`StatsdClient: protocol must be 'udp', 'tcp' or 'uds', got ${String(protocol)}`);
  }
  if (protocol === 'uds' && !path) throw new RangeError("StatsdClient: protocol 'uds' needs a socket path");
}
