import type { StatsdParseOptions, StatsdParseResult } from './statsd-event.js';
import { parseLineInto, resolveStatsdOptions, type LineSink } from './parse-statsd-line.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NEWLINE = 0x0a;

/**
 * Parses a StatsD datagram (or a TCP chunk of whole lines): lines separated by `\n`, as
 * statsd_exporter splits packets. Bytes are checked per line, so one line of invalid UTF-8 is a
 * `malformed_line` error and the other lines still count. A `\r` before `\n` is not stripped
 * (statsd_exporter does not either): it ends up in the type and gives `illegal_event`.
 */
export function parseStatsdPacket(
  packet: string | Uint8Array,
  options?: StatsdParseOptions,
): StatsdParseResult {
  const resolved = resolveStatsdOptions(options);
  const sink: LineSink = { events: [], errors: [], line: 0 };
  if (typeof packet === 'string') {
    for (const line of packet.split('\n')) {
      sink.line++;
      parseLineInto(line, resolved, sink);
    }
    return sink;
  }
  let text: string | undefined;
  try {
    text = strictUtf8.decode(packet);
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    for (const line of text.split('\n')) {
      sink.line++;
      parseLineInto(line, resolved, sink);
    }
    return sink;
  }
  // Some bytes are not UTF-8: decode line by line so only the bad lines are refused.
  let start = 0;
  while (start <= packet.length) {
    let end = packet.indexOf(NEWLINE, start);
    if (end < 0) end = packet.length;
    sink.line++;
    let line: string | undefined;
    try {
      line = strictUtf8.decode(packet.subarray(start, end));
    } catch {
      line = undefined;
    }
    if (line === undefined) {
      sink.errors.push({
        kind: 'sample',
        reason: 'malformed_line',
        message: 'line is not valid UTF-8',
        line: sink.line,
      });
    } else parseLineInto(line, resolved, sink);
    start = end + 1;
  }
  return sink;
}
