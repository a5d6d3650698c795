/**
 * What the StatsD line parser gives back. The event model follows prometheus/statsd_exporter
 * (`pkg/event`): counters, gauges (absolute or relative) and observers (timers, histograms and
 * distributions, all "observe this value"), plus StatsD sets, which statsd_exporter refuses.
 */

/** Labels of one event. Shared by the events of one line: treat as read-only. */
export type StatsdLabels = Readonly<Record<string, string>>;

export interface StatsdCounterEvent {
  readonly type: 'counter';
  readonly name: string;
  /** The increment, already divided by the sample rate (`foo:1|c|@0.1` counts 10). May be negative. */
  readonly value: number;
  readonly labels: StatsdLabels;
}

export interface StatsdGaugeEvent {
  readonly type: 'gauge';
  readonly name: string;
  readonly value: number;
  /** True when the value was written with a sign (`+3`, `-10`): add it to the current value. */
  readonly relative: boolean;
  readonly labels: StatsdLabels;
}

export interface StatsdObserverEvent {
  readonly type: 'observer';
  readonly name: string;
  /** `ms` timers are converted to seconds; `h` and `d` values are kept as sent. */
  readonly value: number;
  readonly labels: StatsdLabels;
}

export interface StatsdSetEvent {
  readonly type: 'set';
  readonly name: string;
  /** The member whose distinct occurrences the set counts (`uniques:user42|s` → `user42`). */
  readonly member: string;
  readonly labels: StatsdLabels;
}

export type StatsdEvent = StatsdCounterEvent | StatsdGaugeEvent | StatsdObserverEvent | StatsdSetEvent;

/**
 * Why a line (or one sample of a multi-value line) produced no event. The names are
 * statsd_exporter's `statsd_exporter_sample_errors_total{reason}` label values, plus
 * `sample_rate_limited` (Tally caps how many observations one sampled line expands to).
 */
export type StatsdSampleErrorReason =
  | 'malformed_line'
  | 'mixed_tagging_styles'
  | 'not_enough_parts_after_colon'
  | 'invalid_extended_aggregate_type'
  | 'malformed_component'
  | 'malformed_value'
  | 'invalid_sample_factor'
  | 'malformed_container_id'
  | 'illegal_event'
  | 'sample_rate_limited';

/**
 * A tag that was skipped (the rest of the line still counts): statsd_exporter's
 * `statsd_exporter_tag_errors_total`, split by cause.
 */
export type StatsdTagErrorReason = 'empty_tag' | 'malformed_tag' | 'unbalanced_signalfx_brackets';

export type StatsdParseError =
  | {
      readonly kind: 'sample';
      readonly reason: StatsdSampleErrorReason;
      readonly message: string;
      readonly line: number;
    }
  | {
      readonly kind: 'tag';
      readonly reason: StatsdTagErrorReason;
      readonly message: string;
      readonly line: number;
    };

export interface StatsdParseResult {
  readonly events: StatsdEvent[];
  /** In the order found. `line` is 1-based within the packet (always 1 for a single line). */
  readonly errors: StatsdParseError[];
}

/** Which tag dialects to recognise; all on by default, as statsd_exporter ships. */
export interface StatsdParseOptions {
  /** DogStatsD `name:1|c|#k:v,k2:v2` (and `#k:v,#k2:v2` as the PHP client sends). */
  readonly dogstatsd?: boolean;
  /** InfluxDB `name,k=v,k2=v2:1|c`. */
  readonly influxdb?: boolean;
  /** Librato `name#k=v,k2=v2:1|c`. */
  readonly librato?: boolean;
  /** SignalFX `name[k=v,k2=v2]:1|c` (brackets anywhere in the name). */
  readonly signalfx?: boolean;
  /**
   * A sampled timer `v|ms|@r` stands for 1/r observations (statsd_exporter emits that many
   * events). Past this many, the line gives this many and a `sample_rate_limited` error, so a
   * hostile `@1e-300` cannot exhaust memory. Default 1000.
   */
  readonly maxObservationsPerSample?: number;
}
