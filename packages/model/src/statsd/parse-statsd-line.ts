import type {
  StatsdEvent,
  StatsdParseError,
  StatsdParseOptions,
  StatsdParseResult,
  StatsdSampleErrorReason,
} from './statsd-event.js';
import { parseStatsdNumber } from './parse-statsd-number.js';
import { parseNameAndTags, parseTagList, type MutableLabels, type TagDialects } from './statsd-tags.js';

/** Options resolved once, so the per-line path reads plain booleans. */
export interface ResolvedStatsdOptions extends TagDialects {
  readonly dogstatsd: boolean;
  readonly maxObservationsPerSample: number;
}

export function resolveStatsdOptions(options: StatsdParseOptions = {}): ResolvedStatsdOptions {
  const max = options.maxObservationsPerSample ?? 1000;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`maxObservationsPerSample must be an integer >= 1, got ${max}`);
  }
  return {
    dogstatsd: options.dogstatsd ?? true,
    influxdb: options.influxdb ?? true,
    librato: options.librato ?? true,
    signalfx: options.signalfx ?? true,
    maxObservationsPerSample: max,
  };
}

/** Where one line's events and errors go (a packet shares one sink across its lines). */
export interface LineSink {
  readonly events: StatsdEvent[];
  readonly errors: StatsdParseError[];
  line: number;
}

function sampleError(sink: LineSink, reason: StatsdSampleErrorReason, message: string): void {
  sink.errors.push({ kind: 'sample', reason, message, line: sink.line });
}

// A lone UTF-16 surrogate cannot be encoded as UTF-8: the string stands for invalid input.
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(text: string): boolean {
  return !SURROGATE.test(text) || !LONE_SURROGATE.test(text);
}

function isObserverType(type: string): boolean {
  return type === 'ms' || type === 'h' || type === 'd';
}

/**
 * Parses one StatsD line (no newline) into `sink`. The grammar and every error reason follow
 * prometheus/statsd_exporter `pkg/line` (see the package README for where Tally differs):
 *
 *   name[tags] ":" value ["|" type] { "|" ("@" rate | "#" tags | "c:" container | "T" ts) }
 *
 * with multi-value lines `name:1|c:2|c` (not with DogStatsD tags) and DogStatsD extended
 * aggregates `name:1:2:3|ms` (timers, histograms, distributions only).
 */
export function parseLineInto(line: string, options: ResolvedStatsdOptions, sink: LineSink): void {
  if (line === '') return;
  const colon = line.indexOf(':');
  if (colon <= 0) {
    sampleError(sink, 'malformed_line', colon < 0 ? 'no ":" after the metric name' : 'empty metric name');
    return;
  }
  if (!isWellFormedText(line)) {
    sampleError(sink, 'malformed_line', 'line is not valid UTF-8');
    return;
  }
  const labels: MutableLabels = Object.create(null) as MutableLabels;
  const { name, added } = parseNameAndTags(line.slice(0, colon), options, labels, sink);
  if (name === '') {
    // `#k=v:1|c` or `[k=v]:1|c`: only tags, no name (statsd_exporter would emit a nameless event).
    sampleError(sink, 'malformed_line', 'empty metric name once its tags are removed');
    return;
  }
  const rest = line.slice(colon + 1);
  const usingDogTags = rest.includes('|#');
  if (usingDogTags && added > 0) {
    sampleError(sink, 'mixed_tagging_styles', 'tags in the name and DogStatsD "|#" tags on one line');
    return;
  }
  const firstPipe = rest.indexOf('|');
  if (firstPipe < 0) {
    sampleError(sink, 'not_enough_parts_after_colon', 'no "|type" after the value');
    return;
  }
  const valuePart = rest.slice(0, firstPipe);
  if (valuePart.includes(':')) {
    // DogStatsD extended aggregation: `name:v1:v2|ms|…` is one sample per value, same suffix.
    const nextPipe = rest.indexOf('|', firstPipe + 1);
    const type = rest.slice(firstPipe + 1, nextPipe < 0 ? rest.length : nextPipe);
    if (!isObserverType(type)) {
      sampleError(
        sink,
        'invalid_extended_aggregate_type',
        `several values are only allowed for ms, h and d, not ${JSON.stringify(type)}`,
      );
      return;
    }
    const suffix = rest.slice(firstPipe);
    for (const value of valuePart.split(':')) parseSample(value + suffix, name, labels, options, sink);
  } else if (usingDogTags) {
    parseSample(rest, name, labels, options, sink);
  } else {
    for (const sample of rest.split(':')) parseSample(sample, name, labels, options, sink);
  }
}

function parseSample(
  sample: string,
  name: string,
  labels: MutableLabels,
  options: ResolvedStatsdOptions,
  sink: LineSink,
): void {
  const components = sample.split('|');
  if (components.length < 2 || components.length > 8) {
    sampleError(sink, 'malformed_component', `expected 2 to 8 "|"-separated parts, got ${components.length}`);
    return;
  }
  const valueText = components[0]!;
  const type = components[1]!;
  let value = 0;
  if (type !== 's') {
    value = parseStatsdNumber(valueText);
    if (Number.isNaN(value)) {
      sampleError(sink, 'malformed_value', `value ${JSON.stringify(valueText)} is not a finite number`);
      return;
    }
  } else if (valueText === '') {
    sampleError(sink, 'malformed_value', 'empty set member');
    return;
  }
  const relative = valueText.startsWith('+') || valueText.startsWith('-');
  let repeat = 1;
  for (let i = 2; i < components.length; i++) {
    if (components[i] === '') {
      sampleError(sink, 'malformed_component', `empty "|" part ${i + 1}`);
      return;
    }
  }
  for (let i = 2; i < components.length; i++) {
    const component = components[i]!;
    switch (component.charCodeAt(0)) {
      case 64: {
        // '@' sample rate. statsd_exporter treats 0 (and, after counting the error, garbage) as 1;
        // Tally also refuses rates outside (0, 1], where upstream would scale counters up or
        // silently drop observations.
        let rate = parseStatsdNumber(component.slice(1));
        if (Number.isNaN(rate) || rate < 0 || rate > 1) {
          sampleError(
            sink,
            'invalid_sample_factor',
            `sample rate ${JSON.stringify(component.slice(1))} is not in (0, 1]`,
          );
          rate = 1;
        } else if (rate === 0) rate = 1;
        if (type === 'c') value /= rate;
        else if (isObserverType(type)) repeat = Math.trunc(1 / rate);
        break;
      }
      case 35: // '#' DogStatsD tags
        if (options.dogstatsd) parseTagList(component.slice(1), ':', true, labels, sink);
        break;
      case 99: // 'c:<container id>', DogStatsD protocol v1.2
        if (component.length > 2 && component.charCodeAt(1) === 58) labels.container_id = component.slice(2);
        else {
          sampleError(
            sink,
            'malformed_container_id',
            `container id part ${JSON.stringify(component)} is not "c:<id>"`,
          );
          return;
        }
        break;
      case 84: // 'T<unix seconds>', DogStatsD protocol v1.3: not forwarded, ignored like statsd_exporter
        break;
      default:
        sampleError(
          sink,
          'invalid_sample_factor',
          `part ${JSON.stringify(component)} is none of "@rate", "#tags", "c:container", "T<timestamp>"`,
        );
        return;
    }
  }
  emit(sink, type, name, value, valueText, relative, labels, repeat, options);
}

function emit(
  sink: LineSink,
  type: string,
  name: string,
  value: number,
  valueText: string,
  relative: boolean,
  labels: MutableLabels,
  repeat: number,
  options: ResolvedStatsdOptions,
): void {
  switch (type) {
    case 'c':
      sink.events.push({ type: 'counter', name, value, labels });
      return;
    case 'g':
      sink.events.push({ type: 'gauge', name, value, relative, labels });
      return;
    case 's':
      sink.events.push({ type: 'set', name, member: valueText, labels });
      return;
    case 'ms':
    case 'h':
    case 'd': {
      // statsd_exporter: "prometheus presumes seconds, statsd millisecond".
      const observed = type === 'ms' ? value / 1000 : value;
      let count = repeat;
      if (count > options.maxObservationsPerSample) {
        sampleError(
          sink,
          'sample_rate_limited',
          `sample rate stands for ${count} observations; ${options.maxObservationsPerSample} recorded`,
        );
        count = options.maxObservationsPerSample;
      }
      for (let i = 0; i < count; i++) sink.events.push({ type: 'observer', name, value: observed, labels });
      return;
    }
    default:
      sampleError(sink, 'illegal_event', `unknown metric type ${JSON.stringify(type)} (c, g, ms, h, d, s)`);
  }
}

/** Parses one StatsD line (no newline): `parseStatsdLine('foo:1|c|#env:prod')`. */
export function parseStatsdLine(line: string, options?: StatsdParseOptions): StatsdParseResult {
  const sink: LineSink = { events: [], errors: [], line: 1 };
  parseLineInto(line, resolveStatsdOptions(options), sink);
  return sink;
}
