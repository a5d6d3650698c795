import { Counter, type CounterConfig } from '../metrics/counter.js';
import { Gauge, type GaugeConfig } from '../metrics/gauge.js';
import { Histogram, type HistogramConfig } from '../metrics/histogram.js';
import { Summary, type SummaryConfig } from '../metrics/summary.js';
import { Registry } from '../registry/registry.js';
import { groupingKeyPath, type GroupingKey } from '../push/grouping-key.js';
import { Pushgateway } from '../push/pushgateway.js';
import { parseDurationMs } from './duration.js';
import { installExitPush } from './exit-push.js';
import { assignToMetric, metricsLoggerProxy } from './metrics-logger-proxy.js';
import { resolvePushTarget } from './metrics-logger-env.js';

export type LoggerMetric = Gauge | Counter | Summary | Histogram;

export interface MetricsLoggerOptions {
  /** Labels of the pushed group besides the job (the seed's `grouping_key`). */
  readonly groupingKey?: GroupingKey;
  /** The Tally server or Pushgateway; default `TALLY_URL`, else `PAPERSPACE_METRIC_PUSHGATEWAY`. */
  readonly url?: string;
  /** The job the metrics belong to; default `TALLY_JOB_ID`, else `PAPERSPACE_METRIC_WORKLOAD_ID`. */
  readonly jobId?: string;
  /** Bearer token; default `TALLY_TOKEN`. */
  readonly token?: string;
  /** Where the metrics live; default a new Registry of this logger's own. */
  readonly registry?: Registry;
  /** Initial training step, sent as the label `step` on every series (see `setStep`). */
  readonly step?: number;
  /** Push periodically, e.g. `'10s'` (or milliseconds). Off by default. */
  readonly pushEvery?: string | number;
  /** A last push on `beforeExit` and SIGTERM (default true). */
  readonly pushOnExit?: boolean;
  /** Failed pushes (periodic, final or `pushMetrics()`); default: a process warning per run of failures. */
  readonly onError?: (error: Error) => void;
  /** Per push, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  readonly gzip?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** The environment to read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

type MetricOptions<C> = Omit<Partial<C>, 'name' | 'help' | 'registers'>;

/**
 * gradient-utils' MetricsLogger for Node: metrics added by name, reached with `get(name)` or
 * `logger[name]`, pushed as one group (PUT) to Tally or a Pushgateway.
 *
 * `logger['Gauge'] = 5` sets the gauge (what the seed's line means); assigning to a counter,
 * summary or histogram, or to a name never added, throws a TypeError saying what to call
 * instead (gradient-utils raises a TypeError for any assignment).
 */
export class MetricsLogger {
  readonly jobId: string;
  readonly url: string;
  readonly groupingKey: GroupingKey;
  readonly registry: Registry;
  step: number | undefined = undefined;
  private readonly metrics = new Map<string, LoggerMetric>();
  private readonly gateway: Pushgateway;
  private readonly onError: ((error: Error) => void) | undefined;
  private readonly baseLabels: Readonly<Record<string, string>>;
  private readonly timer: NodeJS.Timeout | undefined = undefined;
  private readonly uninstallExitPush: (() => void) | undefined = undefined;
  private inFlight: Promise<boolean> | undefined = undefined;
  private queued: Promise<boolean> | undefined = undefined;
  private failing = false;
  private closed = false;

  constructor(options: MetricsLoggerOptions = {}) {
    const target = resolvePushTarget(options, options.env ?? process.env);
    this.url = target.url;
    this.jobId = target.jobId;
    this.groupingKey = { ...options.groupingKey };
    groupingKeyPath(this.jobId, this.groupingKey); // a bad job id or label name fails here, not at the first push
    this.registry = options.registry ?? new Registry();
    this.baseLabels = this.registry.getDefaultLabels();
    this.onError = options.onError;
    this.gateway = new Pushgateway(
      this.url,
      {
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.gzip === undefined ? {} : { gzip: options.gzip }),
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        ...(target.token === undefined ? {} : { bearerToken: target.token }),
      },
      this.registry,
    );
    if (options.step !== undefined) this.setStep(options.step);
    if (options.pushEvery !== undefined) {
      const everyMs = parseDurationMs(options.pushEvery, 'MetricsLogger pushEvery');
      this.timer = setInterval(() => void this.pushMetrics(), everyMs);
      this.timer.unref();
    }
    if (options.pushOnExit ?? true)
      this.uninstallExitPush = installExitPush(() => this.pushMetrics().then(() => undefined));
    return metricsLoggerProxy(this);
  }

  addGauge<N extends string>(
    name: N,
    help = '',
    options: MetricOptions<GaugeConfig<string>> = {},
  ): asserts this is this & { readonly [K in N]: Gauge } {
    this.add(name, 'gauge', () => new Gauge({ ...options, name, help, registers: [this.registry] }));
  }

  addCounter<N extends string>(
    name: N,
    help = '',
    options: MetricOptions<CounterConfig<string>> = {},
  ): asserts this is this & { readonly [K in N]: Counter } {
    this.add(name, 'counter', () => new Counter({ ...options, name, help, registers: [this.registry] }));
  }

  addSummary<N extends string>(
    name: N,
    help = '',
    options: MetricOptions<SummaryConfig<string>> = {},
  ): asserts this is this & { readonly [K in N]: Summary } {
    this.add(name, 'summary', () => new Summary({ ...options, name, help, registers: [this.registry] }));
  }

  addHistogram<N extends string>(
    name: N,
    help = '',
    options: MetricOptions<HistogramConfig<string>> = {},
  ): asserts this is this & { readonly [K in N]: Histogram } {
    this.add(name, 'histogram', () => new Histogram({ ...options, name, help, registers: [this.registry] }));
  }

  /** The metric added under `name`; a clear error when there is none. */
  get<N extends string>(name: N): this extends { readonly [K in N]: infer M } ? M : LoggerMetric;
  get(name: string): LoggerMetric {
    const metric = this.metrics.get(name);
    if (metric === undefined) {
      const known = [...this.metrics.keys()].map((n) => JSON.stringify(n)).join(', ') || 'none';
      throw new Error(`MetricsLogger: no metric named ${JSON.stringify(name)} (added: ${known})`);
    }
    return metric;
  }

  /** Whether a metric was added under `name`. */
  has(name: string): boolean {
    return this.metrics.has(name);
  }

  /** Names of the metrics added, in order. */
  names(): string[] {
    return [...this.metrics.keys()];
  }

  /** `logger[name] = value` as a method: sets a gauge; anything else is a TypeError. */
  assign(name: string, value: unknown): void {
    assignToMetric(this.metrics.get(name), name, value);
  }

  /**
   * The training step: from now on every series is pushed with the label `step="<n>"`. The
   * group stays one (a push replaces the previous step's values); Tally keeps every push, so
   * earlier steps stay queryable.
   */
  setStep(step: number): void {
    if (!Number.isInteger(step) || step < 0) {
      throw new RangeError(`MetricsLogger.setStep: the step must be an integer >= 0, got ${String(step)}`);
    }
    this.step = step;
    this.registry.setDefaultLabels({ ...this.baseLabels, step: String(step) });
  }

  /**
   * PUTs the whole group. Pushes never overlap (one waits for the other, so an older state can
   * never land after a newer one) and never reject: the promise says whether it worked, and a
   * failure goes to `onError` — an un-awaited `pushMetrics()` cannot crash the job.
   */
  pushMetrics(): Promise<boolean> {
    if (this.inFlight === undefined) {
      this.inFlight = this.pushOnce().finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    // One push is running: the next one (shared by every caller until it starts) follows it.
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.pushMetrics();
    });
    return this.queued;
  }

  /** Stops periodic pushes and the exit hooks; with `finalPush`, pushes once more first. */
  async close(options: { finalPush?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.uninstallExitPush?.();
    if (options.finalPush ?? false) await this.pushMetrics();
    else await this.inFlight;
  }

  private add(name: string, type: LoggerMetric['type'], create: () => LoggerMetric): void {
    const existing = this.metrics.get(name);
    if (existing !== undefined) {
      if (existing.type === type) return; // adding the same metric again (e.g. in a loop) is harmless
      throw new Error(`MetricsLogger: ${JSON.stringify(name)} is already a ${existing.type}, not a ${type}`);
    }
    this.metrics.set(name, create());
  }

  private async pushOnce(): Promise<boolean> {
    try {
      await this.gateway.push({ jobName: this.jobId, groupings: this.groupingKey });
      this.failing = false;
      return true;
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  private report(error: Error): void {
    if (this.onError) {
      try {
        this.onError(error);
      } catch {
        // an onError that throws must not crash the job either
      }
    } else if (!this.failing) {
      process.emitWarning(
        `${error.message} (MetricsLogger keeps trying; pass onError to see every failure)`,
        'TallyPushWarning',
      );
    }
    this.failing = true;
  }
}
