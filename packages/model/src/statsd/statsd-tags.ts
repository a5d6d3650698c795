import type { StatsdParseError, StatsdTagErrorReason } from './statsd-event.js';

/** Where tag parsing records what it skipped. */
export interface TagErrorSink {
  readonly errors: StatsdParseError[];
  readonly line: number;
}

/** Labels under construction: a null-prototype record, so a tag named `__proto__` is just a label. */
export type MutableLabels = Record<string, string>;

function tagError(sink: TagErrorSink, reason: StatsdTagErrorReason, message: string): void {
  sink.errors.push({ kind: 'tag', reason, message, line: sink.line });
}

const VALID_LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95
  );
}

/**
 * A tag key as a Prometheus label name, the way statsd_exporter's `mapper.EscapeMetricName`
 * does it: a leading digit gets a `_` prefix, every other character (code point) outside
 * `[A-Za-z0-9_]` becomes `_`, and a run of `-` collapses into one `_`.
 */
export function escapeStatsdLabelName(key: string): string {
  if (VALID_LABEL_NAME.test(key)) return key;
  const first = key.charCodeAt(0);
  let out = first >= 48 && first <= 57 ? '_' : '';
  let previous = '';
  for (const char of key) {
    const code = char.codePointAt(0) ?? 0;
    if (isNameChar(code)) out += char;
    else if (!(char === '-' && previous === '-')) out += '_';
    // statsd_exporter leaves the previous character unchanged after a skipped dash.
    if (!(char === '-' && previous === '-')) previous = char;
  }
  return out;
}

/** One `k<sep>v` tag into `labels`; empty tags, empty keys or values and a missing separator are tag errors. */
function parseTag(tag: string, separator: string, labels: MutableLabels, sink: TagErrorSink): boolean {
  if (tag === '') {
    tagError(sink, 'empty_tag', 'empty tag');
    return false;
  }
  const at = tag.indexOf(separator);
  if (at <= 0 || at === tag.length - 1) {
    tagError(
      sink,
      'malformed_tag',
      at < 0
        ? `tag ${JSON.stringify(tag)} has no "${separator}" value`
        : `tag ${JSON.stringify(tag)} has an empty key or value`,
    );
    return false;
  }
  labels[escapeStatsdLabelName(tag.slice(0, at))] = tag.slice(at + 1);
  return true;
}

/**
 * Comma-separated tags. Like statsd_exporter, a trailing comma is not an empty tag but an empty
 * tag in the middle (`a:b,,c:d`) is; `stripHash` drops one leading `#` per tag (DogStatsD PHP).
 * Returns how many labels were set.
 */
export function parseTagList(
  list: string,
  separator: string,
  stripHash: boolean,
  labels: MutableLabels,
  sink: TagErrorSink,
): number {
  let added = 0;
  let start = 0;
  while (start < list.length) {
    let end = list.indexOf(',', start);
    if (end < 0) end = list.length;
    let tag = list.slice(start, end);
    if (stripHash && tag.charCodeAt(0) === 35) tag = tag.slice(1);
    if (parseTag(tag, separator, labels, sink)) added++;
    start = end + 1;
  }
  return added;
}

export interface TagDialects {
  readonly influxdb: boolean;
  readonly librato: boolean;
  readonly signalfx: boolean;
}

/**
 * The metric name with any name-embedded tags (SignalFX `[k=v]`, Librato `#k=v`, InfluxDB
 * `,k=v`) moved into `labels`. Returns the name and how many labels were set.
 */
export function parseNameAndTags(
  raw: string,
  dialects: TagDialects,
  labels: MutableLabels,
  sink: TagErrorSink,
): { name: string; added: number } {
  if (dialects.signalfx) {
    const open = raw.indexOf('[');
    const close = raw.indexOf(']');
    if (open >= 0 && close >= 0) {
      // statsd_exporter slices between the first '[' and the first ']'; a ']' before the '['
      // leaves nothing sensible to slice, so the name is kept whole and it counts as a tag error.
      if (close < open) {
        tagError(sink, 'unbalanced_signalfx_brackets', `"]" before "[" in ${JSON.stringify(raw)}`);
        return { name: raw, added: 0 };
      }
      const added = parseTagList(raw.slice(open + 1, close), '=', false, labels, sink);
      return { name: raw.slice(0, open) + raw.slice(close + 1), added };
    }
    if (open >= 0 || close >= 0) {
      tagError(sink, 'unbalanced_signalfx_brackets', `only one of "[" and "]" in ${JSON.stringify(raw)}`);
      return { name: raw, added: 0 };
    }
  }
  if (dialects.librato || dialects.influxdb) {
    for (let i = 0; i < raw.length; i++) {
      const code = raw.charCodeAt(i);
      if ((code === 35 && dialects.librato) || (code === 44 && dialects.influxdb)) {
        const added = parseTagList(raw.slice(i + 1), '=', false, labels, sink);
        return { name: raw.slice(0, i), added };
      }
    }
  }
  return { name: raw, added: 0 };
}
