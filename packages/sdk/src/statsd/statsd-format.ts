/**
 * Building DogStatsD lines that every receiver reads back exactly: characters that would end a
 * line, a part or a tag are replaced by `_` (names and set members also lose the characters
 * the InfluxDB, Librato and SignalFX dialects read as tags), and numbers are written so that
 * `@tally/model`'s parser (Go's ParseFloat grammar) takes them.
 */

/** Tags as an object (`{ model: 'v1' }`) or DogStatsD `k:v` strings (`['model:v1']`). */
export type StatsdTags =
  Readonly<Record<string, string | number | boolean | null | undefined>> | readonly string[];

// `:` `|` end the name or value, `,` `#` `[` `]` start InfluxDB/Librato/SignalFX tags, newlines
// end the line; lone surrogates cannot be sent as UTF-8.
const NAME_UNSAFE = /[:|,#[\]\n\r]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A tag key ends at `:` and a tag at `,` or `|`; a leading `#` would be stripped by receivers.
const TAG_KEY_UNSAFE = /[:|,#\n\r]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TAG_VALUE_UNSAFE = /[|,\n\r]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A set member also must not look like a multi-value separator.
const MEMBER_UNSAFE = /[:|\n\r]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(text: string, unsafe: RegExp): string {
  unsafe.lastIndex = 0;
  if (!unsafe.test(text)) return text;
  unsafe.lastIndex = 0;
  return text.replace(unsafe, '_');
}

export function sanitizeStatsdName(name: string): string {
  return clean(name, NAME_UNSAFE);
}

export function sanitizeSetMember(member: string): string {
  return clean(member, MEMBER_UNSAFE);
}

export function sanitizeTagKey(key: string): string {
  return clean(key, TAG_KEY_UNSAFE);
}

export function sanitizeTagValue(value: string): string {
  return clean(value, TAG_VALUE_UNSAFE);
}

/**
 * A finite number as StatsD text. JavaScript's `String()` already writes what Go's ParseFloat
 * reads (`1e+21`, `1e-7`, `0.1`), and `-0` becomes `0`.
 */
export function formatStatsdNumber(value: number): string {
  return String(value);
}
