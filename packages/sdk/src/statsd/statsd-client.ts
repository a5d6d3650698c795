import { performance } from 'node:perf_hooks';
import {
  jobTagsFromEnv,
  parseStatsdAddress,
  DEFAULT_STATSD_HOST,
  DEFAULT_STATSD_PORT,
} from './statsd-env.js';
import { formatStatsdNumber, sanitizeSetMember, type StatsdTags } from './statsd-format.js';
import { StatsdLineBuilder } from './statsd-line-builder.js';
import { normaliseCall, type StatsdCall } from './statsd-args.js';
import {
  checkStatsdOptions,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BUFFER_SIZE,
  type StatsdClientOptions,
} from './statsd-options.js';
import { asError, type StatsdTransport } from './statsd-transport.js';
import { StreamTransport } from './stream-transport.js';
import { UdpTransport } from './udp-transport.js';
import { trackUnflushed, untrackUnflushed } from './flush-on-exit.js';
import { packByBytes } from './pack-by-bytes.js';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  '|c': 'counter',
  '|g': 'gauge',
  '|h': 'histogram',
  '|ms': 'timing',
  '|d': 'distribution',
  '|s': 'set',
};

/** `(name, value?, tags?)`, `(name, value, sampleRate, tags?)` or `({ metric, value, tags, sampleRate })`. */
export type StatsdMethod = {
  (call: StatsdCall): void;
  (name: string, value?: number, tags?: StatsdTags): void;
  (name: string, value: number, sampleRate: number, tags?: StatsdTags): void;
};

export interface StatsdClientStats {
  /** Lines handed to the transport (or to `mockBuffer`). */
  readonly sentLines: number;
  /** Lines lost: bad values, DNS, refused port, oversize datagram, closed client. */
  readonly droppedLines: number;
  readonly datagrams: number;
}

/**
 * A StatsD/DogStatsD client that never throws and never keeps the process alive: lines are
 * packed into datagrams of at most `maxBufferSize` bytes, flushed when full, after
 * `flushInterval`, on `flush()`/`close()` and before the process exits.
 */
export class StatsdClient {
  /** With `mock: true`, every line in order (what would have been sent). */
  readonly mockBuffer: string[] = [];
  private readonly transport: StatsdTransport | undefined;
  private readonly builder: StatsdLineBuilder;
  private readonly maxBufferSize: number;
  private readonly flushIntervalMs: number;
  private readonly sampleRate: number;
  private readonly onError: ((error: Error) => void) | undefined;
  private buffer = '';
  private bufferChars = 0;
  private bufferLines = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private warned = false;
  private sent = 0;
  private dropped = 0;
  private datagramCount = 0;

  constructor(options: StatsdClientOptions = {}) {
    checkStatsdOptions(options);
    const env = options.env ?? process.env;
    this.onError = options.onError;
    this.maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
    this.flushIntervalMs = options.flushInterval ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.sampleRate = options.sampleRate ?? 1;
    const plain = new StatsdLineBuilder('', '', '');
    const jobTags = options.jobTagsFromEnv === false ? '' : plain.tags(jobTagsFromEnv(env));
    const ownTags = options.globalTags ? plain.tags(options.globalTags) : '';
    const globalTags = jobTags && ownTags ? `${jobTags},${ownTags}` : jobTags || ownTags;
    this.builder = new StatsdLineBuilder(options.prefix ?? '', options.suffix ?? '', globalTags);
    const onFailure = (error: Error | undefined, lines: number): void => {
      this.dropped += lines;
      if (error) this.report(error);
    };
    if (options.protocol === 'uds') {
      if (!options.mock) this.transport = new StreamTransport({ path: options.path! }, onFailure);
      return;
    }
    let host = options.host;
    let port = options.port;
    const fromEnv = env.TALLY_STATSD;
    if ((host === undefined || port === undefined) && fromEnv) {
      const address = parseStatsdAddress(fromEnv);
      if (address) {
        host ??= address.host;
        port ??= address.port;
      } else {
        // A bad variable must not crash a training job: say so, use the default.
        queueMicrotask(() =>
          this.report(
            new Error(`TALLY_STATSD=${JSON.stringify(fromEnv)} is not host:port; using the default`),
          ),
        );
      }
    }
    host ??= DEFAULT_STATSD_HOST;
    port ??= DEFAULT_STATSD_PORT;
    if (options.mock) return;
    this.transport =
      options.protocol === 'tcp'
        ? new StreamTransport({ host, port }, onFailure)
        : new UdpTransport(host, port, onFailure);
  }

  /**
   * One StatsD method: normalises the call shapes the seeds use (positional, Cortex's keyword
   * object, hot-shots') and writes one line of `type`. Bound arrows, so `const { gauge } = client` works.
   */
  private sender(type: string, defaultValue: number | undefined, delta: boolean): StatsdMethod {
    return (first: unknown, value?: unknown, third?: unknown, fourth?: unknown): void => {
      const call = normaliseCall(first, value, third, fourth, defaultValue);
      this.write(call.name, call.value, type, call.sampleRate, call.tags, delta);
    };
  }

  /** Counter +value (default 1). Cortex: `increment({ metric, value, tags })`; gradient-statsd: `increment(name, value)`. */
  readonly increment: StatsdMethod = this.sender('|c', 1, false);

  /** Counter −value (default 1): the seed's "decrement can be used to decrease a counter". */
  readonly decrement: StatsdMethod = (
    first: unknown,
    value?: unknown,
    third?: unknown,
    fourth?: unknown,
  ): void => {
    const call = normaliseCall(first, value, third, fourth, 1);
    this.write(
      call.name,
      typeof call.value === 'number' ? -call.value : call.value,
      '|c',
      call.sampleRate,
      call.tags,
      false,
    );
  };

  /** Gauge set to value (a negative value is sent as `0` then the value, so it is not read as a delta). */
  readonly gauge: StatsdMethod = this.sender('|g', undefined, false);

  /** Gauge changed by delta (`+3`, `-2`). */
  readonly gaugeDelta: StatsdMethod = this.sender('|g', undefined, true);

  readonly histogram: StatsdMethod = this.sender('|h', undefined, false);

  /** A duration in milliseconds (`|ms`; Tally stores it in seconds). */
  readonly timing: StatsdMethod = this.sender('|ms', undefined, false);

  readonly distribution: StatsdMethod = this.sender('|d', undefined, false);

  /** Counts distinct members (`set('users', userId)`). */
  set(name: string, member: string | number, tags?: StatsdTags): void;
  set(name: string, member: string | number, sampleRate: number, tags?: StatsdTags): void;
  set(name: string, member: string | number, third?: StatsdTags | number, fourth?: StatsdTags): void {
    const call = normaliseCall(name, 0, third, fourth, undefined);
    try {
      const text =
        typeof member === 'number' ? formatStatsdNumber(member) : typeof member === 'string' ? member : '';
      if (text === '') throw new TypeError(`StatsD set ${name}: member must be a non-empty string or number`);
      this.writeText(call.name, sanitizeSetMember(text), '|s', call.sampleRate, call.tags, undefined);
    } catch (error) {
      this.lost(error);
    }
  }

  /**
   * Wraps `fn` so each call sends its duration as a timing (ms) — when it returns, or when the
   * promise it returns settles. `fn`'s own errors still reach the caller.
   */
  timer<A extends unknown[], R>(fn: (...args: A) => R, name: string, tags?: StatsdTags): (...args: A) => R {
    return (...args: A): R => {
      const start = performance.now();
      const done = (): void => this.timing(name, performance.now() - start, tags);
      let result: R;
      try {
        result = fn(...args);
      } catch (error) {
        done();
        throw error;
      }
      if (result instanceof Promise) {
        result.then(done, done);
      } else done();
      return result;
    };
  }

  /** Sends what is buffered now. */
  flush(): void {
    if (this.bufferLines === 0) return;
    const payload = this.buffer;
    const lines = this.bufferLines;
    this.buffer = '';
    this.bufferChars = 0;
    this.bufferLines = 0;
    this.emit(payload, lines);
  }

  /** Flushes, waits (bounded) for the datagrams to leave and releases the socket. Never rejects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.flushTimer);
    untrackUnflushed(this);
    await this.transport?.close();
  }

  get droppedLines(): number {
    return this.dropped;
  }

  stats(): StatsdClientStats {
    return { sentLines: this.sent, droppedLines: this.dropped, datagrams: this.datagramCount };
  }

  private write(
    name: unknown,
    value: unknown,
    type: string,
    sampleRate: number | undefined,
    tags: StatsdTags | undefined,
    delta: boolean,
  ): void {
    try {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(
          `StatsD ${TYPE_NAMES[type] ?? type} ${String(name)}: value must be a finite number, got ${String(value)}`,
        );
      }
      const text = formatStatsdNumber(value);
      if (delta) this.writeText(name, value >= 0 ? '+' + text : text, type, sampleRate, tags, undefined);
      // A leading sign means "change by" (etsy/statsd): set 0 first, then apply the negative delta.
      else if (value < 0 && type === '|g') this.writeText(name, '0', type, sampleRate, tags, text);
      else this.writeText(name, text, type, sampleRate, tags, undefined);
    } catch (error) {
      this.lost(error);
    }
  }

  private writeText(
    name: unknown,
    valueText: string,
    type: string,
    sampleRate: number | undefined,
    tags: StatsdTags | undefined,
    thenValue: string | undefined,
  ): void {
    if (this.closed) throw new Error(`StatsD client is closed: ${String(name)} not sent`);
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`StatsD: metric name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    const rate = sampleRate ?? this.sampleRate;
    if (rate < 1) {
      if (!(rate > 0)) throw new RangeError(`StatsD ${name}: sampleRate must be in (0, 1], got ${rate}`);
      if (Math.random() >= rate) return;
    }
    const head = this.builder.head(name);
    const tail = this.builder.tail(type, rate, tags);
    if (thenValue === undefined) this.enqueue(head + valueText + tail, 1);
    else this.enqueue(head + valueText + tail + '\n' + head + thenValue + tail, 2);
  }

  /**
   * Appends to the datagram being filled. Sizes are counted in UTF-16 units, which never exceed
   * UTF-8 bytes, so no line is measured on the hot path; `emit` measures the datagram once and
   * re-packs it in the rare case non-ASCII text made it larger than `maxBufferSize`.
   */
  private enqueue(text: string, lines: number): void {
    if (this.transport === undefined) {
      for (const line of lines === 1 ? [text] : text.split('\n')) this.mockBuffer.push(line);
      this.sent += lines;
      return;
    }
    if (this.maxBufferSize === 0) {
      this.emit(text, lines);
      return;
    }
    const size = text.length;
    if (this.bufferLines > 0 && this.bufferChars + 1 + size > this.maxBufferSize) this.flush();
    if (this.bufferLines === 0) {
      this.buffer = text;
      this.bufferChars = size;
      if (this.flushTimer === undefined) this.startFlushing();
    } else {
      this.buffer += '\n' + text;
      this.bufferChars += 1 + size;
    }
    this.bufferLines += lines;
    if (this.bufferChars >= this.maxBufferSize) this.flush();
  }

  /**
   * One unref'd interval per client, from its first buffered line until close(): a datagram
   * waits at most one flush interval, and no timer is made or cleared per datagram.
   */
  private startFlushing(): void {
    this.flushTimer = setInterval(() => this.flush(), this.flushIntervalMs);
    this.flushTimer.unref();
    trackUnflushed(this);
  }

  private emit(payload: string, lines: number): void {
    if (lines > 1 && this.maxBufferSize > 0 && Buffer.byteLength(payload) > this.maxBufferSize) {
      for (const part of packByBytes(payload, this.maxBufferSize)) this.emit(part.payload, part.lines);
      return;
    }
    this.sent += lines;
    this.datagramCount++;
    this.transport!.send(payload, lines);
  }

  private lost(error: unknown): void {
    this.dropped++;
    this.report(asError(error));
  }

  private report(error: Error): void {
    if (this.onError) {
      try {
        this.onError(error);
      } catch {
        // An onError that throws must not turn into a crash either.
      }
      return;
    }
    if (!this.warned) {
      this.warned = true;
      process.emitWarning(
        `${error.message} (further StatsD errors are counted in droppedLines)`,
        'TallyStatsdWarning',
      );
    }
  }
}
