import type { MetricFamily } from '../../metric-family.js';
import { LineCursor } from './line-cursor.js';
import { LineFeeder } from './line-feeder.js';
import { OpenMetricsFamilyBuilder } from './openmetrics-families.js';
import { OpenMetricsLineParser } from './openmetrics-line.js';
import { ExpositionParseError } from './parse-error.js';

export interface OpenMetricsParseOptions {
  /** Refuse input with more samples than this (default: no limit). */
  readonly maxSamples?: number;
}

/**
 * An incremental OpenMetrics 1.0 parser: `write` chunks (strings or UTF-8 bytes, split
 * anywhere), then `end()` for the families. Every line is checked as soon as it is complete;
 * the first violation throws an {@link ExpositionParseError}.
 */
export class OpenMetricsParser {
  private readonly builder: OpenMetricsFamilyBuilder;
  private readonly lines: OpenMetricsLineParser;
  private readonly feeder: LineFeeder;

  constructor(options: OpenMetricsParseOptions = {}) {
    this.builder = new OpenMetricsFamilyBuilder(options.maxSamples ?? Infinity);
    this.lines = new OpenMetricsLineParser(this.builder);
    this.feeder = new LineFeeder((text, start, end, line) => this.line(text, start, end, line));
  }

  write(chunk: string | Uint8Array): void {
    this.feeder.write(chunk);
  }

  end(): MetricFamily[] {
    const rest = this.feeder.finish();
    const line = this.feeder.lineCount + 1;
    // The final `# EOF` may lack its newline; any other unterminated line is parsed for its
    // own errors first.
    if (rest !== '') this.line(rest, 0, rest.length, line);
    const cur = new LineCursor();
    cur.reset(rest, rest.length, rest.length, rest === '' ? line : line + 1);
    return this.builder.finish(cur);
  }

  private line(text: string, start: number, end: number, line: number): void {
    if (this.builder.eofSeen) throw new ExpositionParseError('text after "# EOF"', line, 1);
    this.lines.parseLine(text, start, end, line);
  }
}

/**
 * Parses OpenMetrics 1.0 text into metric families (counters named without `_total`, samples
 * with their full names, timestamps converted from seconds to milliseconds). Throws
 * {@link ExpositionParseError} naming line and column.
 */
export function parseOpenMetrics(
  input: string | Uint8Array,
  options?: OpenMetricsParseOptions,
): MetricFamily[] {
  const parser = new OpenMetricsParser(options);
  parser.write(input);
  return parser.end();
}
