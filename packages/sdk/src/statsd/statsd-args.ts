import type { StatsdTags } from './statsd-format.js';

/**
 * The keyword form of a call, as Cortex's Python `metrics_client` is called
 * (`increment(metric="my_counter", value=1, tags={"model": "v1"})`); `name` works as well.
 */
export interface StatsdCall {
  readonly metric?: string;
  readonly name?: string;
  readonly value?: number;
  readonly tags?: StatsdTags;
  readonly sampleRate?: number;
}

/** A call's arguments after the positional and keyword shapes are told apart. */
export interface NormalisedCall {
  name: unknown;
  value: unknown;
  sampleRate: number | undefined;
  tags: StatsdTags | undefined;
}

const scratch: NormalisedCall = { name: undefined, value: undefined, sampleRate: undefined, tags: undefined };

/**
 * Reads `(name, value?, sampleRateOrTags?, tags?)` — Cortex/gradient-statsd
 * `(name, value, tags)` and hot-shots `(name, value, sampleRate, tags)` — or `({ metric, value,
 * tags, sampleRate })`. Returns one reused object: the hot path allocates nothing here.
 */
export function normaliseCall(
  first: unknown,
  value: unknown,
  third: unknown,
  fourth: unknown,
  defaultValue: number | undefined,
): NormalisedCall {
  if (typeof first === 'object' && first !== null) {
    const call = first as StatsdCall;
    scratch.name = call.metric ?? call.name;
    scratch.value = call.value ?? defaultValue;
    scratch.sampleRate = call.sampleRate;
    scratch.tags = call.tags;
    return scratch;
  }
  scratch.name = first;
  scratch.value = value ?? defaultValue;
  if (typeof third === 'number') {
    scratch.sampleRate = third;
    scratch.tags = fourth as StatsdTags | undefined;
  } else {
    scratch.sampleRate = undefined;
    scratch.tags = (third ?? fourth) as StatsdTags | undefined;
  }
  return scratch;
}
